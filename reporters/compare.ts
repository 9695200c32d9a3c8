import { caseKey, groupKey, type CaseScore, type GroupAggregate, type HistoryRun } from '../src/history/run-record.js'
import type { AgreementFloors } from '../src/review/agreement-report.js'
import type { RunSummary, SummarizedCase } from './summarize.js'

/** Options of the `gate` plugin option, resolved. */
export interface GateOptions {
  /** Fail when a suite metric drops more than `tolerance` vs the reference run (default true when `gate` is set). */
  failOnRegression: boolean
  /** Largest allowed drop of a suite metric's mean score, 0..1 (default 0.05). */
  tolerance: number
  /** Absolute floor for every suite metric's mean score, or per metric name. */
  minScore?: number | Record<string, number>
  /** Floors on judge-human agreement per grader and metric (kappa, failure recall, labels needed). */
  agreement?: AgreementFloors
}

/** A case whose score dropped vs the reference run. */
export interface DroppedCase {
  test: string
  caseId?: string
  from: number
  to: number
}

/** One row of the comparison: a suite metric of this run against the previous run and the baseline. */
export interface GroupComparison {
  group: GroupAggregate
  previous?: number
  baseline?: number
  /** Mean scores of recent runs, oldest first, ending with this run. */
  recent: number[]
  /** Dropped more than the tolerance vs the reference (baseline, else previous). */
  regressed: boolean
  /** Cases that dropped most vs the reference, worst first. */
  dropped: DroppedCase[]
}

/** The comparison of a run with its history. */
export interface RunComparison {
  rows: GroupComparison[]
  previousRun?: HistoryRun
  baselineRun?: HistoryRun
}

/** Default largest drop before a suite metric counts as regressed. */
export const DEFAULT_TOLERANCE = 0.05

/**
 * Compares a run with history (oldest first, without the run itself): deltas vs the previous run and
 * the baseline, recent means for sparklines, regressions and the cases that dropped most.
 *
 * @example
 * const comparison = compareRuns(summary, runs, baselineRun, { tolerance: 0.05, recent: 12 })
 */
export function compareRuns(
  current: RunSummary,
  history: readonly HistoryRun[],
  baselineRun: HistoryRun | undefined,
  options: { tolerance: number; recent: number; droppedCases?: number },
): RunComparison {
  const previousRun = history.at(-1)
  const previous = previousRun ? groupMeans(previousRun) : new Map<string, number>()
  const baseline = baselineRun ? groupMeans(baselineRun) : new Map<string, number>()
  const reference = baselineRun ?? previousRun
  const referenceCases = reference?.cases ? new Map(reference.cases.map((score) => [caseKey(score), score])) : undefined
  const recentRuns = history.slice(-(options.recent - 1)).map(groupMeans)
  const rows = current.groups.map((group): GroupComparison => {
    const key = groupKey(group)
    const row: GroupComparison = { group, recent: [...recentRuns.flatMap((means) => (means.has(key) ? [means.get(key) as number] : [])), group.mean], regressed: false, dropped: [] }
    if (previous.has(key)) row.previous = previous.get(key) as number
    if (baseline.has(key)) row.baseline = baseline.get(key) as number
    const against = baselineRun ? row.baseline : row.previous
    row.regressed = against !== undefined && against - group.mean > options.tolerance + 1e-9
    if (referenceCases) row.dropped = droppedCases(current.cases ?? [], group, referenceCases, options.droppedCases ?? 3)
    return row
  })
  return { rows, ...(previousRun ? { previousRun } : {}), ...(baselineRun ? { baselineRun } : {}) }
}

function groupMeans(run: HistoryRun): Map<string, number> {
  return new Map(run.groups.map((group) => [groupKey(group), group.mean]))
}

function droppedCases(cases: readonly CaseScore[], group: GroupAggregate, reference: Map<string, CaseScore>, limit: number): DroppedCase[] {
  const key = groupKey(group)
  return cases
    .filter((score) => groupKey(score) === key && !(score as SummarizedCase).awaitingLabel)
    .flatMap((score) => {
      const before = reference.get(caseKey(score))
      if (!before || (before as SummarizedCase).awaitingLabel || before.score <= score.score) return []
      return [{ test: score.test, ...(score.caseId === undefined ? {} : { caseId: score.caseId }), from: before.score, to: score.score }]
    })
    .sort((a, b) => b.from - b.to - (a.from - a.to))
    .slice(0, limit)
}

/** The floor of a suite metric, if the gate sets one. */
function floorOf(gate: GateOptions, metric: string): number | undefined {
  return typeof gate.minScore === 'number' ? gate.minScore : gate.minScore?.[metric]
}

/**
 * Why the gate fails the run: one sentence per suite metric that regressed or fell below its floor
 * (empty when the run passes the gate).
 */
export function gateFailures(comparison: RunComparison, gate: GateOptions): string[] {
  const failures: string[] = []
  const reference = comparison.baselineRun ? 'the baseline' : 'the previous run'
  for (const row of comparison.rows) {
    const { group } = row
    const name = `${group.suite} · ${group.metric}${group.variant ? ` [${group.variant}]` : ''}`
    const against = comparison.baselineRun ? row.baseline : row.previous
    if (gate.failOnRegression && row.regressed && against !== undefined) {
      const worst = row.dropped.map((drop) => `${drop.caseId ?? drop.test} ${drop.from.toFixed(2)} → ${drop.to.toFixed(2)}`).join(', ')
      failures.push(`${name}: mean score ${group.mean.toFixed(3)} dropped ${(against - group.mean).toFixed(3)} vs ${reference} (${against.toFixed(3)}), more than gate.tolerance ${gate.tolerance}${worst ? `; dropped most: ${worst}` : ''}`)
    }
    const floor = floorOf(gate, group.metric)
    if (floor !== undefined && group.mean < floor) failures.push(`${name}: mean score ${group.mean.toFixed(3)} is below gate.minScore ${floor}`)
  }
  return failures
}
