// The only module that talks to msw: everything else sees plain fetch Request/Response objects.
import type * as Http from 'node:http'
import module, { createRequire } from 'node:module'
import { CassetteError } from '../errors/index.js'
import { nodeRegisterHooks, whenBuiltinLoads } from '../when-builtin-loads.js'
import { fetchDirectly, fetchParts, type FetchParts } from './direct-fetch.js'
import { fetchSigns, httpSigns, mswSigns } from './uncovered-request.js'
import type { UncoveredFailure, UncoveredRequest } from './uncovered-hosts.js'
import type { ClientRequestInterceptor as ClientRequestInterceptorType } from '@mswjs/interceptors/ClientRequest'

export type { FetchParts } from './direct-fetch.js'

/** What the cassette session decides for one request. */
export interface InterceptionHandlers {
  /** True for requests cassettes own (model API hosts); others go to the network untouched. */
  owns(url: URL): boolean
  /**
   * A response for an owned `fetch` decided from the cassette alone (a replay), or `undefined` when the
   * request must be recorded. Gets the request's parts, read from the `fetch` arguments. With it, owned
   * `fetch` calls whose body can be read twice are served without msw (see `direct-fetch.ts`).
   */
  answer?(request: FetchParts): Promise<Response | undefined>
  /** A stored or synthetic response, or `'passthrough'` to let the request reach the network. */
  handle(request: FetchParts, requestId: string): Promise<Response | 'passthrough'>
  /** The real response of a passed-through request (a clone: the app gets its own copy). */
  onNetworkResponse(requestId: string, response: Response): void
  /** A passed-through `fetch` served without msw got no response (a network error, an abort). */
  onNetworkError?(requestId: string): void
  /** msw could not start (e.g. another msw interceptor is active in the worker): the error to report. */
  onStartFailure(error: Error): void
  /**
   * A request to a host cassettes do not own, about to go to the network untouched (never called for owned
   * ones): what to call if it gets no response, or `undefined`. See `uncovered-hosts.ts`.
   */
  uncovered?(request: UncoveredRequest): UncoveredFailure | undefined
}

/** Stops interception. */
export type StopInterception = () => void

type Msw = typeof import('msw')
type MswExperimental = typeof import('msw/experimental')
type ClientRequestModule = typeof import('@mswjs/interceptors/ClientRequest')
type FetchModule = typeof import('@mswjs/interceptors/fetch/web')

// msw is loaded synchronously on first use (an `http.request` call cannot wait for an import); it is an
// ES module graph without top-level await, which Node >= 22.12 `require`s and shares with `import`.
const require = createRequire(import.meta.url)

/** Tells `handlers` of an uncovered request; a notice must never break the request it is about. */
function noteUncovered(handlers: InterceptionHandlers, signs: () => UncoveredRequest): UncoveredFailure | undefined {
  try {
    return handlers.uncovered?.(signs())
  } catch {
    return undefined
  }
}

/** Starts msw: `fetch` at the `fetch` level (no socket emulation), `node:http` at the `ClientRequest` level. */
function startMsw(handlers: InterceptionHandlers): StopInterception {
  const { http: httpHandler, passthrough } = require('msw') as Msw
  const { defineNetwork, InterceptorSource } = require('msw/experimental') as MswExperimental
  const { ClientRequestInterceptor } = require('@mswjs/interceptors/ClientRequest') as ClientRequestModule
  const { FetchInterceptor } = require('@mswjs/interceptors/fetch/web') as FetchModule
  const network = defineNetwork({
    sources: [new InterceptorSource({ interceptors: [new FetchInterceptor() as unknown as ClientRequestInterceptorType, new ClientRequestInterceptor()] })],
    handlers: [
      httpHandler.all('*', async ({ request, requestId }) => {
        const url = new URL(request.url)
        if (!handlers.owns(url)) {
          if (handlers.uncovered) {
            const signs = await mswSigns(request, url).catch(() => undefined)
            if (signs) noteUncovered(handlers, () => signs)
          }
          return undefined
        }
        // A copy of the body is read: the original may still be sent to the network.
        const parts = { url: request.url, method: request.method, headers: request.headers, text: async () => (request.body ? request.clone().text() : '') }
        const result = await handlers.handle(parts, requestId)
        return result === 'passthrough' ? passthrough() : result
      }),
    ],
    onUnhandledFrame: 'bypass',
    // No per-request logging (msw's own setupServer default); it costs more than the replay itself.
    context: { quiet: true },
  })
  network.events.on('response:bypass', (event) => {
    if (handlers.owns(new URL(event.request.url))) handlers.onNetworkResponse(event.requestId, event.response)
  })
  void network.enable()
  return () => void network.disable()
}

type FetchInput = Parameters<typeof globalThis.fetch>[0]

/**
 * True when a request for `input`/`init` can be built and read without touching what the caller may read
 * again (its body is absent or a string/bytes, not a stream or a `Request` the caller owns): only then can
 * it be served without msw (replayed, or read for its key and sent as the caller made it).
 */
function ownBody(input: FetchInput, init: RequestInit | undefined): boolean {
  if (input instanceof Request) return false
  const body = init?.body
  return body === undefined || body === null || typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body) || body instanceof URLSearchParams
}

function requestUrl(input: unknown): URL | undefined {
  try {
    if (typeof input === 'string' || input instanceof URL) return new URL(input)
    if (input instanceof Request) return new URL(input.url)
  } catch {
    // Not a URL fetch understands either; let fetch report it.
  }
  return undefined
}

/** The host of an `http.request(url | options, …)` call. */
function httpRequestUrl(args: readonly unknown[], protocol: 'http:' | 'https:'): URL | undefined {
  const [first] = args
  if (typeof first === 'string' || first instanceof URL) return requestUrl(first)
  const options = first as { host?: string; hostname?: string; port?: number | string } | undefined
  const host = options?.hostname ?? options?.host
  if (!host) return undefined
  try {
    return new URL(`${protocol}//${host}${options?.port ? `:${options.port}` : ''}`)
  } catch {
    return undefined
  }
}

/**
 * Starts intercepting model calls in this worker. Must run before SDK clients are constructed, since they
 * capture `fetch` when created: the worker setup file calls it at its top level.
 *
 * Interception is lazy: until the first request to a host cassettes own, `fetch` and `node:http` stay
 * Node's own behind a thin check, and msw is not even loaded (suites that make no model calls do not pay
 * for it). The first owned request starts msw — `fetch` at the `fetch` level (several times faster per call
 * than msw's default socket emulation), `node:http` at the `ClientRequest` level — and from then on every
 * request goes through it.
 */
export function startInterception(handlers: InterceptionHandlers): StopInterception {
  const originalFetch = globalThis.fetch
  let stopMsw: StopInterception | undefined
  // Set before msw starts: loading it imports node:http, which must not install the lazy wrappers then.
  let starting = false
  let startFailure: Error | undefined
  let stopped = false
  const restorers: (() => void)[] = [() => (globalThis.fetch = originalFetch)]

  /** Starts msw if `url` is owned; true when requests must now go through msw. */
  const intercepts = (url: URL | undefined): boolean => {
    if (stopMsw) return true
    if (stopped || !url || !handlers.owns(url)) return false
    if (startFailure) {
      handlers.onStartFailure(startFailure)
      throw startFailure
    }
    starting = true
    // msw patches what is installed when it starts: Node's originals, not these wrappers.
    for (const restore of restorers) restore()
    try {
      stopMsw = startMsw(handlers)
    } catch (error) {
      startFailure = new CassetteError(
        `msw could not start to record model calls in this worker: ${error instanceof Error ? error.message : String(error)}. ` +
          'Usually another msw interceptor is already active (a setupServer() of your own tests): msw intercepts once per process. ' +
          'Replaying works beside it; to record, run the recording without your own msw server, or record these tests in a file that does not start it.',
      )
      handlers.onStartFailure(startFailure)
      throw startFailure
    }
    return true
  }

  const { answer } = handlers
  const direct = answer ? { ...handlers, answer } : undefined
  const viaMsw = (input: FetchInput, init: RequestInit | undefined, url: URL | undefined) => {
    if (intercepts(url)) return globalThis.fetch(input, init)
    // Not owned (nor msw started): told if it looks like a model call, and its failure too in `replay`.
    const onFailure = url && !stopped && handlers.uncovered ? noteUncovered(handlers, () => fetchSigns(input, init, url)) : undefined
    const sent = originalFetch(input, init)
    if (!onFailure) return sent
    return sent.catch((error: unknown) => {
      onFailure(error)
      throw error
    })
  }
  globalThis.fetch = function fetch(input: FetchInput, init?: RequestInit) {
    try {
      const url = requestUrl(input)
      if (!direct || stopped || !url || !handlers.owns(url) || !ownBody(input, init)) return viaMsw(input, init, url)
      // msw has not started (it removes this wrapper when it does): Node's own fetch sends what is recorded.
      return fetchDirectly(direct, fetchParts(init, url), () => originalFetch(input, init))
    } catch (error) {
      // fetch never throws: it rejects.
      return Promise.reject(error)
    }
  }
  whenHttpLoads((http, https) => {
    if (stopMsw || starting || stopped) return
    const targets = [
      [http, 'request', 'http:'],
      [http, 'get', 'http:'],
      [https, 'request', 'https:'],
      [https, 'get', 'https:'],
    ] as const
    for (const [target, name, protocol] of targets) {
      const original = target[name] as (...args: unknown[]) => unknown
      const wrapper = function (this: unknown, ...args: unknown[]) {
        const url = httpRequestUrl(args, protocol)
        const owned = intercepts(url)
        if (!owned && url && !stopped && handlers.uncovered) noteUncovered(handlers, () => httpSigns(args, url, name === 'get'))
        const patched = owned ? (target[name] as (...args: unknown[]) => unknown) : original
        // Never call itself: if msw did not replace it, Node's own function serves the request.
        return (patched === wrapper ? original : patched).apply(this, args)
      }
      ;(target as Record<string, unknown>)[name] = wrapper
      restorers.push(() => ((target as Record<string, unknown>)[name] = original))
    }
  })

  return () => {
    stopped = true
    if (stopMsw) stopMsw()
    else for (const restore of restorers) restore()
  }
}

type HttpModules = (http: typeof Http, https: typeof import('node:https')) => void

const HTTP_SPECIFIERS = new Set(['http', 'node:http', 'https', 'node:https'])

/**
 * Calls `patch` with `node:http` and `node:https` before the first module imports or requires either, so
 * the worker does not load them (~20 ms) unless something uses them. Without `module.registerHooks`
 * (Node < 22.15) they are loaded and patched at once.
 */
export function whenHttpLoads(patch: HttpModules, registerHooks: typeof module.registerHooks | null = nodeRegisterHooks): void {
  whenBuiltinLoads(HTTP_SPECIFIERS, () => patch(process.getBuiltinModule('node:http'), process.getBuiltinModule('node:https')), registerHooks)
}
