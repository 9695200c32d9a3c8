// In `replay` nothing a cassette owns may reach the network. Interception sees `fetch` and `node:http`; a client
// that brings its own HTTP stack (undici's `fetch` or `request` from npm, an agent of its own, Node's WebSocket)
// opens its socket without passing either. Every TCP or TLS connection still goes through `net.Socket`'s
// `connect`: refused there, for owned hosts only, while the worker replays (interception itself never connects to
// an owned host in replay: a miss is answered, not sent; msw's own sockets override `connect`).
import type * as Net from 'node:net'
import { docsLocation } from '../docs-location.js'
import { CassetteError } from '../errors/index.js'

/** Where a `socket.connect(…)` call goes: its options (or `net.connect`'s normalised `[options, callback]`), or port and host. */
function connectTarget(args: readonly unknown[], secure: boolean): URL | undefined {
  const [head, second] = args
  const first = Array.isArray(head) ? head[0] : head
  let host: unknown
  let port: unknown
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: unknown; servername?: unknown; port?: unknown; path?: unknown }
    // A Unix socket or pipe is not the network.
    if (options.path !== undefined && options.path !== null) return undefined
    host = options.servername || options.host || 'localhost'
    port = options.port
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    port = first
    host = typeof second === 'string' ? second : 'localhost'
  } else return undefined
  if (typeof host !== 'string' || host === '') return undefined
  const number = Number(port ?? (secure ? 443 : 80))
  // The scheme only decides which port is the default one, which owned host patterns match without a port.
  const scheme = number === 443 ? 'https' : 'http'
  try {
    return new URL(`${scheme}://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${number}`)
  } catch {
    return undefined
  }
}

type Connect = (this: Net.Socket, ...args: unknown[]) => Net.Socket

/**
 * Refuses connections to hosts `owns` accepts, in this worker, with the error `refusal` makes (told the target):
 * the socket fails on the next tick as a refused connection does, never a throw in the caller's code.
 *
 * @example
 * refuseOwnedConnections((url) => ownsUrl(url, hosts), (url) => new CassetteError(`${url.host} …`))
 */
export function refuseOwnedConnections(owns: (url: URL) => boolean, refusal: (url: URL) => Error): void {
  const { Socket } = process.getBuiltinModule('node:net')
  const original = Socket.prototype.connect as unknown as Connect
  const guarded: Connect = function (this: Net.Socket, ...args) {
    const url = connectTarget(args, (this as { encrypted?: boolean }).encrypted === true)
    if (!url || !owns(url)) return original.apply(this, args)
    const error = refusal(url)
    process.nextTick(() => this.destroy(error))
    return this
  }
  Socket.prototype.connect = guarded as unknown as typeof Socket.prototype.connect
}

/**
 * The error of a connection {@link refuseOwnedConnections} refused: what was refused, why cassettes did not see it,
 * and how to make its calls recorded.
 *
 * @example
 * bypassRefusal(new URL('https://api.openai.com:443')).message // '[vitest-llm-evals] A connection to api.openai.com …'
 */
export function bypassRefusal(url: URL): CassetteError {
  return new CassetteError(
    `A connection to ${url.hostname} (a model API host cassettes own) was opened around the cassettes while replaying: refused, nothing was sent. ` +
      "Its client sends without Node's global fetch or node:http (undici's own fetch or request from npm, an HTTP agent or WebSocket library of its own, " +
      'a worker thread), which cassettes cannot see: its calls are neither recorded nor replayed. ' +
      "Give the client Node's global fetch (e.g. remove `fetch: undiciFetch` from `new OpenAI({ … })`), record the test again, then replay. " +
      `See "Which requests are recorded" in ${docsLocation('cassettes.md')}.`,
  )
}
