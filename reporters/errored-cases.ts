// A case that could not be scored (its task threw or ran out of time, a scorer threw, Vitest's timeout failed it)
// has no score records, or not all of them: without these rows the report would leave it out and show fewer cases
// and a better mean than the suite gate counted. Pure.
import type { CaseError } from '../src/suites/case-error.js'
import { errorLine } from '../src/suites/case-error.js'
import type { ScoreRecord } from '../src/metrics/score-record.js'
import type { CollectedCase, SummarizedCase, SummarizeOptions } from './summarize.js'
import { truncateText } from './case-scores.js'

/**
 * The records of a failed test to summarize: all but those of a try Vitest's timeout stopped (`caseError.unfinishedFrom`),
 * which the gate does not count either.
 *
 * @example
 * finishedRecords(collected) // meta.evals, or meta.evals.slice(0, 3)
 */
export function finishedRecords(collected: CollectedCase): unknown {
  const { evals, caseError } = collected.meta
  if (collected.state !== 'failed' || !isCaseError(caseError) || typeof caseError.unfinishedFrom !== 'number' || !Array.isArray(evals)) return evals
  return evals.slice(0, caseError.unfinishedFrom)
}

/** The metric of an errored case's row when its suite has no scored metric to name (every case failed). */
export const NO_SCORE_METRIC = '(no score)'

/** A failed test that could not be scored, and why. */
export interface ErroredCase {
  collected: CollectedCase
  suite: string
  error: CaseError
}

const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined)

function isCaseError(value: unknown): value is CaseError {
  const error = value as Partial<CaseError> | null
  return typeof error === 'object' && error !== null && (error.kind === 'task' || error.kind === 'scorer') && typeof error.message === 'string' && typeof error.trials === 'number'
}

/**
 * Why a finished test could not be scored: what its case stored (`meta.caseError`), else, for a dataset case
 * (`meta.caseId`) that failed with no score (Vitest's timeout, an `evalEach` test that threw), its first error.
 * Undefined for a test that passed or scored.
 *
 * @example
 * caseErrorOf(collected, finalRecords(collected.meta.evals)) // { kind: 'task', message: 'Case "q1" timed out …', trials: 1 }
 */
export function caseErrorOf(collected: CollectedCase, records: readonly ScoreRecord[]): CaseError | undefined {
  if (collected.state !== 'failed') return undefined
  const stored = collected.meta.caseError
  if (isCaseError(stored) && stored.unfinishedFrom === undefined) return stored
  if (isCaseError(stored)) return { kind: 'task', message: errorLine(collected.error ?? 'its test failed before the case was scored'), trials: stored.trials }
  if (records.length > 0 || collected.meta.caseId === undefined) return undefined
  return { kind: 'task', message: errorLine(collected.error ?? 'its test failed before the case was scored'), trials: 1 }
}

const keyOf = (suite: string, variant: string | undefined) => `${suite}\u0000${variant ?? ''}`

/**
 * The rows of the errored cases, given the run's scored rows: one per metric of its suite (and variant) the case has
 * no score of (one `(no score)` row when none is known). A task's failure scores 0 over all its trials, as the suite
 * gate counts it; a scorer's has no trial (`trials` 0), as the gate leaves that metric out for the case. A task that
 * failed on a later run of its test (`vitest --repeats`) adds its trials, failed, to the scores of the earlier runs
 * (`replaced`: the scored row, and the row to show instead): the case is not passing, nor listed under `(no score)`.
 *
 * @example
 * erroredScores([{ collected, suite, error }], scoredRows, options) // { rows: [{ metric: 'exact', score: 0, error: '…', … }], replaced: Map {} }
 */
export function erroredScores(errored: readonly ErroredCase[], scored: readonly SummarizedCase[], options: Pick<SummarizeOptions, 'maxTextChars'>): { rows: SummarizedCase[]; replaced: Map<SummarizedCase, SummarizedCase> } {
  const replaced = new Map<SummarizedCase, SummarizedCase>()
  if (errored.length === 0) return { rows: [], replaced }
  const metrics = new Map<string, Set<string>>()
  const own = new Map<string, SummarizedCase>()
  for (const score of scored) {
    own.set(`${score.suite}\u0000${score.test}\u0000${score.metric}`, score)
    if (score.awaitingLabel) continue
    const key = keyOf(score.suite, score.variant)
    const known = metrics.get(key) ?? new Set<string>()
    metrics.set(key, known.add(score.metric))
  }
  const rows: SummarizedCase[] = []
  for (const { collected, suite, error } of errored) {
    const variant = text(collected.meta.variant)
    const suiteMetrics = [...(metrics.get(keyOf(suite, variant)) ?? [])]
    const scoredBefore = suiteMetrics.flatMap((metric) => own.get(`${suite}\u0000${collected.test}\u0000${metric}`) ?? [])
    if (error.kind === 'task') for (const row of scoredBefore) if (!row.awaitingLabel) replaced.set(row, withFailedTrials(row, Math.max(1, error.trials), error.message))
    const missing = suiteMetrics.filter((metric) => !own.has(`${suite}\u0000${collected.test}\u0000${metric}`))
    if (missing.length === 0 && error.kind === 'task' && scoredBefore.length > 0) continue
    for (const metric of missing.length ? missing : [NO_SCORE_METRIC]) rows.push(erroredRow(collected, suite, variant, metric, error, options))
  }
  return { rows, replaced }
}

/** A case's row with `count` failed trials (score 0) added: its mean, pass, lowest score, passing trials and variance. */
function withFailedTrials(row: SummarizedCase, count: number, message: string): SummarizedCase {
  const before = row.trials
  const trials = before + count
  const secondMoment = ((row.variance ?? 0) + row.score ** 2) * before
  const score = (row.score * before) / trials
  const passes = row.passes ?? (before === 1 && row.pass ? 1 : 0)
  return { ...row, score, pass: false, trials, min: 0, variance: Math.max(0, secondMoment / trials - score ** 2), passes, ...(passes > 0 ? { flaky: true } : {}), error: message }
}

function erroredRow(collected: CollectedCase, suite: string, variant: string | undefined, metric: string, error: CaseError, options: Pick<SummarizeOptions, 'maxTextChars'>): SummarizedCase {
  const trials = error.kind === 'task' ? Math.max(1, error.trials) : 0
  const row: SummarizedCase = { suite, test: collected.test, metric, score: 0, pass: false, trials, error: error.message }
  if (trials > 1) Object.assign(row, { min: 0, variance: 0, passes: 0 })
  const caseId = text(collected.meta.caseId)
  if (caseId !== undefined) row.caseId = caseId
  if (variant !== undefined) row.variant = variant
  const input = text(collected.meta.input)
  if (input !== undefined) row.input = truncateText(input, options.maxTextChars)
  const expected = text(collected.meta.expected)
  if (expected !== undefined) row.expected = truncateText(expected, options.maxTextChars)
  return row
}
