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
 * Values that are never a secret: a switch (`require_auth=true`, `include_auth=0`, `with_credentials=yes`). A parameter
 * named like a credential that holds one of these is kept in the stored URL and the key.
 */
const SWITCH_VALUE = /^(?:true|false|yes|no|on|off|y|n|t|f|0|1|none|null|undefined)$/i

/**
 * Words that name how to authenticate (`auth=basic`, `authorization=bearer`, `use_credentials=oauth2`): kept after a name
 * whose last word is `auth`, `authorization`, `credential(s)` only (those names often hold a mode; a `password` or
 * `token` holding `basic` is still dropped).
 */
const AUTH_MODE_VALUE = /^(?:anonymous|basic|bearer|digest|oauth[12]?|ntlm|negotiate|kerberos|saml|oidc|sso|jwt|hmac|sigv4|iam|api[-_]?key|token|cookie|session|implicit|explicit|required|optional|public|private|default|password|client_credentials|authorization_code|device_code|refresh_token)$/i
const MODE_NAMES: ReadonlySet<string> = new Set(['auth', 'authorization', 'credential', 'credentials'])

/** True when `value` could not be a credential, whatever its parameter is called (see {@link isCredentialQueryParam}). */
function isPlainSetting(parts: readonly string[], value: string): boolean {
  if (SWITCH_VALUE.test(value)) return true
  const last = parts.at(-1)
  return last !== undefined && MODE_NAMES.has(last) && AUTH_MODE_VALUE.test(value)
}

/**
 * True when a query parameter's name says it carries a credential (case-insensitive): a name in
 * {@link CREDENTIAL_QUERY_PARAMS}, or one whose last word is `secret`, `password`, `passwd`, `pwd`, `signature`, `sig`,
 * `credential(s)`, `auth`, `authorization` or `apikey`, or `key` / `token` (`x-api-key`, `access_token`, `clientSecret`)
 * except where the word before says otherwise (`sort_key`, `page_token`, `max_token`). Plurals (`max_tokens`, `keys`)
 * and names that only contain such a word (`code_interpreter`, `country_code`, `api-version`) are not credentials.
 * With `values` (the parameter's values in the request), a parameter whose every value is a setting, not a secret, is
 * not one either: a switch (`require_auth=true`, `include_auth=0`) or, after `auth`/`authorization`/`credential(s)`,
 * an authentication mode (`auth=basic`). Without `values`, the name alone decides.
 *
 * @example
 * isCredentialQueryParam('X-Api-Key') // true
 * isCredentialQueryParam('max_tokens') // false
 * isCredentialQueryParam('require_auth', ['true']) // false
 */
export function isCredentialQueryParam(name: string, values?: string | readonly string[]): boolean {
  if (!isCredentialName(name)) return false
  if (values === undefined) return true
  const list = typeof values === 'string' ? [values] : values
  const parts = words(name)
  return list.length === 0 || !list.every((value) => isPlainSetting(parts, value))
}

/**
 * The names 0.1.0 (the released version) dropped from every stored URL and key whatever their value (its
 * `CREDENTIAL_QUERY_PARAMS`). Compared lowercased. They stay out of the key, so its recordings of `?auth=basic` or
 * `?token=true` still replay; the setting-value exemption applies only to names 0.1.0 kept (`require_auth=true`).
 */
const DROPPED_BY_0_1_0: ReadonlySet<string> = new Set([
  'api-key', 'api_key', 'apikey', 'key', 'subscription-key', 'access_token', 'token', 'auth', 'sig', 'signature',
  'x-amz-credential', 'x-amz-signature', 'x-amz-security-token', 'x-goog-api-key', 'x-goog-signature', 'x-goog-credential',
])

/**
 * True when a query parameter is left out of the stored URL and the request key: a credential
 * (see {@link isCredentialQueryParam} with `values`), or a name 0.1.0 dropped whatever its value (`auth=basic`,
 * `token=true`), so recordings made with 0.1.0 keep replaying.
 *
 * @example
 * isUnkeyedQueryParam('auth', ['basic']) // true (0.1.0 dropped `auth`)
 * isUnkeyedQueryParam('require_auth', ['true']) // false (a switch under a name 0.1.0 kept)
 */
export function isUnkeyedQueryParam(name: string, values: string | readonly string[]): boolean {
  return DROPPED_BY_0_1_0.has(name.toLowerCase()) || isCredentialQueryParam(name, values)
}

function isCredentialName(name: string): boolean {
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
