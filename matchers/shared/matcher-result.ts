import type { MatcherState } from 'vitest'
import { failureMessage, type FailureReport } from './failure-message.js'
import { recordScore, type ScoreInput } from './record-score.js'

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

/** A matcher's verdict: the score record to push and the failure report to show. */
export interface MatcherVerdict {
  record: ScoreInput
  report: Omit<FailureReport, 'score' | 'threshold'>
  actual?: unknown
  expected?: unknown
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
  const report: FailureReport = { ...verdict.report, score: record.score }
  if (record.threshold !== undefined) report.threshold = record.threshold
  return {
    pass: record.pass,
    message: () => failureMessage(state, report),
    actual: verdict.actual,
    expected: verdict.expected,
  }
}
