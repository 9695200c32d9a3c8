// Finds secrets in a text with secretlint's recommended rule set, and the few patterns it lacks. The rules are
// imported on first use: a worker that only replays, and a run that writes no report, never load them. They
// run through secret-rules.ts, without @secretlint/core (its load was most of the scanner's cost).
import { KNOWN_SECRET_PATTERNS } from './redact.js'
import { gluedTokensIn } from '../glued-tokens.js'
import { basicCredentialsIn } from '../basic-auth.js'
import { encodedSecretsIn } from '../encoded-tokens.js'
import { exactTokensIn } from '../well-known-tokens.js'
import type { RuleFinding, RuleSettings } from './secret-rules.js'

/** One secret found in a text. The value is for redaction only: print {@link maskSecret} of it, never itself. */
export interface SecretFinding {
  /** The rule that found it: a secretlint rule id (`@secretlint/secretlint-rule-github`) or this library's (`vitest-llm-evals/…`). */
  rule: string
  value: string
  /** Offset of the value in the text, and its 1-based line and column. */
  index: number
  line: number
  column: number
}

/** Options given to rules of the preset (see docs/cassettes.md, "What is never stored"). */
export const PRESET_RULES: Readonly<Record<string, RuleSettings>> = {
  // AWS access key IDs (AKIA…, ASIA…) are off by default; a key ID with its secret is a credential. Account
  // IDs, which the same option turns on, are no secret and match ordinary JSON (`"account": "1234…"`).
  '@secretlint/secretlint-rule-aws': { options: { enableIDScanRule: true }, allowMessageIds: ['AWSAccountID'] },
}

/**
 * The one rule of the preset left out: scanned text is model output and user data, and a "secretlint-disable"
 * comment in it must not turn the scan off. (runRules drops what a rule asks to ignore as well.)
 */
export const LEFT_OUT_RULE = '@secretlint/secretlint-rule-filter-comments'

/**
 * Own patterns, beside secretlint's: Google API keys (Gemini, Maps, Firebase), for which the preset has no
 * rule, and the patterns every stored string is scrubbed of (`sk-…`, bearer tokens).
 */
export const OWN_SECRET_RULES: readonly { id: string; pattern: RegExp }[] = [
  // Our own pattern: a Google API key is "AIza" and 35 of [0-9A-Za-z_-] (39 characters, nothing key-like after).
  { id: 'vitest-llm-evals/google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  ...KNOWN_SECRET_PATTERNS,
]

/** The rule id of a secret written with escapes (see src/encoded-tokens.ts). */
export const ENCODED_SECRET_RULE = 'vitest-llm-evals/escaped-secret'

/** The rule id of HTTP Basic credentials (see src/basic-auth.ts). */
export const BASIC_AUTH_RULE = 'vitest-llm-evals/basic-auth'

/** The rule id of a well-known token glued to the word before it (see src/glued-tokens.ts). */
export const GLUED_TOKEN_RULE = 'vitest-llm-evals/glued-token'

type Lint = (content: string) => Promise<RuleFinding[]>
let linter: Promise<Lint> | undefined

function loadLinter(): Promise<Lint> {
  linter ??= Promise.all([import('@secretlint/secretlint-rule-preset-recommend'), import('./secret-rules.js')]).then(([{ rules }, { runRules }]) => {
    const scanned = rules.filter((rule) => rule.meta.id !== LEFT_OUT_RULE)
    return (content: string) => runRules(scanned, content, PRESET_RULES)
  })
  return linter
}

/**
 * Starts loading the scanner (secretlint's rules, ~20 ms) and scans a word, without waiting for it: the
 * reporter calls it once the tests run, so the scan at the end of the run does not pay for either. A failure surfaces in `findSecrets`.
 *
 * @example
 * preloadSecretScan()
 */
export function preloadSecretScan(): void {
  // One small scan too: the rules compile their patterns on the first.
  loadLinter()
    .then((lint) => lint('warm-up'))
    .catch(() => undefined)
}

/**
 * Every secret in `text`, in order: what secretlint's recommended preset reports (with AWS key IDs on), what
 * {@link OWN_SECRET_RULES} match, well-known tokens glued to the word before them (`keyisghp_…`) and HTTP Basic
 * credentials (`Authorization: Basic …`). Overlapping findings are reported once, the longest.
 *
 * @example
 * await findSecrets(`token ${githubToken}`) // [{ rule: '@secretlint/secretlint-rule-github', value: githubToken, index: 6, line: 1, column: 7 }]
 */
export async function findSecrets(text: string): Promise<SecretFinding[]> {
  const lint = await loadLinter()
  return secretsOf(text, await lint(text))
}

/**
 * The secrets in `text` from what the preset's rules reported (`ruleFindings`, see `runRules`) and what
 * {@link OWN_SECRET_RULES} match: used by {@link findSecrets} and the synchronous scan (secret-scan-sync.ts).
 */
export function secretsOf(text: string, ruleFindings: readonly RuleFinding[]): SecretFinding[] {
  const found: Omit<SecretFinding, 'line' | 'column'>[] = ruleFindings.map((finding) => ({ rule: finding.ruleId, ...reportedValue(text, finding.range, finding.data) }))
  found.push(...ownSecretsIn(text))
  // Secrets written with escapes (`sk-\u0070roj…` in JSON text inside a string, `sk%2Dproj…` in a URL), as written:
  // exact shapes only (a URL's `user:password@` is any `://…:…@`, which an encoded query with a URL, a time and an
  // e-mail address is).
  const decodedSecrets = (decoded: string) => [...ownSecretsIn(decoded), ...exactTokensIn(decoded)]
  for (const encoded of encodedSecretsIn(text, decodedSecrets)) found.push({ rule: ENCODED_SECRET_RULE, ...encoded })
  return withPositions(text, longestOfOverlapping(found))
}

/** What {@link OWN_SECRET_RULES} match in `text`, tokens glued to the word before them and HTTP Basic credentials. */
function ownSecretsIn(text: string): Omit<SecretFinding, 'line' | 'column'>[] {
  const found: Omit<SecretFinding, 'line' | 'column'>[] = []
  for (const { id, pattern } of OWN_SECRET_RULES) {
    for (const match of text.matchAll(pattern)) {
      // A bearer token is the token, not the word before it.
      const prefix = /^Bearer\s+/i.exec(match[0])?.[0].length ?? 0
      found.push({ rule: id, value: match[0].slice(prefix), index: match.index + prefix })
    }
  }
  // A token glued to the word before it, which the preset's rules pass over (they want no letter before a token).
  for (const glued of gluedTokensIn(text)) found.push({ rule: GLUED_TOKEN_RULE, ...glued })
  // HTTP Basic credentials (a tool's arguments, a quoted request): the preset reads passwords in URLs only.
  for (const credentials of basicCredentialsIn(text)) found.push({ rule: BASIC_AUTH_RULE, ...credentials })
  return found
}

/**
 * What a secretlint message reports: the value it names in its data (what secretlint itself masks) that starts
 * inside the reported range, else the range. Some rules report a range that is not the secret's (the AWS
 * secret key rule's starts at the variable name).
 */
function reportedValue(text: string, [start, end]: readonly [number, number], data: object | undefined): { value: string; index: number } {
  let best = { value: text.slice(start, end), index: start }
  let named = false
  for (const candidate of Object.values(data ?? {})) {
    if (typeof candidate !== 'string' || candidate.length === 0) continue
    // Searched near the range only: a text with many findings is still read a bounded number of times.
    const offset = text.slice(start, end + candidate.length).indexOf(candidate)
    if (offset === -1 || offset >= end - start || (named && candidate.length <= best.value.length)) continue
    best = { value: candidate, index: start + offset }
    named = true
  }
  return best
}

function longestOfOverlapping<T extends { value: string; index: number }>(found: T[]): T[] {
  const sorted = [...found].sort((a, b) => a.index - b.index || b.value.length - a.value.length)
  const kept: T[] = []
  for (const finding of sorted) {
    const last = kept.at(-1)
    if (last && finding.index + finding.value.length <= last.index + last.value.length) continue
    kept.push(finding)
  }
  return kept
}

function withPositions(text: string, found: readonly Omit<SecretFinding, 'line' | 'column'>[]): SecretFinding[] {
  let line = 1
  let lineStart = 0
  let scanned = 0
  return found.map((finding) => {
    for (; scanned < finding.index; scanned++) {
      if (text.charCodeAt(scanned) === 10) {
        line++
        lineStart = scanned + 1
      }
    }
    return { ...finding, line, column: finding.index - lineStart + 1 }
  })
}

/**
 * A found secret as it may be printed: its first 4 characters (a type prefix such as `ghp_` or `AKIA`) and its length.
 *
 * @example
 * maskSecret(githubToken) // 'ghp_… (40 chars)'
 */
export function maskSecret(value: string): string {
  return `${value.slice(0, 4)}… (${value.length} chars)`
}
