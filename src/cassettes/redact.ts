import { SecretLeakError } from '../errors/index.js'
import { PLACEHOLDER_KEYS } from './worker-options.js'
import { AWS_PLACEHOLDER_CREDENTIALS } from './aws-credentials.js'
import { hideCutSecrets, hideWellKnownTokens } from '../well-known-tokens.js'
import { hideGluedTokens } from '../glued-tokens.js'
import { hideBasicCredentials } from '../basic-auth.js'
import { leakAdvice, type WrittenFileKind } from './leak-advice.js'

/** What replaces a scrubbed secret in a stored string. */
export const REDACTED = '[REDACTED]'

/**
 * Patterns of well-known credentials, scrubbed synchronously from every stored string (test names too, which
 * must scrub the same way when a recording is stored and when it is looked up). The secret scanner
 * (`secret-scan.ts`) reports them too, under these ids.
 */
export const KNOWN_SECRET_PATTERNS: readonly { id: string; pattern: RegExp }[] = [
  // Bounded runs (no key is 10,000 characters long): an unbounded greedy run backtracks one step per character, and
  // over megabytes of key characters (a base64 blob after "sk-" in model output or a hostile cassette) V8's regular
  // expression stack overflows with a RangeError. A longer run is scrubbed 10,000 characters at a time.
  { id: 'vitest-llm-evals/sk-key', pattern: /\bsk-ant-[A-Za-z0-9_-]{8,10000}/g },
  { id: 'vitest-llm-evals/sk-key', pattern: /\bsk-[A-Za-z0-9_-]{16,10000}/g },
  // A key glued to the word before it ("thesk-proj-…", where `\b` does not hold), run after the two above so that it
  // changes no text they scrub. Only shapes no word has: an OpenAI key's as secretlint's rule knows it ("T3BlbkFJ",
  // "OpenAI" in base64, after 58 or 74 characters), an Anthropic key's `sk-ant-api03-` (`admin01`, `sid01`); so
  // "desk-admin-panel-2024" stays as it is. Fixed lengths, no open-ended scan ahead: 2.6 ms a megabyte of prose, the
  // worst (a megabyte of "xsk-proj-" over and over) 0.15-0.2 s, measured on a loaded 2-core machine.
  {
    id: 'vitest-llm-evals/sk-key',
    pattern: /\Bsk-(?:(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{58}(?:[A-Za-z0-9_-]{16})?|[A-Za-z0-9]{20})T3BlbkFJ[A-Za-z0-9_-]{0,10000}|ant-(?:api|admin|sid)\d{2}-[A-Za-z0-9_-]{32,10000})/g,
  },
  // A token, not prose: "Bearer authentication" is left alone, a bearer token has digits.
  { id: 'vitest-llm-evals/bearer-token', pattern: /\bBearer\s{1,100}(?=[A-Za-z._~+/=-]{0,10000}\d)[A-Za-z0-9._~+/=-]{8,10000}/gi },
]

/**
 * Names of environment variables that hold credentials: `*_API_KEY`, `*_KEY`, `*_TOKEN`, `*_SECRET`,
 * `*_PASSWORD`, and the cloud providers' own (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
 * `AWS_BEARER_TOKEN_BEDROCK`, `AZURE_CLIENT_SECRET`, `GOOGLE_API_KEY`…). Their live values must never reach a file or a message.
 */
export const SECRET_ENV_NAME = /(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|ACCESS_KEY_ID|CREDENTIALS)$|^AWS_BEARER_TOKEN_BEDROCK$/i

/** Shorter values are not guarded: a short value (a flag, a region) would match ordinary text. */
export const MIN_SECRET_LENGTH = 12

/** A user redaction: a literal string or a regular expression (stored as source + flags to cross workers). */
export type RedactRule = { literal: string } | { source: string; flags: string }

const compiled = new WeakMap<RedactRule, RegExp>()

/** The rule as a global regular expression, made once per rule object (a regular expression's `replace` starts at 0). */
function toRegExp(rule: RedactRule): RegExp {
  let regexp = compiled.get(rule)
  if (!regexp) {
    regexp = 'literal' in rule ? new RegExp(rule.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : new RegExp(rule.source, rule.flags.includes('g') ? rule.flags : `${rule.flags}g`)
    compiled.set(rule, regexp)
  }
  return regexp
}

/**
 * Every known key pattern and well-known token shape contains one of these prefixes (`Bearer` as `bearer` and
 * `BEARER` too): text without one is left as it is, unscanned. Tested on every string of every test's meta in the
 * worker (src/meta-secrets.ts), so it is written for speed: the prefixes that end in `-` or `_` are found from that
 * character (rare in prose) looking back, an AWS or Google key's prefix counts only with its characters (AIDA, ASIA are
 * words too), and no flag (`i`) widens what each position is checked against. The rarer shapes are found the same
 * way, from a character rare in prose looking back: `.` (`SG.`, `hvs.`), `=` (`_authToken=`); a URL's `user:password@`
 * from its `://` looking ahead (looked for back from each `@`, every e-mail address in JSON text cost ~250 steps: a
 * JSON string of 40 addresses took 160 µs, not 18); and a cut mark, `… (+N chars)` (see `hideCutSecrets`).
 * Measured on 130-character prose in one process (a loaded 2-core machine): the old `/sk-|bearer/i` 0.19–0.34 µs a
 * string, this one 0.47–0.95 µs, a plain alternation of the 20 prefixes 0.6–1.0 µs, the prefixes behind one character
 * class 1.2. With the rarer shapes (session 18, 110-character texts, same machine): 0.25–0.56 µs before, 0.45–0.85 after.
 * HTTP Basic credentials count from "Basic " and 8 or more base64 characters (as src/basic-auth.ts wants them) with a
 * capital, digit or `+/=` past the first ("basic usage", "Basic Authentication", "basic RAG", "Basic 2024" are prose:
 * no scrub pass; with 1+ characters, 5 MB of prose saying "basic RAG" took 391 ms, not 10); 110-character prose
 * 0.73–1.07 µs a string, old 0.78–0.89 (session 19, a loaded 2-core machine: within the noise).
 */
export const KNOWN_SECRET_HINT =
  /[-_](?<=sk-|xox[abposr]-|xapp-|gh[pousr]_|github_pat_|[sr]k_live_|[sr]k_test_|npm_|glpat-|shp(?:at|ss|ca|pa)_|hf_|gsk_|lin_api_|ntn_|dckr_pat_|figd_|cf(?:k|ut|at)_|vc[pirak]_|glc_|glsa_|ops_|tskey-)|\.(?<=SG\.|hv[sbr]\.|[Hh][Oo][Oo][Kk][Ss]\.)|:\/\/[^\s:/?#@]{0,256}:[^\s/?#]{1,256}@|=(?<=_authToken\s{0,10}=)|[yY](?<=(?:SECRET|[Ss]ecret)_?(?:ACCESS|[Aa]ccess)_?(?:KEY|[Kk]ey))|A(?:3T[A-Z0-9]|KIA|SIA|GPA|IDA|ROA|IPA|NPA|NVA)[A-Z0-9]{16}|AIza[0-9A-Za-z_-]{35}|dapi[0-9a-f]{32}|[Bb]earer|BEARER|(?:[Bb]asic|BASIC)\s{1,10}(?=[A-Za-z0-9+/]{8})[A-Za-z0-9+/][a-z]{0,40}[A-Z0-9+/=]|PRIVATE KEY|… \(\+\d/

/** Every {@link KNOWN_SECRET_PATTERNS} match contains one of these. */
const KEY_HINT = /sk-|bearer/i

/**
 * Replaces known key patterns (`sk-…`, bearer tokens) and the user's redaction rules in one string: what a cassette
 * stores and what a recording is looked up under (test names), the same in every version, so that recordings made
 * by an earlier one are still found and replay what was live. Text only shown (messages, meta, annotations) is
 * scrubbed of more: {@link scrubShown}.
 */
export function scrubString(text: string, rules: readonly RedactRule[] = []): string {
  let result = text
  if (KEY_HINT.test(result)) {
    for (const { pattern } of KNOWN_SECRET_PATTERNS) {
      result = result.replace(pattern, (match) => (/^bearer/i.test(match) ? `Bearer ${REDACTED}` : REDACTED))
    }
  }
  for (const rule of rules) {
    // A literal that is not there changes nothing: checked without a regular expression.
    if ('literal' in rule && rule.literal !== '' && !result.includes(rule.literal)) continue
    result = result.replace(toRegExp(rule), REDACTED)
  }
  return result
}

/**
 * {@link scrubString}, and the well-known token shapes (GitHub, GitLab, Slack, AWS, Google, Stripe, npm, SendGrid,
 * Shopify, Hugging Face and secretlint's other token families, private key blocks, passwords in URLs:
 * src/well-known-tokens.ts), also glued to the word before them (src/glued-tokens.ts), and HTTP Basic credentials
 * (src/basic-auth.ts), that the worker cannot ask secretlint about: for text a run shows or hands to
 * Vitest's reporters (failure messages, test meta, annotations), never for what a cassette stores or is looked up by.
 */
export function scrubShown(text: string, rules: readonly RedactRule[] = []): string {
  let result = scrubString(text, rules)
  if (!KNOWN_SECRET_HINT.test(result)) return result
  result = hideBasicCredentials(hideGluedTokens(hideWellKnownTokens(result, REDACTED), REDACTED), REDACTED)
  // What a cut (`… (+N chars)`, made before this scrub) left of a token is too short for its pattern.
  return hideCutSecrets(result)
}

/** Returns a deep copy of `value` with every string (keys included) scrubbed. */
export function scrubDeep<T>(value: T, rules: readonly RedactRule[] = []): T {
  if (typeof value === 'string') return scrubString(value, rules) as T
  if (Array.isArray(value)) return value.map((item: unknown) => scrubDeep(item, rules)) as T
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {}
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue
      const name = scrubString(key, rules)
      const scrubbed = scrubDeep((value as Record<string, unknown>)[key], rules)
      // An own `__proto__` field (JSON.parse makes one from model output) stays a field: assigned, it would become the copy's prototype and drop out of what is written.
      if (name === '__proto__') Object.defineProperty(copy, name, { value: scrubbed, enumerable: true, writable: true, configurable: true })
      else copy[name] = scrubbed
    }
    return copy as T
  }
  return value
}

/**
 * False when {@link scrubDeep} would return an equal copy of `value`: no string in it (keys included) holds a
 * known key pattern's hint or a literal rule's text. Lets a caller keep `value` as it is instead of copying it
 * (the reporter checks each finished test's scores: a copy per test was GC work in the main process, issue 17).
 * A rule that is not a literal counts as a change (not tested here).
 *
 * @example
 * mayScrub({ reason: 'fine' }, [{ literal: 'sk-live-123456789' }]) // false
 */
export function mayScrub(value: unknown, rules: readonly RedactRule[] = []): boolean {
  if (typeof value === 'string') return stringMayScrub(value, rules)
  if (Array.isArray(value)) {
    for (const item of value) if (mayScrub(item, rules)) return true
    return false
  }
  if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue
      if (stringMayScrub(key, rules) || mayScrub((value as Record<string, unknown>)[key], rules)) return true
    }
  }
  return false
}

/** The tests of {@link scrubString}, without replacing: false when it would return `text` unchanged. */
function stringMayScrub(text: string, rules: readonly RedactRule[]): boolean {
  if (KNOWN_SECRET_HINT.test(text)) return true
  for (const rule of rules) if (!('literal' in rule) || rule.literal === '' || text.includes(rule.literal)) return true
  return false
}

/** Live secret values (from the environment) that a write must never contain. */
export function liveSecrets(env: NodeJS.ProcessEnv = process.env, placeholders: readonly string[] = [...Object.values(PLACEHOLDER_KEYS), ...Object.values(AWS_PLACEHOLDER_CREDENTIALS)]): { name: string; value: string }[] {
  const secrets: { name: string; value: string }[] = []
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < MIN_SECRET_LENGTH || !SECRET_ENV_NAME.test(name) || placeholders.includes(value)) continue
    // A path (e.g. GOOGLE_APPLICATION_CREDENTIALS) names a file, it is not the credential.
    if (value.startsWith('/') || /^[A-Za-z]:\\/.test(value)) continue
    secrets.push({ name, value })
  }
  return secrets
}

/**
 * `value` (any JSON) with every string scrubbed for a file that is shared (history, report, summary): known key
 * patterns, the values of live credential variables and `found` (the literal rules of what the secret scan
 * found, see `secretRules`) replaced by `[REDACTED]`.
 */
export function scrubForSharing<T>(value: T, secrets: readonly { name: string; value: string }[] = liveSecrets(), found: readonly RedactRule[] = []): T {
  return scrubDeep(value, [...found, ...secrets.map((secret) => ({ literal: secret.value }))])
}

/**
 * Throws a {@link SecretLeakError} when `text`, about to be written to `file`, holds the value of a live
 * credential variable: the one guard every file the library writes goes through. `kind` says what the file is when
 * its name does not (a label, an import), for the refusal's advice.
 */
export function guardWrite(file: string, text: string, secrets: readonly { name: string; value: string }[] = liveSecrets(), kind?: WrittenFileKind): void {
  assertNoSecrets(text, file, secrets, undefined, undefined, kind)
}

/**
 * The forms a secret value takes in written text: as is, inside a JSON string (a `"` or `\` in a password is
 * escaped there), in HTML (`&quot;`, `&amp;`…) and URL-encoded (a query parameter: `/`, `+`, `=` of a base64 key
 * become `%2F`, `%2B`, `%3D`, as the app encoded it or as the URL is written again once its credential parameters
 * are removed). Each must be caught, or a value with such a character escapes.
 */
export function writtenForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1)
  const html = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
  const url = encodeURIComponent(value)
  const form = new URLSearchParams({ v: value }).toString().slice(2)
  return [...new Set([value, json, html, url, form])]
}

/**
 * `text` with every live secret value (in any of its {@link writtenForms}) replaced by `[REDACTED <name>]`: for messages
 * that are printed. Every place a value is found is hidden at once, so values that overlap (one inside another, two that
 * share a part) are hidden whole: replaced one after the other, the first would leave the rest of the second shown.
 */
export function hideSecrets(text: string, secrets: readonly { name: string; value: string }[]): string {
  const found: { start: number; end: number; name: string }[] = []
  for (const { name, value } of secrets) {
    for (const form of writtenForms(value)) {
      if (form === '') continue
      for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + form.length)) found.push({ start: at, end: at + form.length, name })
    }
  }
  if (found.length === 0) return text
  // By start, the longest first: a run of places that overlap is hidden as one, named after the value it starts with.
  found.sort((a, b) => a.start - b.start || b.end - a.end)
  let result = ''
  let shown = 0
  for (let index = 0; index < found.length; ) {
    const { start, name } = found[index]!
    let { end } = found[index]!
    for (index++; index < found.length && found[index]!.start < end; index++) end = Math.max(end, found[index]!.end)
    result += `${text.slice(shown, start)}[REDACTED ${name}]`
    shown = end
  }
  return result + text.slice(shown)
}

/**
 * `text` with every live secret value hidden (see {@link hideSecrets}) and every known key pattern scrubbed: for a
 * printed text that is then cut, so it must be called on the whole text (a key cut in two matches neither way).
 *
 * @example
 * hideSecretText('key sk-abcdefghijklmnop1234', []) // 'key [REDACTED]'
 */
export function hideSecretText(text: string, secrets: readonly { name: string; value: string }[] = []): string {
  return scrubString(hideSecrets(text, secrets))
}

/**
 * {@link hideSecretText} with the well-known token shapes too ({@link scrubShown}): for a message a run prints and
 * hands to Vitest's reporters, not for the names usage reports and cassettes keep (which the main process scans).
 */
export function hideShownText(text: string, secrets: readonly { name: string; value: string }[] = []): string {
  return scrubShown(hideSecrets(text, secrets))
}

/**
 * Throws a {@link SecretLeakError} when `serialized` (what is about to be written to `file`) still contains
 * a live secret. With `test`, `serialized` is one recording of that test (of `tool`'s call, when given): only it
 * is refused. The message never holds the value: the test's name is printed with live values and key patterns hidden.
 */
export function assertNoSecrets(serialized: string, file: string, secrets: readonly { name: string; value: string }[], test?: string, tool?: string, kind?: WrittenFileKind): void {
  for (const { name, value } of secrets) {
    const at = writtenForms(value).reduce((found, form) => (found !== -1 ? found : serialized.indexOf(form)), -1)
    if (at === -1) continue
    const shownTest = test === undefined ? '' : `test "${hideSecretText(test, secrets)}"`
    const where = test === undefined ? `line ${serialized.slice(0, at).split('\n').length}` : tool === undefined ? `a recording of ${shownTest}` : `a recording of tool "${hideSecretText(tool, secrets)}" in ${shownTest}`
    const outcome = test === undefined ? 'The file on disk was left as it was.' : "That recording was not stored; the file's other recordings were."
    const inTestName = test !== undefined && writtenForms(value).some((form) => test.includes(form))
    const fix = leakAdvice(file, { ...(test === undefined ? {} : { test }), ...(tool === undefined ? {} : { tool }), inTestName, ...(kind ? { kind } : {}) })
    throw new SecretLeakError(`Refused to write ${file}: it would contain the value of ${name} (${where}). ${outcome} ${fix}`)
  }
}
