import { ConfigError } from '../errors/index.js'
import type { JsonValue, ScoreRecord } from '../metrics/score-record.js'

/**
 * The `confirmFailures` option of `describeEval`, checked: 0 when absent, else a whole number >= 1.
 *
 * @example
 * confirmFailuresOption(2, 'support bot') // 2
 */
export function confirmFailuresOption(value: unknown, suite: string): number {
  if (value === undefined) return 0
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`describeEval("${suite}") option confirmFailures must be a whole number >= 1 (how many more times to ask the judge when its verdict fails), got ${JSON.stringify(value)}. Leave it out to keep the first verdict.`)
  }
  return value
}

/** One run of a scorer: the records it pushed, the assertion failure it threw (if any), and its verdict. */
export interface ScorerAttempt {
  records: ScoreRecord[]
  failure?: unknown
  pass: boolean
}

/** True when a scorer's records come from a judge model (a verdict that may change when sampled again). */
export function isJudged(attempt: ScorerAttempt): boolean {
  return attempt.records.some((record) => record.judge !== undefined)
}

/**
 * Re-runs a judged scorer whose verdict failed, up to `confirmations` more times (the app's output is
 * unchanged, the judge is asked again), and keeps the majority verdict of all runs: the first run that
 * agrees with it is kept, with `details.confirmations` saying how many re-runs were made and what each
 * verdict was. It stops as soon as the outcome is certain. A failure stands only when more than half of
 * all verdicts fail: a tie (an even number of verdicts, split) is a failure not confirmed, and passes.
 *
 * @example
 * await confirmFailure(first, 2, () => runScorer()) // { records, pass: true } after fail, pass, pass
 */
export async function confirmFailure(first: ScorerAttempt, confirmations: number, rerun: () => Promise<ScorerAttempt>): Promise<ScorerAttempt> {
  if (first.pass || confirmations < 1 || !isJudged(first)) return first
  const attempts = [first]
  const total = 1 + confirmations
  const passes = () => attempts.filter((attempt) => attempt.pass).length
  const failed = () => attempts.length - passes() > total / 2
  const passed = () => passes() >= total / 2
  while (!failed() && !passed()) attempts.push(await rerun())
  const pass = passed()
  const kept = attempts.find((attempt) => attempt.pass === pass) as ScorerAttempt
  const summary = { runs: attempts.length - 1, verdicts: attempts.map((attempt) => attempt.pass) }
  for (const record of kept.records) record.details = withConfirmations(record.details, summary)
  return kept
}

/** `details` with the confirmation summary added: merged into an object, else beside the original value. */
function withConfirmations(details: JsonValue | undefined, confirmations: { runs: number; verdicts: boolean[] }): JsonValue {
  if (details === undefined) return { confirmations }
  if (typeof details === 'object' && details !== null && !Array.isArray(details)) return { ...details, confirmations }
  return { value: details, confirmations }
}
