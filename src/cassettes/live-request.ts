// What the session reads of a live request: its parts, the canonical request its key is made of, and whether it
// carries one of the placeholder keys the worker sets in `replay`/`auto` (it cannot be recorded then).
import { parseBody, parseQuery, KEY_HEADERS, type CanonicalRequest } from './canonical.js'
import { namedPlaceholderIn, PLACEHOLDER_KEYS, PLACEHOLDER_UNLESS_SET } from './worker-options.js'
import { awsPlaceholderIn } from './aws-credentials.js'
import { multipartBody, multipartBoundary } from './multipart-body.js'

/**
 * What the session reads of a request: msw's \`Request\`, or what the \`fetch\` wrapper passes for a call it
 * may answer itself (building a full \`Request\` for it would cost more than the lookup).
 */
export interface RequestLike {
  url: string
  /** `url` already parsed, when the caller has it (only read). */
  parsedUrl?: URL
  method: string
  headers: Headers
  /** The body as text ('' when there is none). */
  text(): Promise<string>
  /** A replayed stream stops with the abort reason when this aborts, as a network stream does. */
  signal?: AbortSignal
}

/** The canonical request of `request` (its key is made of it), `url` without credential query parameters; a multipart body by its parts (see multipart-body.ts). */
export async function canonicalize(request: RequestLike, url: URL): Promise<CanonicalRequest> {
  const headers: Record<string, string> = {}
  for (const name of KEY_HEADERS) {
    const value = request.headers.get(name)
    if (value !== null) headers[name] = value
  }
  const text = await request.text()
  // A multipart body (an upload) by its parts, not by the boundary the SDK draws at random for every request.
  const boundary = multipartBoundary(request.headers.get('content-type'))
  const body = (boundary === undefined ? undefined : multipartBody(text, boundary)) ?? parseBody(text)
  return { method: request.method.toUpperCase(), path: url.pathname, query: parseQuery(url.search), headers, body }
}

/** The placeholder key `request` carries, by variable name (with the variables the SDK reads in its place), if any. */
export function placeholderKeyIn(request: RequestLike): string | undefined {
  const aws = awsPlaceholderIn(request.headers.get('authorization') ?? '')
  if (aws) return aws
  // Azure OpenAI sends its key as `api-key`, Gemini as `x-goog-api-key` or `?key=`; the others as a bearer token or `x-api-key`.
  const query = new URL(request.url).searchParams.get('key') ?? ''
  const sent = [...['authorization', 'x-api-key', 'api-key', 'x-goog-api-key'].map((name) => request.headers.get(name) ?? ''), query].join(' ')
  const name = Object.entries(PLACEHOLDER_KEYS).find(([, value]) => sent.includes(value))?.[0] ?? namedPlaceholderIn(sent)
  // A variable the SDK reads in its place (Gemini: GOOGLE_API_KEY) is named too.
  const others = name === undefined ? undefined : PLACEHOLDER_UNLESS_SET[name]
  return name && others?.length ? `${name} (or ${others.join(', or ')})` : name
}
