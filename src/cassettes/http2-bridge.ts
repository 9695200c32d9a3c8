// The AWS Bedrock runtime client sends over `node:http2` (NodeHttp2Handler), which msw does not intercept.
// For hosts cassettes own, `http2.connect` returns a session whose streams are sent as `fetch` calls: they
// go through the cassette (replayed, recorded, or a miss) like every other model call, and reach the
// network, when they do, over HTTP/1.1, which every HTTP/2 model API also serves.
import { EventEmitter } from 'node:events'
import type * as Http2 from 'node:http2'
import module from 'node:module'
import { Duplex } from 'node:stream'
import { CassetteError } from '../errors/index.js'
import { setOwnField } from '../own-field.js'
import { nodeRegisterHooks, whenBuiltinLoads } from '../when-builtin-loads.js'

/** One HTTP/2 request stream, answered by `fetch`. */
class BridgedStream extends Duplex {
  /** Read by the SDK when the stream is aborted. */
  rstCode = 0
  private body: Buffer[] = []
  private readonly abort = new AbortController()
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  private waiting = false

  constructor(private readonly origin: string, private readonly headers: Http2.OutgoingHttpHeaders) {
    super()
  }

  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.body.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk)
    done()
  }

  /** The request body is complete: send it. */
  override _final(done: (error?: Error | null) => void): void {
    done()
    void this.send()
  }

  override _read(): void {
    if (this.reader) void this.pull()
    else this.waiting = true
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.abort.abort(error ?? undefined)
    void this.reader?.cancel().catch(() => undefined)
    done(error)
  }

  /** Stream timeouts are the SDK's own; the fetch it became has none to set. */
  setTimeout(): this {
    return this
  }

  close(): void {
    this.destroy()
  }

  private async send(): Promise<void> {
    const method = String(this.headers[':method'] ?? 'GET')
    const headers = new Headers()
    for (const [name, value] of Object.entries(this.headers)) {
      if (name.startsWith(':') || value === undefined) continue
      headers.set(name, Array.isArray(value) ? value.join(', ') : String(value))
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(this.body)
    try {
      const response = await globalThis.fetch(new URL(String(this.headers[':path'] ?? '/'), this.origin), { method, headers, body, signal: this.abort.signal })
      const received: Record<string, string | number> = { ':status': response.status }
      response.headers.forEach((value, name) => setOwnField(received, name, value))
      this.reader = response.body?.getReader()
      this.emit('response', received, 0)
      if (!this.reader) this.push(null)
      else if (this.waiting) void this.pull()
    } catch (error) {
      this.destroy(error instanceof Error ? error : new Error(String(error)))
    }
  }

  private async pull(): Promise<void> {
    this.waiting = false
    try {
      const { done, value } = await (this.reader as ReadableStreamDefaultReader<Uint8Array>).read()
      this.push(done ? null : value)
    } catch (error) {
      this.destroy(error instanceof Error ? error : new Error(String(error)))
    }
  }
}

/** What the bridge needs to know of the cassette mode. */
export interface BridgeOptions {
  /** True in `replay`: a request that cannot be recorded (a bidirectional stream) is refused, not sent. */
  replaying?: () => boolean
}

/** Bidirectional streams (Nova Sonic's `invoke-with-bidirectional-stream`) need real HTTP/2: they are not recorded. */
const BIDIRECTIONAL_PATH = /\/invoke-with-bidirectional-stream(?:\?|$)/

/** An HTTP/2 session to an owned host: no socket, each stream is a `fetch`. */
class BridgedSession extends EventEmitter {
  destroyed = false
  closed = false
  private real: Http2.ClientHttp2Session | undefined

  constructor(
    private readonly origin: string,
    private readonly connectReal: () => Http2.ClientHttp2Session,
    private readonly replaying: () => boolean,
  ) {
    super()
  }

  request(headers: Http2.OutgoingHttpHeaders): BridgedStream | Http2.ClientHttp2Stream {
    const path = String(headers[':path'] ?? '')
    if (!BIDIRECTIONAL_PATH.test(path)) return new BridgedStream(this.origin, headers)
    // `replay` never touches the network: a stream that cannot be recorded cannot be replayed either.
    if (this.replaying()) {
      throw new CassetteError(
        `${this.origin}${path.split('?')[0]} is a bidirectional stream, which cassettes cannot record or replay, and replay never reaches the network. ` +
          'Run this test outside replay (LLM_EVALS_CASSETTES=passthrough, with credentials), or skip it when CI is set.',
      )
    }
    this.real ??= this.connectReal()
    return this.real.request(headers)
  }

  settings(_settings: unknown, callback?: (error: Error | null) => void): void {
    if (callback) queueMicrotask(() => callback(null))
  }

  setTimeout(): void {}
  ref(): void {}
  unref(): void {}

  close(callback?: () => void): void {
    this.closed = true
    this.destroy()
    if (callback) queueMicrotask(callback)
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = this.closed = true
    this.real?.close()
    queueMicrotask(() => this.emit('close'))
  }
}

/**
 * Makes `http2.connect` to hosts that `owns` accepts return a session whose requests are `fetch` calls (and
 * so go through the cassette); other hosts, and callers bringing their own socket (gRPC), connect as usual.
 * Returns the function that undoes it.
 *
 * @example
 * const restore = bridgeHttp2((url) => ownsUrl(url, hosts))
 */
export function bridgeHttp2(owns: (url: URL) => boolean, http2: typeof Http2 = process.getBuiltinModule('node:http2'), options: BridgeOptions = {}): () => void {
  const replaying = options.replaying ?? (() => false)
  const original = http2.connect
  const connect = function (this: unknown, authority: string | URL, ...rest: unknown[]) {
    let url: URL | undefined
    try {
      url = new URL(String(authority))
    } catch {
      url = undefined
    }
    // A caller that brings its own socket (`createConnection`: gRPC clients, e.g. @google-cloud/aiplatform on
    // *-aiplatform.googleapis.com) speaks HTTP/2 itself (trailers, pings): fetch cannot carry it.
    const ownSocket = rest.some((arg) => arg !== null && typeof arg === 'object' && 'createConnection' in arg)
    if (!url || ownSocket || !owns(url)) return (original as (...args: unknown[]) => unknown).call(this, authority, ...rest)
    const session = new BridgedSession(url.origin, () => (original as (...args: unknown[]) => Http2.ClientHttp2Session).call(this, authority, ...rest), replaying)
    const listener = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined
    queueMicrotask(() => {
      session.emit('connect', session)
      listener?.()
    })
    return session
  }
  ;(http2 as { connect: unknown }).connect = connect
  return () => {
    if (http2.connect === (connect as unknown)) (http2 as { connect: unknown }).connect = original
  }
}

const HTTP2_SPECIFIERS = new Set(['http2', 'node:http2'])

/**
 * {@link bridgeHttp2} once the first module imports or requires `node:http2`, so that workers whose tests never
 * use it do not load it (~40 ms). Without `module.registerHooks` (Node < 22.15) it is bridged at once.
 *
 * @example
 * bridgeHttp2WhenLoaded((url) => ownsUrl(url, hosts)) // from the worker setup, before any test file loads
 */
export function bridgeHttp2WhenLoaded(owns: (url: URL) => boolean, registerHooks: typeof module.registerHooks | null = nodeRegisterHooks, options: BridgeOptions = {}): void {
  whenBuiltinLoads(HTTP2_SPECIFIERS, () => void bridgeHttp2(owns, undefined, options), registerHooks)
}
