// The only module that talks to msw: everything else sees plain fetch Request/Response objects.
import { ClientRequestInterceptor } from '@mswjs/interceptors/ClientRequest'
import { FetchInterceptor } from '@mswjs/interceptors/fetch/web'
import { http, passthrough } from 'msw'
import { defineNetwork, InterceptorSource } from 'msw/experimental'

/** What the cassette session decides for one request. */
export interface InterceptionHandlers {
  /** True for requests cassettes own (model API hosts); others go to the network untouched. */
  owns(url: URL): boolean
  /** A stored or synthetic response, or `'passthrough'` to let the request reach the network. */
  handle(request: Request, requestId: string): Promise<Response | 'passthrough'>
  /** The real response of a passed-through request (a clone: the app gets its own copy). */
  onNetworkResponse(requestId: string, response: Response): void
}

/** Stops interception. */
export type StopInterception = () => void

/**
 * Starts intercepting model calls in this worker. Must run before SDK clients are constructed,
 * since they capture `fetch` when created: the worker setup file calls it at its top level.
 *
 * `fetch` is intercepted at the `fetch` level (msw's fetch interceptor without socket emulation:
 * several times faster per call than msw's default Node set-up), and `node:http` requests at the
 * `ClientRequest` level, so clients that use either are recorded.
 */
export function startInterception(handlers: InterceptionHandlers): StopInterception {
  const network = defineNetwork({
    sources: [new InterceptorSource({ interceptors: [new FetchInterceptor() as unknown as ClientRequestInterceptor, new ClientRequestInterceptor()] })],
    handlers: [
      http.all('*', async ({ request, requestId }) => {
        if (!handlers.owns(new URL(request.url))) return undefined
        const result = await handlers.handle(request, requestId)
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
