// Cases that could not be scored (a task that threw, a scorer that threw) are rows of a run since they are counted
// as the suite gate counts them: a task failure scores 0 in the mean. History lines of 0.1.0 left them out of their
// rows and means, so the first run after an upgrade compared by mean alone (a reference without per-case scores)
// would read its errored cases as a drop. Such a comparison leaves them out of this run's mean too, and says so.
import { groupKey, type CaseScore, type GroupAggregate, type HistoryRun } from '../src/history/run-record.js'
import type { SummarizedCase } from './summarize.js'

/**
 * Whether a run's means count its cases that could not be scored: lines written since they are kept say so
 * (`errorsCounted`); a line with an errored case's count has them too. Lines of 0.1.0 do neither.
 *
 * @example
 * countsErroredCases(referenceRun) // false for a line of 0.1.0
 */
export function countsErroredCases(run: HistoryRun): boolean {
  return run.errorsCounted === true || run.groups.some((group) => group.errors !== undefined)
}

/**
 * The group's mean without its cases that could not be scored, when `reference` cannot tell such cases apart and
 * the group has some in its mean (a task that threw or timed out: a 0); undefined otherwise (compare the group as it
 * is). A case a scorer failed for (`trials` 0) is in neither mean.
 *
 * @example
 * meanWithoutErrored(group, summary.cases, referenceRun) // { mean: 0.91, leftOut: 2 }
 */
export function meanWithoutErrored(group: GroupAggregate, cases: readonly CaseScore[], reference: HistoryRun): { mean: number; leftOut: number } | undefined {
  if (!group.errors || countsErroredCases(reference)) return undefined
  const key = groupKey(group)
  const scores: number[] = []
  let leftOut = 0
  for (const score of cases) {
    if (groupKey(score) !== key) continue
    // A case a scorer failed for (`trials` 0), or awaiting its human label, is in no mean: only a task failure's 0 is left out.
    if (score.trials === 0 || (score as SummarizedCase).awaitingLabel) continue
    if (score.error !== undefined) leftOut++
    else scores.push(score.score)
  }
  if (leftOut === 0 || scores.length === 0) return undefined
  // Summed in sorted order, as the aggregate sums its mean.
  return { mean: scores.sort((a, b) => a - b).reduce((sum, value) => sum + value, 0) / scores.length, leftOut }
}

/**
 * The note of a row compared without its errored cases.
 *
 * @example
 * erroredLeftOutNote(2, 'the previous run r1') // '2 cases that could not be scored left out of the comparison with the previous run r1: …'
 */
export function erroredLeftOutNote(leftOut: number, reference: string): string {
  return `${leftOut} case${leftOut === 1 ? '' : 's'} that could not be scored left out of the comparison by mean with ${reference}: it was written by an earlier version, which left such cases out of its mean`
}
