// The secret scan of secret-scan.ts, synchronously: for the reporter's usage reports built from a test file's errors
// (reporters/cassette-usage.ts), which its caller reads without waiting, and for a replay miss's message, built
// where the request is answered (it is printed, and kept in blob reports). The preset's rules are loaded with
// `require`, which loads ES modules since Node 22.12 (the same module as secret-scan.ts imports, when it has).
import { createRequire } from 'node:module'
import { REDACTED } from './redact.js'
import { LEFT_OUT_RULE, PRESET_RULES, secretsOf, type SecretFinding } from './secret-scan.js'
import { runRulesSync } from './secret-rules.js'
import { secretRules, secretValues } from './secret-values.js'
import type { RedactRule } from './redact.js'

type Preset = typeof import('@secretlint/secretlint-rule-preset-recommend')
let presetRules: Preset['rules'] | undefined

/**
 * Every secret in `text`, as {@link findSecrets} finds them, without waiting. Throws when the scan cannot run (the
 * rules do not load, or one reads asynchronously): keep none of the text then.
 *
 * @example
 * findSecretsSync(`token ${githubToken}`) // [{ rule: '@secretlint/secretlint-rule-github', value: githubToken, index: 6, line: 1, column: 7 }]
 */
export function findSecretsSync(text: string): SecretFinding[] {
  presetRules ??= (createRequire(import.meta.url)('@secretlint/secretlint-rule-preset-recommend') as Preset).rules.filter((rule) => rule.meta.id !== LEFT_OUT_RULE)
  return secretsOf(text, runRulesSync(presetRules, text, PRESET_RULES))
}

/**
 * `text` with every secret the scan finds replaced by `[REDACTED]`; `text` as it is when the scan cannot run (for a
 * message whose live key values are hidden already: the message still tells what failed).
 *
 * @example
 * hideFoundSecrets(`No recording for POST https://api.example.com/v1?note=${githubToken}`) // '…?note=[REDACTED]'
 */
export function hideFoundSecrets(text: string): string {
  let found: SecretFinding[]
  try {
    found = findSecretsSync(text)
  } catch {
    return text
  }
  return secretValues(found).reduce((result, value) => result.replaceAll(value, REDACTED), text)
}

/**
 * The redaction rules (see `scrubString`, `scrubDeep`) of every secret the scan finds in `texts`, scanned whole: a
 * message applies them before it cuts long texts, as a cut secret no longer looks like one. None when the scan
 * cannot run.
 *
 * @example
 * scrubString(url, foundSecretRules([url])) // '…?note=[REDACTED]'
 */
export function foundSecretRules(texts: readonly string[]): RedactRule[] {
  try {
    return secretRules(texts.flatMap((text) => findSecretsSync(text)))
  } catch {
    return []
  }
}
