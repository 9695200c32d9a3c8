// Well-known tokens glued to the word before them ("keyisghp_…", "tokenAKIA…", URL-encoded text's "%3Aghp_…"): the
// token patterns of src/well-known-tokens.ts and secretlint's rules want no letter or digit before a token, so both
// passed these over and a cassette stored them. Here a token counts glued only in its exact shape, ending where its
// characters end, and random (a digit, a small letter and a capital or a letter past `f` in base62 bodies; mixed case
// for Hugging Face's letters): an identifier that happens to hold a prefix (`task_live_counter`, `highs_and_lows`,
// `mvc_HomeController`, `mask_test_<md5>`, `load_github_pat_from_…`), base64 data, ULIDs, UUIDs, hashes, ticket ids
// and SKUs in capitals (`EURASIA2024…`) are not tokens. After any non-ASCII character counts as glued (`令牌ghp_…`).
// Found for the stored copy by the secret scan (src/cassettes/secret-scan.ts) and hidden from shown text (scrubShown).
// One pass over the text: every run is bounded and no lookahead scans past a token's own characters. Pure.
import { hasJwtParts } from './well-known-tokens.js'

/** One kind of glued token: its shape (after a letter or digit) and what its characters must hold to count. */
interface GluedShape {
  source: string
  random: (token: string) => boolean
}

const hasDigit = (token: string): boolean => /[0-9]/.test(token)
const always = (): boolean => true
/**
 * A random base62 body (after the prefix's last `_` or `-`): a digit, a small letter, and a capital or a small letter
 * past `f`. A hex hash (`mask_test_<md5>`, `thighs_<uuid hex>`) or a capitals-and-digits timestamp
 * (`risk_live_20240101T000000Z…`) is none; a real token of 20+ random base62 characters lacks one by chance < 1e-4.
 */
const mixedBody = (token: string): boolean => {
  const body = token.slice(Math.max(token.lastIndexOf('_'), token.lastIndexOf('-')) + 1)
  return /[0-9]/.test(body) && /[a-z]/.test(body) && /[A-Zg-z]/.test(body)
}
/** Slack's last part: random letters and digits (`xoxo-20240214-card` is a slug). */
const slackSecret = (token: string): boolean => {
  const last = token.slice(token.lastIndexOf('-') + 1)
  return (/[0-9]/.test(last) && /[A-Za-z]/.test(last)) || (/[a-z]/.test(last) && /[A-Z]/.test(last))
}
// Base62 bodies end where the letters and digits end: not inside an identifier (`_`) or a longer run.
const END = '(?![A-Za-z0-9_])'

const GLUED_SHAPES: readonly GluedShape[] = [
  // GitHub classic tokens: 36 letters and digits. Fine-grained ones, and app installation tokens (a JWT).
  { source: `gh[pousr]_[A-Za-z0-9]{36}${END}`, random: mixedBody },
  // Fine-grained: 82 characters (22, `_`, 59), no more (`load_github_pat_from_secret_manager_v2` is a name).
  { source: `github_pat_[A-Za-z0-9_]{82}${END}`, random: (token) => mixedBody(token.replaceAll('_', '').slice(9)) },
  // The JWT read as one run, dots included, then checked for its three parts (read part by part, a run without a dot
  // was read to its end and back from every prefix in it).
  { source: 'ghs_[0-9]{1,20}_eyJ[A-Za-z0-9_.-]{16,30000}', random: (token) => hasJwtParts(token.slice(token.indexOf('_eyJ') + 1), 8) },
  // Slack as issued: numeric parts, then a long random last part (`xoxo-20240214-card` is a slug). Each part is one
  // character class apart from the next (`-`), so no part reads back into another.
  { source: '(?:xox[abposr](?:-[0-9]{6,20}){1,4}|xapp-[0-9]-[A-Z0-9]{6,20}(?:-[0-9]{6,20}){1,2})-[A-Za-z0-9]{16,128}(?![A-Za-z0-9])', random: slackSecret },
  // AWS key ids (AWS's documentation ids left, as secretlint leaves them): glued only after a small letter, digit, `_`
  // or `%XX`, never inside a run of capitals (`EURASIA2024…`, `CANVASPRINT…`), and not the rare `A3T…` (a ULID, base64
  // hold it). Google API keys as Google issues them.
  { source: `(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)(?<=(?:[a-z0-9_\\u0080-\\uffff]|%[0-9A-Fa-f]{2})A[A-Z]{3})[A-Z0-9]{16}${END}`, random: (token) => hasDigit(token.slice(4)) && !token.endsWith('EXAMPLE') },
  { source: 'AIzaSy[0-9A-Za-z_-]{33}(?![0-9A-Za-z_-])', random: always },
  { source: `[sr]k_(?:live|test)_[A-Za-z0-9]{24,10000}${END}`, random: mixedBody },
  { source: `npm_[A-Za-z0-9]{36}${END}`, random: mixedBody },
  { source: 'glpat-[A-Za-z0-9_-]{20,10000}', random: hasDigit },
  { source: 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])', random: hasDigit },
  { source: `shp(?:at|ss|ca|pa)_[A-Za-z0-9]{32,10000}${END}`, random: hasDigit },
  { source: `hf_[A-Za-z]{34,10000}${END}`, random: (token) => /[a-z]/.test(token.slice(3)) && /[A-Z]/.test(token) },
  { source: `gsk_[A-Za-z0-9]{52,10000}${END}`, random: mixedBody },
  { source: `lin_api_[A-Za-z0-9]{32,10000}${END}`, random: mixedBody },
  { source: `ntn_[0-9]{11}[A-Za-z0-9]{35,10000}${END}`, random: always },
  { source: 'dckr_pat_[A-Za-z0-9_-]{27,10000}', random: hasDigit },
  { source: 'figd_[A-Za-z0-9_-]{40,10000}', random: hasDigit },
  { source: 'dapi[0-9a-f]{32}(?:-[0-9])?(?![0-9A-Za-z])', random: hasDigit },
  { source: `cf(?:k|ut|at)_[A-Za-z0-9]{48,10000}${END}`, random: mixedBody },
  { source: `vc[pirak]_[A-Za-z0-9]{20,10000}${END}`, random: mixedBody },
  { source: 'glc_[A-Za-z0-9+/]{32,10000}={0,2}(?![A-Za-z0-9_+/=])', random: hasDigit },
  { source: `glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}${END}`, random: always },
  { source: 'ops_ey[A-Za-z0-9+/=]{100,10000}', random: always },
  { source: 'hv[sbr]\\.[A-Za-z0-9_-]{90,10000}', random: hasDigit },
  { source: 'tskey-[a-z]{2,20}-[0-9A-Za-z_]{8,40}-[0-9A-Za-z_]{16,10000}', random: always },
]

/**
 * Every shape, each in its own group, after a letter, digit or `_` (a token after `_` that the token patterns pass over:
 * Slack's, AWS's and Google's, which want a word boundary). One expression: one pass over the text, whatever the count.
 */
const GLUED_TOKEN = new RegExp(`(?<=[A-Za-z0-9_\\u0080-\\uffff])(?:${GLUED_SHAPES.map(({ source }) => `(${source})`).join('|')})`, 'g')

/** The shape `match` took (its first defined group), or undefined for none. */
function shapeOf(match: RegExpExecArray | string[]): GluedShape | undefined {
  for (let group = 1; group < match.length; group++) if (match[group] !== undefined) return GLUED_SHAPES[group - 1]
  return undefined
}

/**
 * Each well-known token in `text` glued to the word before it (`keyisghp_…`), with its offset: the token only, the
 * word kept. A token after `_` is reported too, whether or not the token patterns find it.
 *
 * @example
 * gluedTokensIn(`keyis${githubToken} now`) // [{ value: githubToken, index: 5 }]
 */
export function gluedTokensIn(text: string): { value: string; index: number }[] {
  const found: { value: string; index: number }[] = []
  for (const match of text.matchAll(GLUED_TOKEN)) {
    if (shapeOf(match)?.random(match[0])) found.push({ value: match[0], index: match.index })
  }
  return found
}

/**
 * `text` with every glued well-known token (see {@link gluedTokensIn}) replaced by `replacement`.
 *
 * @example
 * hideGluedTokens(`keyis${githubToken} now`, '[REDACTED]') // 'keyis[REDACTED] now'
 */
export function hideGluedTokens(text: string, replacement: string): string {
  return text.replace(GLUED_TOKEN, (...args: unknown[]) => {
    const match = args[0] as string
    // The groups come after the match, before the offset.
    const groups = args.slice(0, GLUED_SHAPES.length + 1) as string[]
    return shapeOf(groups)?.random(match) ? replacement : match
  })
}
