// Owned `fetch` calls served without msw, while msw has not started: a replay answered from the cassette, and
// a recording sent with Node's own `fetch`. msw's per-request machinery cost more than either (a recording went
// through msw twice: its fetch interceptor, then its socket interceptor parsing the passthrough's HTTP again).

/** A `fetch` call's request as the session reads it: method, headers, the body as text, and its abort signal. */
export interface FetchParts {
  url: string
  /** `url` as the \`fetch\` wrapper parsed it (only read): the session need not parse it again. */
  parsedUrl?: URL
  method: string
  headers: Headers
  text(): Promise<string>
  /** A replayed stream stops with the abort reason when this aborts, as a network stream does. */
  signal?: AbortSignal
}

/** What the session does with a `fetch` served directly (see `InterceptionHandlers`). */
export interface DirectHandlers {
  /** A response decided from the cassette alone, or `undefined` when the request must be recorded. */
  answer(request: FetchParts): Promise<Response | undefined>
  /** A stored or synthetic response, or `'passthrough'`: send it, and give `onNetworkResponse` a copy of the response. */
  handle(request: FetchParts, requestId: string): Promise<Response | 'passthrough'>
  onNetworkResponse(requestId: string, response: Response): void
  /** A passed-through request got no response (network error, abort): nothing will be recorded for it. */
  onNetworkError?(requestId: string): void
}

/** The parts of a `fetch(url, init)` call whose body is absent, text or bytes (read without consuming it). */
export function fetchParts(init: RequestInit | undefined, url: URL): FetchParts {
  const signal = init?.signal ?? undefined
  return {
    url: url.href,
    parsedUrl: url,
    method: (init?.method ?? 'GET').toUpperCase(),
    // Only read: the caller's own `Headers` (the SDKs pass one) needs no copy.
    headers: init?.headers instanceof Headers ? init.headers : new Headers(init?.headers),
    text: async () => bodyText(init?.body),
    ...(signal ? { signal } : {}),
  }
}

let directRequests = 0

/**
 * Serves an owned `fetch` without msw: the recorded answer when the cassette decides (a `Response` whose `url`
 * is the request's, as msw gives), else the request as the app made it, sent with `send` (Node's own `fetch`)
 * once the session has noted it, and a copy of the response for the session to record.
 */
export async function fetchDirectly(handlers: DirectHandlers, parts: FetchParts, send: () => Promise<Response>): Promise<Response> {
  const { signal } = parts
  signal?.throwIfAborted()
  // As fetch does, an abort rejects at once, even while the answer is being looked up.
  const decide = <T>(work: Promise<T>) => (signal ? untilAborted(work, signal) : work)
  const answered = await decide(handlers.answer(parts))
  if (answered) return withUrl(answered, parts.url)
  const requestId = `direct-fetch-${++directRequests}`
  let response: Response
  try {
    const decision = await decide(handlers.handle(parts, requestId))
    if (decision !== 'passthrough') return withUrl(decision, parts.url)
    response = await send()
  } catch (error) {
    // Aborted or failed: a request the session noted will never have a response to record.
    handlers.onNetworkError?.(requestId)
    throw error
  }
  // The app reads the response, the session its copy (a stream is teed, chunk by chunk).
  handlers.onNetworkResponse(requestId, response.clone())
  return response
}

function withUrl(response: Response, url: string): Response {
  Object.defineProperty(response, 'url', { value: url, configurable: true })
  return response
}

/** `work`, or a rejection with the abort reason as soon as `signal` aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    const settle = () => signal.removeEventListener('abort', onAbort)
    work.then(
      (value) => {
        settle()
        resolve(value)
      },
      (error: unknown) => {
        settle()
        reject(error)
      },
    )
  })
}

function bodyText(body: RequestInit['body']): string {
  if (body === undefined || body === null) return ''
  if (typeof body === 'string') return body
  if (body instanceof URLSearchParams) return body.toString()
  const bytes = ArrayBuffer.isView(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : new Uint8Array(body as ArrayBuffer)
  return new TextDecoder().decode(bytes)
}
