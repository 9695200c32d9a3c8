// The parts of an uncovered request (`fetch`, msw's `Request`, `http.request`) that tell whether it is a model
// call, read lazily and without consuming anything the caller still sends: headers only when asked, the body
// only when it is a string at hand (or, under msw, a JSON body read from a clone).
import type { UncoveredRequest } from './uncovered-hosts.js'

type FetchInput = Parameters<typeof globalThis.fetch>[0]

/** Bodies larger than this (by `content-length`) are not read from an msw request. */
const MAX_READ_BYTES = 2_000_000

/** The signs of a `fetch(input, init)` call to `url`. */
export function fetchSigns(input: FetchInput, init: RequestInit | undefined, url: URL): UncoveredRequest {
  let headers: Headers | undefined
  const request = input instanceof Request ? input : undefined
  return {
    url,
    path: url.pathname,
    method: init?.method ?? request?.method ?? 'GET',
    header: (name) => (headers ??= new Headers(init?.headers ?? request?.headers)).get(name),
    body: typeof init?.body === 'string' ? init.body : undefined,
  }
}

/** The signs of a request msw passes on; a JSON POST body is read from a clone (the original is still sent). */
export async function mswSigns(request: Request, url: URL): Promise<UncoveredRequest> {
  const length = Number(request.headers.get('content-length') ?? 0)
  const json = request.method === 'POST' && /json/i.test(request.headers.get('content-type') ?? '') && length <= MAX_READ_BYTES
  const body = json && request.body ? await request.clone().text().catch(() => undefined) : undefined
  return { url, path: url.pathname, method: request.method, header: (name) => request.headers.get(name), body }
}

interface HttpOptions {
  method?: string
  path?: string
  headers?: Record<string, unknown> | readonly unknown[]
}

function headerOf(headers: HttpOptions['headers'], name: string): string | undefined {
  if (!headers) return undefined
  if (Array.isArray(headers)) {
    // Raw headers: [name, value, name, value, …].
    for (let index = 0; index + 1 < headers.length; index += 2) if (String(headers[index]).toLowerCase() === name) return String(headers[index + 1])
    return undefined
  }
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && value !== undefined) return Array.isArray(value) ? value.join(', ') : String(value)
  return undefined
}

/** The signs of an `http.request(url?, options?, callback?)` / `http.get(…)` call to `url` (its body is not at hand). */
export function httpSigns(args: readonly unknown[], url: URL, get: boolean): UncoveredRequest {
  const [first, second] = args
  const options = (typeof first === 'string' || first instanceof URL ? second : first) as HttpOptions | undefined
  const fromOptions = typeof options === 'object' && options !== null ? options : undefined
  const path = fromOptions?.path !== undefined ? new URL(fromOptions.path, url).pathname : url.pathname
  return {
    url: new URL(path, url),
    path,
    method: get ? 'GET' : (fromOptions?.method ?? 'GET'),
    header: (name) => headerOf(fromOptions?.headers, name),
  }
}
