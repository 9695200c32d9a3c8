import type { MatcherState } from 'vitest'
import { hideSecrets, liveSecrets, scrubShown } from '../../src/cassettes/redact.js'
import { visibleText, visibleTextCut } from '../../src/visible-text.js'

/** The parts of a failure message; `failureMessage` lays them out the same way for every matcher. */
export interface FailureReport {
  matcherName: string
  /** Label of the argument in the hint, e.g. `expected` or `schema`; omitted when the matcher takes none. */
  expectedLabel?: string
  /** Completes "Expected output …", e.g. "to be similar to the expected text (rouge-l >= 0.80)". */
  expectation: string
  score?: number
  /** Shown after the score, e.g. the similarity method. */
  scoreLabel?: string
  threshold?: number
  reasons?: readonly string[]
  output?: string
}

/** Longest output shown in a failure message before it is cut. */
export const OUTPUT_PREVIEW_LIMIT = 400

/** Longest reason shown (a judge's reason is model text: it can be megabytes), and most reasons listed. */
export const REASON_PREVIEW_LIMIT = 1000
export const REASONS_LISTED = 50

/** Two decimals when exact, three otherwise, so 0.795 is not shown as "0.80" next to a 0.80 threshold. */
export function formatScore(value: number): string {
  return Number.isInteger(Math.round(value * 1e6) / 1e4) ? value.toFixed(2) : value.toFixed(3)
}

/** Cuts a long text at `limit` characters and says how much was left out. */
export function truncateOutput(text: string, limit: number = OUTPUT_PREVIEW_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (+${text.length - limit} chars)`
}

/**
 * A failure message or a received value as it may be printed and written (Vitest's JUnit, JSON and blob
 * reports keep them): known key patterns and the values of key-like environment variables hidden.
 */
export function withoutSecrets(text: string): string {
  return scrubShown(hideSecrets(text, liveSecrets()))
}

/** The reasons as bullets: each cut as shown (keys hidden first, so none is cut in two), at most {@link REASONS_LISTED}. */
function reasonLines(reasons: readonly string[]): string[] {
  const shown = reasons.slice(0, REASONS_LISTED).map((reason) => `  - ${visibleTextCut(withoutSecrets(String(reason)), REASON_PREVIEW_LIMIT)}`)
  const more = reasons.length - REASONS_LISTED
  return more > 0 ? [...shown, `  … and ${more} more ${more === 1 ? 'reason' : 'reasons'}`] : shown
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n')
}

/**
 * The failure message of every matcher: Vitest's matcher hint, a blank line, one sentence, then
 * `Score:`, `Threshold:`, `Reasons:` (bullets) and `Output:` (cut at ~400 chars as shown, escapes counted). Reads right under `.not`. Model
 * text shows its control characters as escapes, and no key (a known pattern, a key-like environment variable's value).
 *
 * @example
 * failureMessage(this, { matcherName: 'toBeSimilarTo', expectedLabel: 'expected', expectation: 'to be similar', score: 0.4, threshold: 0.8 })
 */
export function failureMessage(state: MatcherState, report: FailureReport): string {
  const hint = state.utils.matcherHint(`.${report.matcherName}`, 'output', report.expectedLabel ?? '', {
    isNot: state.isNot,
    promise: state.promise,
  })
  const lines = [hint, '', `Expected output ${state.isNot ? 'not ' : ''}${visibleText(report.expectation)}.`, '']
  if (report.score !== undefined) {
    lines.push(`Score:     ${formatScore(report.score)}${report.scoreLabel ? ` (${report.scoreLabel})` : ''}`)
  }
  if (report.threshold !== undefined) lines.push(`Threshold: ${formatScore(report.threshold)}`)
  if (report.reasons?.length) lines.push('Reasons:', ...reasonLines(report.reasons))
  // Keys hidden before the cut, as in the reasons: a key cut in two is no longer found, and its start would show.
  if (report.output !== undefined) lines.push('Output:', indent(visibleTextCut(withoutSecrets(report.output), OUTPUT_PREVIEW_LIMIT)))
  // Model output and judge reasons can hold a key (echoed from a prompt, a retrieved document): never printed.
  return withoutSecrets(lines.join('\n').trimEnd())
}
