// The only module that talks to msw: everything else sees plain fetch Request/Response objects.
import { http, passthrough } from 'msw'
import { setupServer } from 'msw/node'

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
 * Starts intercepting `fetch` in this worker. Must run before SDK clients are constructed,
 * since they capture `fetch` when created: the worker setup file calls it at its top level.
 */
export function startInterception(handlers: InterceptionHandlers): StopInterception {
  const server = setupServer(
    http.all('*', async ({ request, requestId }) => {
      if (!handlers.owns(new URL(request.url))) return undefined
      const result = await handlers.handle(request, requestId)
      return result === 'passthrough' ? passthrough() : result
    }),
  )
  server.events.on('response:bypass', (event) => {
    if (handlers.owns(new URL(event.request.url))) handlers.onNetworkResponse(event.requestId, event.response)
  })
  server.listen({ onUnhandledFrame: 'bypass' })
  return () => server.close()
}
