import type { MatcherState } from 'vitest'
import { failureMessage, withoutSecrets, type FailureReport } from './failure-message.js'
import { recordScore, type ScoreInput } from './record-score.js'
import { visibleTextCut } from '../../src/visible-text.js'

/**
 * What a matcher resolves to. Declared here because Vitest 4.1 exports it as `SyncExpectationResult`
 * and Vitest 5 as `SyncMatcherResult`; both accept this shape.
 */
export interface MatcherOutcome {
  pass: boolean
  message: () => string
  actual?: unknown
  expected?: unknown
}

/** What a failure message shows besides the score and threshold (which come from the record). */
export type VerdictReport = Omit<FailureReport, 'score' | 'threshold'>

/** A matcher's verdict: the score record to push and the failure report to show. */
export interface MatcherVerdict {
  record: ScoreInput
  /**
   * The failure report, or a function that makes it when a message is needed: most calls pass and never
   * show one, so a matcher called thousands of times can skip formatting it (toBeSimilarTo does).
   */
  report: VerdictReport | (() => VerdictReport)
  actual?: unknown
  expected?: unknown
}

function withScore(report: VerdictReport, score: number, threshold: number | undefined): FailureReport {
  const full: FailureReport = { ...report, score }
  if (threshold !== undefined) full.threshold = threshold
  return full
}

/**
 * Records the score on the test and turns the verdict into Vitest's matcher result. `pass` comes from
 * the record; Vitest applies `.not`.
 *
 * @example
 * return toMatcherResult(this, { record: { metric: 'schema', score: 1, pass: true }, report })
 */
export function toMatcherResult(state: MatcherState, verdict: MatcherVerdict): MatcherOutcome {
  const record = recordScore(state, verdict.record)
  const { score, threshold } = record
  const made = verdict.report
  // A report given as an object is taken now, as it is; one given as a function is made only for a message.
  const report = typeof made === 'function' ? undefined : withScore(made, score, threshold)
  // Vitest keeps a failure's received and expected values (its diff, JUnit, JSON and blob reports): without keys.
  // Only a failing call pays for it (Vitest applies `.not`: it fails when `pass` equals `isNot`).
  const failing = record.pass === (state.isNot === true)
  return {
    pass: record.pass,
    message: () => failureMessage(state, report ?? withScore((made as () => VerdictReport)(), score, threshold)),
    actual: failing ? shownValue(verdict.actual) : verdict.actual,
    expected: failing ? shownValue(verdict.expected) : verdict.expected,
  }
}

/**
 * Longest received or expected text handed to Vitest for its diff (`+ Received`, `- Expected`, JUnit, JSON and blob
 * reports): a longer one is cut there with `… (+N chars)`, as the `Output:` preview is, so a megabyte output is not
 * printed on one line.
 */
export const DIFF_VALUE_LIMIT = 4000

/**
 * A failing call's received or expected text as Vitest prints it (`Received:`, its diff) and writes it: no key,
 * controls as escapes (a model's ESC, BEL or OSC-8 link would act in the terminal), and at most
 * {@link DIFF_VALUE_LIMIT} characters as shown, escapes counted (keys are hidden in the whole text first, so none is cut
 * in two and shown; the cut comes after escaping, so 4,000 control characters do not grow to 24,000).
 * Short text without a key or a control is kept as it is, so the diff of ordinary text is unchanged; other values
 * (an asymmetric matcher, a schema) are kept.
 */
const shownValue = (value: unknown): unknown => (typeof value === 'string' ? visibleTextCut(withoutSecrets(value), DIFF_VALUE_LIMIT) : value)
