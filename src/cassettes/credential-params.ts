// Which query parameter names carry a credential. Pure: the recorder drops them from what it stores and keys by,
// and `llm-evals cassettes check` flags one left in a cassette.

/**
 * Query parameters that carry credentials whatever else their name says (Azure's \`api-key\` and \`subscription-key\`,
 * Google's \`key\`, OAuth tokens and codes, Azure Functions' \`code\`, SAS tokens, presigned AWS URLs). Compared lowercased.
 */
export const CREDENTIAL_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'api-key', 'api_key', 'apikey', 'key', 'subscription-key', 'access_token', 'token', 'auth', 'sig', 'signature',
  'x-amz-credential', 'x-amz-signature', 'x-amz-security-token', 'x-goog-api-key', 'x-goog-signature', 'x-goog-credential',
  'code', 'sas', 'jwt', 'bearer',
])

/** A name whose last word is one of these is a credential (`client_secret`, `x-api-key`'s `apikey`, `db_password`). */
const CREDENTIAL_WORDS: ReadonlySet<string> = new Set([
  'apikey', 'secret', 'password', 'passwd', 'pwd', 'passphrase', 'signature', 'sig', 'credential', 'credentials', 'auth', 'authorization', 'jwt', 'sas',
])

/** `…key` and `…token` are credentials (`x-api-key`, `access_token`, `sessionToken`) except after these words. */
const NOT_CREDENTIAL_BEFORE_KEY: ReadonlySet<string> = new Set([
  'sort', 'cache', 'partition', 'idempotency', 'dedup', 'dedupe', 'lookup', 'object', 'group', 'foreign', 'primary', 'public', 'search', 'row', 'range', 'hash', 'routing', 'shard', 'bucket', 'map',
  // Pagination keys (`exclusiveStartKey`, `lastEvaluatedKey`, `next_key`): a page's key is not a credential, and
  // dropping it would give every page of a listing one recording.
  'start', 'next', 'last', 'evaluated', 'after', 'before', 'page', 'by', 'order', 'label', 'facet', 'language',
])
const NOT_CREDENTIAL_BEFORE_TOKEN: ReadonlySet<string> = new Set([
  'page', 'next', 'prev', 'previous', 'continuation', 'continue', 'sync', 'pagination', 'resume', 'cursor', 'max', 'stop', 'start', 'end', 'num', 'count', 'limit', 'min', 'input', 'output', 'completion', 'prompt', 'reasoning', 'cached', 'total',
  // Pagination (Azure's `$skipToken`, `deltaToken`, `resumption_token`) and a tokenizer's special tokens (`eos_token`).
  'skip', 'delta', 'offset', 'after', 'before', 'resumption', 'eos', 'bos', 'pad', 'sep', 'unk', 'mask',
])

/** The words of a parameter name, lowercased: `x-api-key` → x, api, key; `pageToken` → page, token. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

/**
 * True when a query parameter's name says it carries a credential (case-insensitive): a name in
 * {@link CREDENTIAL_QUERY_PARAMS}, or one whose last word is `secret`, `password`, `passwd`, `pwd`, `signature`, `sig`,
 * `credential(s)`, `auth`, `authorization` or `apikey`, or `key` / `token` (`x-api-key`, `access_token`, `clientSecret`)
 * except where the word before says otherwise (`sort_key`, `page_token`, `max_token`). Plurals (`max_tokens`, `keys`)
 * and names that only contain such a word (`code_interpreter`, `country_code`, `api-version`) are not credentials.
 *
 * @example
 * isCredentialQueryParam('X-Api-Key') // true
 * isCredentialQueryParam('max_tokens') // false
 */
export function isCredentialQueryParam(name: string): boolean {
  const lower = name.toLowerCase()
  if (CREDENTIAL_QUERY_PARAMS.has(lower)) return true
  const parts = words(name)
  const last = parts.at(-1)
  if (last === undefined) return false
  if (CREDENTIAL_WORDS.has(last)) return true
  const before = parts.at(-2)
  if (last === 'key') return before === undefined || !NOT_CREDENTIAL_BEFORE_KEY.has(before)
  if (last === 'token') return before === undefined || !NOT_CREDENTIAL_BEFORE_TOKEN.has(before)
  return false
}
