import { nodeCrypto } from '../node-crypto.js'
import { isSortedJson, NOT_PLAIN, sortedCopy } from './sorted-json.js'
import { setOwnField } from '../own-field.js'
import { isUnkeyedQueryParam } from './credential-params.js'

/** The parts of a request that decide which recording answers it. */
export interface CanonicalRequest {
  method: string
  /** Path without host, e.g. `/v1/chat/completions`. */
  path: string
  /** Query parameters, keys sorted. */
  query: Record<string, string | string[]>
  /** Meaning-bearing headers only (see {@link KEY_HEADERS}). */
  headers: Record<string, string>
  /** Parsed JSON body, raw text, or `null` when there is none. */
  body: unknown
}

/** A user hook that removes their own volatile text (timestamps, ids) before the key is computed; it gets the request as stored (redacted). */
export type NormalizeRequest = (request: CanonicalRequest) => CanonicalRequest

/**
 * Request headers that change what a model does, and so belong in the key. The Vercel AI Gateway names the
 * model and whether the call streams in headers only (its body is the same for every model).
 */
export const KEY_HEADERS: readonly string[] = ['anthropic-beta', 'openai-beta', 'ai-language-model-id', 'ai-language-model-streaming']

/** Body fields that vary between identical calls (end-user ids) and never belong in the key. */
const VOLATILE_BODY_PATHS: readonly (readonly string[])[] = [['user'], ['safety_identifier'], ['metadata', 'user_id']]

/** JSON with object keys sorted at every depth, so equal values always print the same. */
export function stableStringify(value: unknown, indent?: number): string {
  // Already sorted (what a cassette holds): V8's plain path prints the same text several times faster.
  if (isSortedJson(value)) return JSON.stringify(value, null, indent) ?? 'null'
  // Plain data (an SDK's request body): a sorted copy, printed the plain way, is still faster than a replacer.
  const copy = sortedCopy(value)
  if (copy !== NOT_PLAIN) return JSON.stringify(copy, null, indent) ?? 'null'
  return JSON.stringify(value, (_key, inner: unknown) => sortKeys(inner), indent) ?? 'null'
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key]
  return sorted
}

export { CREDENTIAL_QUERY_PARAMS, isCredentialQueryParam, isUnkeyedQueryParam } from './credential-params.js'

/**
 * `url` as stored, shown and keyed: its credential query parameters (see `isUnkeyedQueryParam`: `code`, `password`,
 * `x-api-key`, `access_token`…, and the names 0.1.0 dropped whatever their value, `auth=basic`) removed. Other parameters (`api-version`, `alt=sse`) and their order are kept.
 */
export function withoutCredentials(url: URL): URL {
  if (url.search === '') return url
  const names = [...new Set(url.searchParams.keys())].filter((name) => isUnkeyedQueryParam(name, url.searchParams.getAll(name)))
  if (names.length === 0) return url
  const clean = new URL(url)
  for (const name of names) clean.searchParams.delete(name)
  return clean
}

/** Parses a query string into sorted key -> value (or values, when repeated). */
export function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  if (search === '' || search === '?') return query
  const params = new URLSearchParams(search)
  for (const key of [...new Set(params.keys())].sort()) {
    const values = params.getAll(key)
    // `?__proto__=a&__proto__=b` is a field, not the query's prototype (its key leaves it out, as it always has).
    setOwnField(query, key, values.length === 1 ? (values[0] ?? '') : values)
  }
  return query
}

/** Parses a request body: JSON when it is JSON, else the text, else `null`. */
export function parseBody(text: string): unknown {
  if (text === '') return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** `body` without the volatile fields: a deep copy when `copy` (a user hook may change it), else shallow copies along the removed paths. */
function withoutVolatileFields(body: unknown, copy: boolean): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body
  let result = (copy ? structuredClone(body) : body) as Record<string, unknown>
  for (const path of VOLATILE_BODY_PATHS) result = withoutPath(result, path)
  return result
}

/** `target` without the field at `path`: the same object when it has none, else a shallow copy. */
function withoutPath(target: Record<string, unknown>, path: readonly string[], depth = 0): Record<string, unknown> {
  const head = path[depth]
  if (head === undefined || !Object.hasOwn(target, head)) return target
  if (depth === path.length - 1) {
    const { [head]: _removed, ...others } = target
    return others
  }
  const next = target[head]
  if (next === null || typeof next !== 'object' || Array.isArray(next)) return target
  const inner = withoutPath(next as Record<string, unknown>, path, depth + 1)
  return inner === next ? target : { ...target, [head]: inner }
}

/** The request as it enters the key: volatile fields removed, then the user's hook applied. */
export function keyedRequest(request: CanonicalRequest, normalize?: NormalizeRequest): CanonicalRequest {
  const body = withoutVolatileFields(request.body, normalize !== undefined)
  // A live request has no credential parameter left (withoutCredentials); one an earlier version stored (`code=…`) is
  // left out here too, so its recording still answers the request and a miss never prints its value.
  const query = withoutCredentialParams(request.query)
  if (normalize) return normalize({ ...request, query, body })
  if (!hasOnlyCanonicalFields(request)) return { ...request, query, body }
  // Its keys in sorted order: a stored request (sorted at every depth) then prints as canonical JSON without a copy.
  const { headers, method, path } = request
  return { body, headers, method, path, query }
}

/** `query` without its credential parameters (see `isUnkeyedQueryParam`): the same object when it has none. */
function withoutCredentialParams(query: CanonicalRequest['query']): CanonicalRequest['query'] {
  let clean: CanonicalRequest['query'] | undefined
  for (const name in query) {
    if (!Object.hasOwn(query, name) || !isUnkeyedQueryParam(name, query[name] ?? [])) continue
    clean ??= { ...query }
    delete clean[name]
  }
  return clean ?? query
}

function hasOnlyCanonicalFields(request: CanonicalRequest): boolean {
  for (const key in request) if (key !== 'method' && key !== 'path' && key !== 'query' && key !== 'headers' && key !== 'body') return false
  return true
}

/**
 * The stable key of a request: a hash of its canonical JSON (method, path, sorted query,
 * meaning-bearing headers, body without volatile fields).
 *
 * @example
 * requestKey({ method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body })
 */
export function requestKey(request: CanonicalRequest, normalize?: NormalizeRequest): string {
  const keyed = keyedRequest(request, normalize)
  return nodeCrypto().hash('sha256', stableStringify(keyed), 'hex').slice(0, 16)
}
