// The shapes of well-known credentials that every printed string is scrubbed of in the worker, where secretlint
// (heavy) is not loaded: every token family its recommended preset finds in free text (GitHub, GitLab, Slack, AWS,
// Stripe, npm, SendGrid, Shopify, Hugging Face, Groq, Linear, Notion, Docker, Figma, Databricks, Cloudflare, Vercel,
// Grafana, 1Password, Vault, Tailscale, private keys, passwords in URLs), plus Google API keys. Each shape holds a
// fixed prefix, so one regular expression of prefixes (KNOWN_SECRET_HINT in src/cassettes/redact.ts) tells the
// common case (no prefix: nothing to scrub). What a cassette stores is scrubbed by the main process's secretlint
// scan instead: these never change a stored string or a lookup key. Pure.

/** What a match of some patterns must hold to be a token (checked on the match: see {@link hideWellKnownTokens}). */
const TOKEN_CHECKS = new Map<RegExp, (match: string) => boolean>()
const checked = (pattern: RegExp, isToken: (match: string) => boolean): RegExp => (TOKEN_CHECKS.set(pattern, isToken), pattern)
/** A token's body is random: it has a digit (a snake_case identifier such as `ghs_compute_weighted_average` has none). */
const withDigit = (pattern: RegExp): RegExp => checked(pattern, (match) => /[0-9]/.test(match))

/**
 * True when `body` starts with three dot-separated parts of at least `min` characters each (a JWT's header, payload and
 * signature). Split, not matched: a pattern tried from each `_` of a 30,000-character run read it to its end each time.
 *
 * @example
 * hasJwtParts('eyJhbGciOiJIUzI1NiJ9.e30.c2ln', 3) // true
 */
export function hasJwtParts(body: string, min: number): boolean {
  const parts = body.split('.', 3)
  return parts.length === 3 && parts.every((part) => part.length >= min)
}

/**
 * The user and password of a URL: loose (any `://…:…@`), so not for text decoded from escapes (an encoded query holds
 * `https://app.example.com&start=12:30…&attendee=bob@corp.com`): see {@link exactTokensIn}.
 */
const URL_CREDENTIALS = /(?<=:\/\/)[^\s:/?#@]{0,256}:[^\s/?#]{1,256}(?=@)/g

/**
 * Token shapes, each a fixed prefix and the characters of its kind (lengths and separators as secretlint's rules
 * have them), checked so that ordinary text (words, hex hashes, UUIDs, `npm_config_…` names) is left alone. A match of
 * GitHub's and Slack's patterns is a token only when it holds a digit: scrub with {@link hideWellKnownTokens}.
 */
export const WELL_KNOWN_TOKEN_PATTERNS: readonly RegExp[] = [
  // Every run bounded (no token is 10,000 characters long): an unbounded run over megabytes of token characters
  // overflows V8's regular expression stack (a RangeError). No lookahead scans ahead of a prefix over characters that
  // hold the next prefix (`_`, `-`): from every prefix of 10 MB of "ghp_ghp_…" it rescanned 255 characters (9 s); the
  // digit a token needs is checked on the match instead. A longer run is left for the main process's secret scan.
  // GitHub: classic tokens (ghp_ personal, gho_ OAuth, ghu_ user-to-server, ghs_ server-to-server, ghr_ refresh),
  // fine-grained personal tokens, and the newer app installation tokens (ghs_<app id>_<JWT>).
  withDigit(/(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9_]{36,10000}/g),
  withDigit(/(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,10000}/g),
  // An installation token's JWT is read as one run, dots included, and must hold three parts: read part by part, each
  // `ghs_1_` of 1 MB of "ghs_1_-" read on to the 10,000th character looking for a dot, and back (11 s).
  checked(/(?<![A-Za-z0-9])ghs_[0-9]{1,20}_[A-Za-z0-9_.-]{5,30000}/g, (match) => hasJwtParts(match.slice(match.indexOf('_', 4) + 1), 1)),
  // Slack bot, user, app and workspace tokens: dash-separated parts, one with a digit ("xoxo-love-you" is prose).
  withDigit(/\b(?:xox[abposr]|xapp)-[A-Za-z0-9]{1,40}(?:-[A-Za-z0-9]{1,40}){1,10}/g),
  // AWS access key ids (AKIA long-term, ASIA temporary) and the other key-id prefixes secretlint reports; AWS's
  // documentation example ids (`AKIAIOSFODNN7EXAMPLE`) are left, as secretlint leaves them.
  /\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)(?![A-Z0-9]{9}EXAMPLE\b)[A-Z0-9]{16}\b/g,
  // Google API keys (Gemini, Maps, Firebase): "AIza" and 35 characters.
  /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  // Stripe secret and restricted keys, live and test.
  /(?<![A-Za-z0-9])[sr]k_(?:live|test)_[A-Za-z0-9]{24,10000}/g,
  // npm access tokens: "npm_" and 36 letters or digits (an `npm_config_…` variable's name has underscores).
  /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
  // GitLab personal access tokens.
  /(?<![A-Za-z0-9])glpat-[A-Za-z0-9_-]{20,10000}/g,
  // SendGrid API keys: "SG.", a 22-character id, ".", a 43-character secret (shorter parts too: "SG.x.y" is prose).
  /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{16,10000}\.[A-Za-z0-9_-]{16,10000}/g,
  // Shopify access, shared-secret, custom-app and partner tokens.
  /(?<![A-Za-z0-9])shp(?:at|ss|ca|pa)_[A-Za-z0-9]{32,10000}/g,
  // Hugging Face user access tokens: "hf_" and 34 letters.
  /(?<![A-Za-z0-9])hf_[A-Za-z]{34,10000}/g,
  // Groq, Linear, Notion, Docker Hub, Figma, Databricks, Cloudflare and Vercel tokens.
  /(?<![A-Za-z0-9])gsk_[A-Za-z0-9]{52,10000}/g,
  /(?<![A-Za-z0-9])lin_api_[A-Za-z0-9]{32,10000}/g,
  /(?<![A-Za-z0-9])ntn_[0-9]{11}[A-Za-z0-9]{35,10000}/g,
  /(?<![A-Za-z0-9])dckr_pat_[A-Za-z0-9_-]{27,10000}/g,
  /(?<![A-Za-z0-9])figd_[A-Za-z0-9_-]{40,10000}/g,
  /(?<![A-Za-z0-9])dapi[0-9a-f]{32}(?:-[0-9])?(?![0-9A-Za-z])/g,
  /(?<![A-Za-z0-9])cf(?:k|ut|at)_[A-Za-z0-9]{48,10000}/g,
  /(?<![A-Za-z0-9])vc[pirak]_[A-Za-z0-9]{20,10000}/g,
  // Grafana Cloud API and service account tokens, 1Password service account tokens, HashiCorp Vault tokens.
  /(?<![A-Za-z0-9])glc_[A-Za-z0-9+/]{32,10000}={0,2}/g,
  /(?<![A-Za-z0-9])glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}/g,
  /(?<![A-Za-z0-9])ops_ey[A-Za-z0-9+/=]{100,10000}/g,
  /(?<![A-Za-z0-9])hv[sbr]\.[A-Za-z0-9_-]{90,10000}/g,
  // Tailscale keys: "tskey-", the kind, an id and the secret.
  /(?<![A-Za-z0-9])tskey-[a-z]{2,20}-[0-9A-Za-z_]{8,40}-[0-9A-Za-z_]{16,10000}/g,
  // Slack incoming webhook URLs (the URL is the credential), in any case (`HTTPS://HOOKS.SLACK.COM/…` works too).
  /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]{1,40}\/B[A-Za-z0-9]{1,40}\/[A-Za-z0-9]{1,10000}/gi,
  // The user and password of a URL (`postgres://app:s3cret@db:5432`, `https://user:pass@host`, GitHub's
  // `https://<token>:x-oauth-basic@github.com`): hidden between "://" and "@", the scheme and host kept. The user
  // may be empty (Redis: `redis://:s3cret@cache:6379`), and a password holding an unescaped "@" runs to the last "@"
  // before the host (`postgres://app:p@ss@db`: the whole of `p@ss`, not `p`).
  URL_CREDENTIALS,
  // An npm registry token in an `.npmrc` line (`//registry.npmjs.org/:_authToken=…`), not a `${NPM_TOKEN}` reference.
  // Quoted (`_authToken="…"`) or with spaces around "=", as ini files allow, too; one-character checks first, as below.
  /(?=[^\s'"`…$])(?<=[=\s"'])(?<=_authToken\s{0,10}=\s{0,10}["']?)[^\s'"`…]{1,10000}/g,
  // An AWS secret access key given by name (`aws_secret_access_key = …`, `"SecretAccessKey": "…"`): its value.
  // Its quotes may be escaped (JSON text inside a JSON string: a tool's HTTP body). Two one-character checks first
  // (a value's character here, a separator's before it): else each position of a text ran the name's lookbehind
  // (10 MB of spaces took 2 s).
  /(?=[A-Za-z0-9/+=])(?<=[\s:=>"'])(?<=(?:SECRET|[Ss]ecret)_?(?:ACCESS|[Aa]ccess)_?(?:KEY|[Kk]ey)\\?["']?\s{0,10}(?::|=>|=)\s{0,10}\\?["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/g,
  // A private key block, or its start and base64 lines when the text was cut before its end (the body as written,
  // or as JSON): a header in prose ("starts with -----BEGIN PRIVATE KEY----- followed by…") is left alone. The body
  // holds no "-----" (any character, it read on to the next header from every header: 10 MB of headers took a minute).
  /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:(?:[^-]|-(?!----)){0,20000}?-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----|(?:(?:\r?\n|\\r?\\n)[A-Za-z0-9+/=]{16,100}){1,400})/g,
]


/**
 * `text` with every match of {@link WELL_KNOWN_TOKEN_PATTERNS} that is a token replaced by `replacement`.
 *
 * @example
 * hideWellKnownTokens(`token ${githubToken}`, '[REDACTED]') // 'token [REDACTED]'
 */
export function hideWellKnownTokens(text: string, replacement: string): string {
  let result = text
  for (const pattern of WELL_KNOWN_TOKEN_PATTERNS) {
    const isToken = TOKEN_CHECKS.get(pattern)
    result = isToken ? result.replace(pattern, (match) => (isToken(match) ? replacement : match)) : result.replace(pattern, replacement)
  }
  return result
}

/**
 * Every match of {@link WELL_KNOWN_TOKEN_PATTERNS} in `text` that is a token, with its offset (overlapping matches of
 * different patterns each reported).
 *
 * @example
 * wellKnownTokensIn(`token ${githubToken}`) // [{ value: githubToken, index: 6 }]
 */
export function wellKnownTokensIn(text: string): { value: string; index: number }[] {
  const found: { value: string; index: number }[] = []
  for (const pattern of WELL_KNOWN_TOKEN_PATTERNS) {
    const isToken = TOKEN_CHECKS.get(pattern)
    for (const match of text.matchAll(pattern)) if (!isToken || isToken(match[0])) found.push({ value: match[0], index: match.index })
  }
  return found
}

/**
 * {@link wellKnownTokensIn} but for a URL's user and password (loose: any `://…:…@`): what text decoded from `%XX` or
 * `\u00XX` escapes is scanned with, where an ordinary encoded query or form body reads as such a URL.
 *
 * @example
 * exactTokensIn('redirect=https://app.example.com&t=12:30&to=bob@corp.com') // []
 */
export function exactTokensIn(text: string): { value: string; index: number }[] {
  const found: { value: string; index: number }[] = []
  for (const pattern of WELL_KNOWN_TOKEN_PATTERNS) {
    if (pattern === URL_CREDENTIALS) continue
    const isToken = TOKEN_CHECKS.get(pattern)
    for (const match of text.matchAll(pattern)) if (!isToken || isToken(match[0])) found.push({ value: match[0], index: match.index })
  }
  return found
}

/** `text` as a pattern that matches it in any case (`anyCase('ab.')`: `[Aa][Bb]\\.`), for a sticky pattern that has no `i`. */
function anyCase(text: string): string {
  return [...text].map((char) => (char.toLowerCase() !== char.toUpperCase() ? `[${char.toUpperCase()}${char.toLowerCase()}]` : char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('')
}

/** The mark a shown text's cut leaves (a failure message's `Output:`, a test's stored trace): `… (+N chars)`. */
const CUT_MARK = /… \(\+\d{1,12} chars\)/g
/** How far before a cut mark a secret's start is looked for. */
const CUT_TAIL = 300
/**
 * A secret that starts where it is tried (sticky) and runs up to the end of a text (`$`): a token's prefix and
 * characters, a bearer token, a URL's credentials, an `.npmrc` token or an AWS secret key given by name (these after
 * what names them). Cut short, it is too short for its pattern.
 */
const SECRET_START_AT_END = new RegExp([
  `(?:(?<![A-Za-z0-9])(?:${[
    // Each prefix with the characters of its kind (a snake_case name after "npm_" is no token).
    '(?:[sr]k_(?:live|test)_|npm_|shp(?:at|ss|ca|pa)_|gsk_|lin_api_|ntn_|cf(?:k|ut|at)_|vc[pirak]_)[A-Za-z0-9]+',
    // A Slack token's parts have digits ("xoxo-love-you" is prose).
    '(?:xox[abposr]|xapp)-(?=[A-Za-z-]*[0-9])[A-Za-z0-9-]+',
    '(?:sk-|gh[pousr]_|github_pat_|glpat-|SG\\.|dckr_pat_|figd_|glsa_|hv[sbr]\\.|tskey-|AIza)[A-Za-z0-9_.-]+',
    '(?:glc_|ops_)[A-Za-z0-9+/=]+',
    'hf_[A-Za-z]+',
    // Words start like these (ASIA, AIDA): a few of the key's characters must follow.
    'dapi[0-9a-f]{4,}',
    'A(?:3T[A-Z0-9]|KIA|SIA|GPA|IDA|ROA|IPA|NPA|NVA)[A-Z0-9]{4,}',
  ].join('|')})`,
  // A token glued to the word before it (src/glued-tokens.ts), cut: at least 8 of its characters after the prefix, a
  // digit among them, and only letters and digits after the prefixes words end in (`highs_and_lows_20…` stays).
  '|(?<=[A-Za-z0-9_])(?:gh[pousr]_|[sr]k_(?:live|test)_|npm_|shp(?:at|ss|ca|pa)_|gsk_|lin_api_|ntn_|cf(?:k|ut|at)_|vc[pirak]_|glc_|ops_|tskey-|AIzaSy|dapi|A(?:3T[A-Z0-9]|KIA|SIA|GPA|IDA|ROA|IPA|NPA|NVA))(?=[A-Za-z0-9]{8})[A-Za-z]*[0-9][A-Za-z0-9]*',
  '|(?<=[A-Za-z0-9_])(?:github_pat_|glsa_|glpat-|SG\\.|dckr_pat_|figd_|hv[sbr]\\.|(?:xox[abposr]|xapp)-(?=[0-9]))(?=[A-Za-z0-9_.-]{8})[A-Za-z_.-]*[0-9][A-Za-z0-9_.-]*',
  // Hugging Face's letters: both cases among them.
  '|(?<=[A-Za-z0-9_])hf_(?=[A-Za-z]{8})(?=[a-z]*[A-Z])(?=[A-Z]*[a-z])[A-Za-z]+',
  '|(?<=\\b[Bb]earer\\s{1,100})[A-Za-z0-9._~+/=-]+',
  // HTTP Basic credentials (src/basic-auth.ts), cut: base64 with a digit or one of `+/=` (not a word: "Basic usage").
  '|(?<=\\b(?:[Bb]asic|BASIC)\\s{1,10})(?=[A-Za-z]*[0-9+/=])[A-Za-z0-9+/=]{4,}',
  `|${anyCase('https://hooks.slack.com/services/')}[A-Za-z0-9/]*`,
  // A URL's credentials: "user:pass" or ":pass" (not a host and the digits of its port), or what follows a first "@"
  // the URL pattern hid (`postgres://[REDACTED]@ss` of `app:p@ss…`).
  '|(?<=:\\/\\/)(?:\\[REDACTED\\]@[^\\s/?#]*|[^\\s:/?#@]*:(?![0-9]{0,5}$)[^\\s/?#]*)',
  `|(?<=_authToken\\s{0,10}=\\s{0,10}["']?)(?!\\$)[^\\s'"\`…]+`,
  `|(?<=(?:SECRET|[Ss]ecret)_?(?:ACCESS|[Aa]ccess)_?(?:KEY|[Kk]ey)\\\\?["']?\\s{0,10}(?::|=>|=)\\s{0,10}\\\\?["']?)[A-Za-z0-9/+=]+`,
  ')$',
].join(''), 'y')

/**
 * `text` with the start of a secret that a cut left just before its mark (`ghp_a1b2… (+20 chars)`) replaced by
 * `[REDACTED]`: a shown text is cut before it is scrubbed (a failure message's output, a stored trace's tool result),
 * and what is left of a token is too short for its pattern. Text without a cut mark is returned as it is.
 *
 * @example
 * hideCutSecrets('token ghp_a1b2c3… (+30 chars)') // 'token [REDACTED]… (+30 chars)'
 */
export function hideCutSecrets(text: string): string {
  if (!text.includes('… (+')) return text
  let result = ''
  let shown = 0
  let previous = 0
  for (const mark of text.matchAll(CUT_MARK)) {
    // Only the text since the previous mark: each character is looked at once, however many marks there are.
    const tail = text.slice(Math.max(previous, mark.index - CUT_TAIL), mark.index)
    const from = mark.index - tail.length
    previous = mark.index + mark[0].length
    // A secret holds no space: it starts in the run of other characters that ends at the mark.
    let run = tail.length
    while (run > 0 && !/\s/.test(tail[run - 1]!)) run--
    const start = secretStartIn(tail, run)
    if (start === undefined) continue
    result += `${text.slice(shown, from + start)}[REDACTED]`
    shown = mark.index
  }
  return result + text.slice(shown)
}

/** Where in `tail`, from `run` on, a secret starts that runs to its end; undefined when none does. */
function secretStartIn(tail: string, run: number): number | undefined {
  for (let at = run; at < tail.length; at++) {
    SECRET_START_AT_END.lastIndex = at
    if (SECRET_START_AT_END.test(tail)) return at
  }
  return undefined
}
