// In `replay` nothing a cassette owns may reach the network. Interception sees `fetch` and `node:http`; a client
// that brings its own HTTP stack (undici's `fetch` or `request` from npm, an agent of its own, Node's WebSocket, a
// proxy agent's CONNECT tunnel) writes its request to a `net.Socket` without passing either. Its first write is
// refused when it is an HTTP request to an owned host: sent to that host (the socket's target, or a TLS server
// name), or through a proxy (`CONNECT host:port`, an absolute-form `POST http://host/…`). Anything else on those
// hosts (the app's database on `localhost:*`, a readiness probe that only connects) goes through untouched;
// interception itself never writes to an owned host in replay (a miss is answered, not sent), and msw's own
// sockets override `write`.
import type * as Net from 'node:net'
import { docsLocation } from '../docs-location.js'
import { CassetteError } from '../errors/index.js'

/** Where a `socket.connect(…)` call goes: its options (or `net.connect`'s normalised `[options, callback]`), or port and host. */
function connectTarget(args: readonly unknown[]): URL | undefined {
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
  return typeof host === 'string' && host !== '' ? hostUrl(host, Number(port ?? 80)) : undefined
}

/** `host:port` as a URL whose scheme makes 443 or 80 the default port (owned host patterns without a port match it). */
function hostUrl(host: string, port: number): URL | undefined {
  try {
    return new URL(`${port === 443 ? 'https' : 'http'}://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`)
  } catch {
    return undefined
  }
}

const REQUEST_LINE = /^(?:(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\S+)|CONNECT (\S+)) HTTP\/\d|^PRI \* HTTP\/2\.0/

/** The owned host an HTTP request's first bytes are for: `direct` (the socket's own target) or a proxied one. */
function requestTarget(head: string, direct: URL | undefined): { url: URL; proxied: boolean } | undefined {
  const line = REQUEST_LINE.exec(head)
  if (!line) return undefined
  const [, path, authority] = line
  if (authority !== undefined) {
    const colon = authority.lastIndexOf(':')
    const url = colon > 0 ? hostUrl(authority.slice(0, colon).replace(/^\[|\]$/g, ''), Number(authority.slice(colon + 1))) : undefined
    return url ? { url, proxied: true } : undefined
  }
  if (path !== undefined && /^https?:\/\//i.test(path)) {
    try {
      return { url: new URL(path), proxied: true }
    } catch {
      return undefined
    }
  }
  return direct ? { url: direct, proxied: false } : undefined
}

interface Guard {
  owns(url: URL): boolean
  refusal(url: URL, proxied: boolean): Error
}

type Connect = (this: Net.Socket, ...args: unknown[]) => Net.Socket
type Write = (this: Net.Socket, chunk: unknown, ...rest: unknown[]) => boolean

// One patch a process: Vitest's VM pools give each test file a new global object over the same `node:net`.
const GUARD = Symbol.for('vitest-llm-evals.replay-socket-guard')

/**
 * Refuses HTTP requests to hosts `owns` accepts that reach a socket in this process, with the error `refusal` makes:
 * the socket is destroyed with it on the next tick (the caller sees a failed request), never a throw into its code.
 * A later call (the next test file of a VM pool) replaces `owns` and `refusal`; the sockets are patched once.
 *
 * @example
 * refuseOwnedConnections((url) => ownsUrl(url, hosts), (url) => bypassRefusal(url, false))
 */
export function refuseOwnedConnections(owns: Guard['owns'], refusal: Guard['refusal']): void {
  const holder = process as unknown as { [GUARD]?: Guard }
  const installed = holder[GUARD]
  holder[GUARD] = { owns, refusal }
  if (installed) return
  const guard = () => holder[GUARD] as Guard
  const { Socket } = process.getBuiltinModule('node:net')
  const targets = new WeakMap<Net.Socket, URL>()
  const written = new WeakSet<Net.Socket>()
  const connect = Socket.prototype.connect as unknown as Connect
  const write = Socket.prototype.write as unknown as Write
  const guardedConnect: Connect = function (...args) {
    const url = connectTarget(args)
    if (url) targets.set(this, url)
    return connect.apply(this, args)
  }
  const guardedWrite: Write = function (chunk, ...rest) {
    if (written.has(this)) return write.call(this, chunk, ...rest)
    written.add(this)
    const head = typeof chunk === 'string' ? chunk.slice(0, 1024) : chunk instanceof Uint8Array ? Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, 1024)).toString('latin1') : ''
    const target = requestTarget(head, targets.get(this))
    if (!target || !guard().owns(target.url)) return write.call(this, chunk, ...rest)
    const error = guard().refusal(target.url, target.proxied)
    const callback = rest.find((each) => typeof each === 'function') as ((error: Error) => void) | undefined
    process.nextTick(() => {
      this.destroy(error)
      callback?.(error)
    })
    return false
  }
  Socket.prototype.connect = guardedConnect as unknown as typeof Socket.prototype.connect
  Socket.prototype.write = guardedWrite as unknown as typeof Socket.prototype.write
}

/**
 * The error of a connection {@link refuseOwnedConnections} refused: what was refused, why cassettes did not see it,
 * and how to make its calls recorded.
 *
 * @example
 * bypassRefusal(new URL('https://api.openai.com')).message // '[vitest-llm-evals] An HTTP request to api.openai.com …'
 */
export function bypassRefusal(url: URL, proxied = false): CassetteError {
  return new CassetteError(
    `An HTTP request to ${url.host} (a host cassettes own${proxied ? ', through a proxy' : ''}) was sent around the cassettes while replaying: refused before it was sent. ` +
      "Its client sends without Node's global fetch or node:http (undici's own fetch or request from npm, an HTTP agent or WebSocket library of its own, " +
      'a worker thread), which cassettes cannot see: its calls are neither recorded nor replayed. ' +
      "Give the client Node's global fetch (e.g. remove `fetch: undiciFetch` from `new OpenAI({ … })`), record the test again, then replay. " +
      `See "Which requests are recorded" in ${docsLocation('cassettes.md')}.`,
  )
}
