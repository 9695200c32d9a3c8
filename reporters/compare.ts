import { branchBaselines } from '../src/history/baseline.js'
import { caseKeysOf, casesByKey, groupKey, type CaseScore, type GroupAggregate, type HistoryRun } from '../src/history/run-record.js'
import type { AgreementFloors } from '../src/review/agreement-report.js'
import type { RunSummary, SummarizedCase } from './summarize.js'
import { erroredLeftOutNote, meanWithoutErrored } from './errored-comparison.js'
import { DEFAULT_CONFIDENCE, describeEvidence, isRegression, judgeChange, undecidedNote, type ChangeVerdict } from './paired-gate.js'

export { DEFAULT_CONFIDENCE, MIN_PAIRED_CASES } from './paired-gate.js'
export type { ChangeVerdict } from './paired-gate.js'

/** Options of the `gate` plugin option, resolved. */
export interface GateOptions {
  /** Fail when a suite metric drops more than `tolerance` vs the reference run (default true when `gate` is set). */
  failOnRegression: boolean
  /** Largest allowed drop of a suite metric's mean score, 0..1 (default 0.05). */
  tolerance: number
  /** Confidence that a drop is not noise before it fails, 0.5..0.999 (default 0.95). */
  confidence?: number
  /** Absolute floor for every suite metric's mean score, or per metric name. */
  minScore?: number | Record<string, number>
  /** Floors on judge-human agreement per grader and metric (kappa, failure recall, labels needed). */
  agreement?: AgreementFloors
  /** Pass a `--merge-reports` run that lacks some shards' blob reports (default false: it fails). */
  allowMissingShards?: boolean
}

/** A case whose score dropped vs the reference run. */
export interface DroppedCase {
  test: string
  caseId?: string
  from: number
  to: number
}

/** The run a suite metric is compared with: the baseline when it scored that suite metric, else the suite metric's previous run. */
export interface ComparisonReference {
  kind: 'baseline' | 'previous'
  run: HistoryRun
  /** The suite metric's mean score in that run. */
  mean: number
}

/** One row of the comparison: a suite metric of this run against its previous run and the baseline. */
export interface GroupComparison {
  group: GroupAggregate
  /** Mean score in the newest earlier run that scored this suite metric. */
  previous?: number
  /** That run (not always the run before this one: a suite left out of a run keeps its own previous run). */
  previousRun?: HistoryRun
  baseline?: number
  /** What regressions and dropped cases are measured against; undefined when nothing scored this suite metric before. */
  reference?: ComparisonReference
  /** Mean scores of recent runs, oldest first, ending with this run. */
  recent: number[]
  /** Dropped more than the tolerance vs the reference, and not by noise (see `verdict`). */
  regressed: boolean
  /** How the change vs the reference was judged: paired over the cases both runs scored, or by means. */
  verdict?: ChangeVerdict
  /** Why a drop beyond the tolerance did not count as a regression (too few cases, within noise). */
  note?: string
  /** Compared by mean without this run's cases that could not be scored, because the reference's mean left them out: says so. */
  erroredNote?: string
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
 * The reference of each suite metric: the baseline when it has that suite metric (without a pinned run,
 * `onBranch`: the newest run on the baseline branch that scored it), else the newest earlier run that has
 * it. A baseline pinned before a suite existed so never leaves that suite ungated.
 *
 * @example
 * referenceFor(group, previousRuns, baselineRun) // { kind: 'previous', run, mean: 1 }
 */
export function referenceFor(
  group: GroupAggregate,
  previous: ReadonlyMap<string, { run: HistoryRun; mean: number }>,
  baselineRun: HistoryRun | undefined,
  onBranch?: ReadonlyMap<string, { run: HistoryRun; mean: number }>,
): ComparisonReference | undefined {
  const key = groupKey(group)
  const branchBaseline = onBranch?.get(key)
  if (branchBaseline) return { kind: 'baseline', ...branchBaseline }
  const inBaseline = baselineRun?.groups.find((each) => groupKey(each) === key)
  if (baselineRun && inBaseline) return { kind: 'baseline', run: baselineRun, mean: inBaseline.mean }
  const own = previous.get(key)
  return own ? { kind: 'previous', ...own } : undefined
}

/** For each of `keys`, the newest run of `history` (oldest first) that has that suite metric, and its mean there. */
function previousRunsOf(history: readonly HistoryRun[], keys: ReadonlySet<string>): Map<string, { run: HistoryRun; mean: number }> {
  const found = new Map<string, { run: HistoryRun; mean: number }>()
  for (let index = history.length - 1; index >= 0 && found.size < keys.size; index--) {
    const run = history[index] as HistoryRun
    for (const group of run.groups) {
      const key = groupKey(group)
      if (keys.has(key) && !found.has(key)) found.set(key, { run, mean: group.mean })
    }
  }
  return found
}

/**
 * Compares a run with history (oldest first, without the run itself): deltas vs each suite metric's
 * previous run and the baseline, recent means for sparklines, and regressions and the cases that
 * dropped most vs each suite metric's reference (see {@link referenceFor}). A regression is a drop
 * beyond `tolerance` that is not noise at `confidence` (default 0.95), judged over the paired cases
 * (see `judgeChange`). `baselineBranch` (only when
 * no run is pinned): each suite metric's baseline is the newest run on that branch that scored it.
 *
 * @example
 * const comparison = compareRuns(summary, runs, baselineRun, { tolerance: 0.05, recent: 12 })
 */
export function compareRuns(
  current: RunSummary,
  history: readonly HistoryRun[],
  baselineRun: HistoryRun | undefined,
  options: { tolerance: number; confidence?: number; recent: number; droppedCases?: number; baselineBranch?: string },
): RunComparison {
  const previousRun = history.at(-1)
  const keys = new Set(current.groups.map(groupKey))
  const previous = previousRunsOf(history, keys)
  const onBranch = options.baselineBranch ? branchBaselines(history, options.baselineBranch, keys) : undefined
  const baseline = baselineRun ? groupMeans(baselineRun) : new Map<string, number>()
  for (const [key, { mean }] of onBranch ?? []) baseline.set(key, mean)
  const referenceCases = (run: HistoryRun) => (run.cases ? casesByKey(run.cases) : undefined)
  const recentRuns = history.slice(-(options.recent - 1)).map(groupMeans)
  const rows = current.groups.map((group): GroupComparison => {
    const key = groupKey(group)
    const row: GroupComparison = { group, recent: [...recentRuns.flatMap((means) => (means.has(key) ? [means.get(key) as number] : [])), group.mean], regressed: false, dropped: [] }
    const own = previous.get(key)
    if (own) {
      row.previous = own.mean
      row.previousRun = own.run
    }
    if (baseline.has(key)) row.baseline = baseline.get(key) as number
    const reference = referenceFor(group, previous, baselineRun, onBranch)
    if (!reference) return row
    row.reference = reference
    const cases = referenceCases(reference.run)
    // Like with like: a mean of 0.1.0 left errored cases out, so a comparison by means leaves this run's out too.
    const without = meanWithoutErrored(group, current.cases ?? [], reference.run)
    row.verdict = judgeChange(without ? { ...group, mean: without.mean } : group, current.cases ?? [], cases, reference.mean, options.confidence ?? DEFAULT_CONFIDENCE)
    if (without && (row.verdict.test === 'means' || (row.verdict.test === 'too-few' && row.verdict.pairs === 0))) {
      row.verdict.leftOut = without.leftOut
      row.erroredNote = erroredLeftOutNote(without.leftOut, describeReference(reference, baselineRun).name)
    }
    row.regressed = isRegression(row.verdict, options.tolerance)
    const note = undecidedNote(row.verdict, options.tolerance)
    if (note) row.note = note
    if (cases) row.dropped = droppedCases(current.cases ?? [], group, cases, options.droppedCases ?? 3)
    return row
  })
  return { rows, ...(previousRun ? { previousRun } : {}), ...(baselineRun ? { baselineRun } : {}) }
}

function groupMeans(run: HistoryRun): Map<string, number> {
  return new Map(run.groups.map((group) => [groupKey(group), group.mean]))
}

function droppedCases(cases: readonly CaseScore[], group: GroupAggregate, reference: ReadonlyMap<string, CaseScore>, limit: number): DroppedCase[] {
  const key = groupKey(group)
  const keys = caseKeysOf(cases)
  return cases
    .flatMap((score, at) => {
      if (keys.groups[at] !== key || (score as SummarizedCase).awaitingLabel || score.trials === 0) return []
      const before = reference.get(keys.cases[at] as string)
      if (!before || (before as SummarizedCase).awaitingLabel || before.score <= score.score) return []
      return [{ test: score.test, ...(score.caseId === undefined ? {} : { caseId: score.caseId }), from: before.score, to: score.score }]
    })
    .sort((a, b) => b.from - b.to - (a.from - a.to))
    .slice(0, limit)
}

/**
 * How a gate message names a row's reference: `the baseline <run id>`, `the previous run <run id>`, or,
 * when a baseline exists but has no score for the suite metric, `its previous run <run id>` with a note
 * saying so.
 *
 * @example
 * describeReference(row.reference, comparison.baselineRun) // { name: 'its previous run r2', note: 'the baseline r1 has no score for it' }
 */
export function describeReference(reference: ComparisonReference, baselineRun: HistoryRun | undefined): { name: string; note?: string } {
  if (reference.kind === 'baseline') return { name: `the baseline ${reference.run.id}` }
  if (!baselineRun) return { name: `the previous run ${reference.run.id}` }
  return { name: `its previous run ${reference.run.id}`, note: `the baseline ${baselineRun.id} has no score for it` }
}

/**
 * Drops beyond the tolerance the gate did not fail, one sentence each: too few paired cases to tell,
 * or within noise (with how many cases were paired and what to do).
 *
 * @example
 * gateNotes(comparison) // ['qa · factuality: dropped 0.060 (40 paired cases, 95% CI …): within noise …']
 */
export function gateNotes(comparison: RunComparison): string[] {
  return comparison.rows.flatMap((row) => (row.note ? [`${row.group.suite} · ${row.group.metric}${row.group.variant ? ` [${row.group.variant}]` : ''}: ${row.note}`] : []))
}

/**
 * The suite metrics compared by mean without this run's cases that could not be scored (the reference, of an
 * earlier version, left such cases out of its mean), one line each, for every report that shows the comparison.
 *
 * @example
 * erroredNotes(comparison) // ['qa · factuality: 2 cases that could not be scored left out of the comparison by mean with …']
 */
export function erroredNotes(comparison: RunComparison): string[] {
  return comparison.rows.flatMap((row) => (row.erroredNote ? [`${row.group.suite} · ${row.group.metric}${row.group.variant ? ` [${row.group.variant}]` : ''}: ${row.erroredNote}`] : []))
}

/** The floor of a suite metric, if the gate sets one. */
function floorOf(gate: GateOptions, metric: string): number | undefined {
  return typeof gate.minScore === 'number' ? gate.minScore : gate.minScore?.[metric]
}

/**
 * Why the gate fails the run: one sentence per suite metric that regressed (naming the run it was
 * compared with, the drop and its evidence: the paired interval or sign test) or fell below its floor
 * (empty when the run passes the gate).
 */
export function gateFailures(comparison: RunComparison, gate: GateOptions): string[] {
  const failures: string[] = []
  for (const row of comparison.rows) {
    const { group, reference } = row
    const name = `${group.suite} · ${group.metric}${group.variant ? ` [${group.variant}]` : ''}`
    if (gate.failOnRegression && row.regressed && reference) {
      const worst = row.dropped.map((drop) => `${drop.caseId ?? drop.test} ${drop.from.toFixed(2)} → ${drop.to.toFixed(2)}`).join(', ')
      const against = describeReference(reference, comparison.baselineRun)
      const verdict = row.verdict ?? { test: 'means', drop: reference.mean - group.mean }
      const change =
        verdict.test === 'means'
          ? `mean score ${(reference.mean - verdict.drop).toFixed(3)} dropped ${verdict.drop.toFixed(3)} vs ${against.name} (${reference.mean.toFixed(3)}${against.note ? `; ${against.note}` : ''}), more than gate.tolerance ${gate.tolerance} (compared by mean: ${reference.run.id} kept no per-case scores, so noise cannot be told apart${verdict.leftOut ? `; without the ${verdict.leftOut} case${verdict.leftOut === 1 ? '' : 's'} that could not be scored, which ${reference.run.id} left out of its mean` : ''})`
          : `dropped ${verdict.drop.toFixed(3)} (${describeEvidence(verdict)}) vs ${against.name} (mean score ${reference.mean.toFixed(3)} → ${group.mean.toFixed(3)}${against.note ? `; ${against.note}` : ''}), more than gate.tolerance ${gate.tolerance}`
      failures.push(`${name}: ${change}${worst ? `; dropped most: ${worst}` : ''}`)
    }
    const floor = floorOf(gate, group.metric)
    if (floor !== undefined && group.mean < floor) failures.push(`${name}: mean score ${group.mean.toFixed(3)} is below gate.minScore ${floor}`)
  }
  return failures
}
