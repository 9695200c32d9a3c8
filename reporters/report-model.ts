import { caseKeysOf, type CaseScore } from '../src/history/run-record.js'
import type { HtmlReportInput } from './render-html.js'
import { ROW_FLAGS, type ReportCell, type ReportData, type ReportRow, type ReportSuite, type ReportTrial } from './report-data.js'
import { rowKeys } from './report-key.js'
import { comparedRuns, newTrialOutputBudget, rowOutputs, trajectoryIds, type Compared, type KeyedScore } from './report-outputs.js'
import { labelKey } from '../src/review/labels-file.js'
import { usableTrials } from '../src/review/review-rows.js'
import type { RunAgreement } from './run-agreement.js'

export { trajectoryTemplates } from './report-outputs.js'

/** A row before its key, flags and outputs: its suite, id and the case scores of every metric and variant. */
interface Gathered {
  suite: number
  id: string
  scores: KeyedScore[]
}

const isAwaiting = (score: CaseScore) => (score as { awaitingLabel?: unknown }).awaitingLabel === true
const labelMetric = (metric: string) => (metric.startsWith('label:') ? metric.slice('label:'.length) : metric)

/**
 * The case's score in the run its suite metric is compared with, unless either score is none: awaiting a label, or
 * a scorer that could not score (`trials` 0, as the gate and "dropped most" leave it out): no regression, no gain.
 */
function beforeOf({ score, key, compared }: KeyedScore): number | undefined {
  if (score.trials === 0) return undefined
  const before = compared?.reference?.get(key)
  return before && !isAwaiting(before) && before.trials !== 0 ? before.score : undefined
}

/** Suite, case id and label metric of every case whose current human label contradicts its grader (as `measureAgreement` decides). */
function disagreeing(agreement: RunAgreement | undefined): Set<string> {
  return new Set((agreement?.disagreements ?? []).map((example) => labelKey(example.suite, example.caseId, example.metric)))
}

/** Scores to four decimals: the page shows two or three, and 15,000 cells of full doubles cost a megabyte. */
const round = (value: number) => Math.round(value * 10_000) / 10_000

/** The case's label in the labels file (of its suite), marked when it was given on an older output. */
function fileLabel(score: CaseScore, caseId: string, labels: RunAgreement['labels']): string | undefined {
  if (!labels?.size) return undefined
  const stored = labels.get(labelKey(score.suite, caseId, labelMetric(score.metric)))
  if (!stored) return undefined
  const stale = stored.outputHash !== undefined && score.outputHash !== undefined && stored.outputHash !== score.outputHash
  return `${stored.label}${stale ? ' (on an older output)' : ''}`
}

/**
 * A repeated case's kept trials, each with the human label given on it (the labels file's, as its review row applies
 * it: its own, or an untrialled label on the trial whose output it was given on), else the one its matcher read.
 */
function trialsOf(score: CaseScore, caseId: string, labels: RunAgreement['trialLabels']): ReportTrial[] | undefined {
  if (!(score.trials > 1)) return undefined
  const trials = usableTrials(score.trialResults)
  if (!trials.length) return undefined
  return trials.map((kept) => {
    const trial: ReportTrial = { trial: kept.trial, score: round(kept.score), pass: kept.pass }
    if (kept.reason !== undefined) trial.reason = kept.reason
    if (kept.automatedLabel !== undefined) trial.automatedLabel = String(kept.automatedLabel)
    const given = labels?.get(labelKey(score.suite, caseId, labelMetric(score.metric), kept.trial))
    const human = given?.label ?? kept.humanLabel
    if (human !== undefined) trial.humanLabel = human
    if (given?.disagrees) trial.disagree = true
    return trial
  })
}

function cellOf(score: CaseScore, before: number | undefined, disagree: boolean, stored?: string, trials?: ReportTrial[]): ReportCell {
  const awaiting = isAwaiting(score)
  const cell: ReportCell = { score: awaiting ? null : round(score.score), pass: score.pass, trials: score.trials }
  if (before !== undefined && !awaiting) cell.before = round(before)
  if (score.trials > 1 && score.passes !== undefined) cell.passes = score.passes
  if (score.flaky) cell.flaky = true
  if (score.threshold !== undefined) cell.threshold = score.threshold
  if (score.reason !== undefined) cell.reason = score.reason
  // Shown where a reason is (escaped like it): why the case has no score.
  if (score.error !== undefined) cell.reason = `Not scored: ${score.error}${score.reason === undefined ? '' : `\n${score.reason}`}`
  if (score.judge) cell.judge = `${score.judge.provider}/${score.judge.model}`
  // A label given on the review page (the labels file) wins over one recorded with the test: it is the newer.
  const human = stored ?? score.humanLabel
  if (human !== undefined) cell.humanLabel = human
  if (score.automatedLabel !== undefined) cell.automatedLabel = String(score.automatedLabel)
  if (disagree) cell.disagree = true
  if (trials) cell.trialResults = trials
  return cell
}

/** Flags of a cell (see `ROW_FLAGS`); an awaiting cell is neither failing nor changed. */
function cellFlags(score: CaseScore, cell: ReportCell): number {
  if (cell.score === null) return ROW_FLAGS.awaiting | (cell.disagree ? ROW_FLAGS.disagree : 0)
  let flags = (cell.pass ? 0 : ROW_FLAGS.failing) | (cell.flaky ? ROW_FLAGS.flaky : 0) | (cell.disagree ? ROW_FLAGS.disagree : 0)
  // Rounded against rounded: a difference the page cannot show is no change.
  if (cell.before !== undefined && cell.score < cell.before - 1e-9) flags |= ROW_FLAGS.regressed
  if (cell.before !== undefined && cell.score > cell.before + 1e-9) flags |= ROW_FLAGS.improved
  return flags
}

/** Rows (one per suite and case id, else test name) and each suite's columns (variant-major, first seen order). */
function gather(cases: readonly CaseScore[], compared: ReadonlyMap<string, Compared>): { suites: ReportSuite[]; rows: Gathered[]; column: Map<string, number> } {
  const suiteIndex = new Map<string, number>()
  const variants: { variants: string[]; metrics: Map<string, Set<string>> }[] = []
  // Rows in first-seen order, found by suite then id (no `suite \0 id` string made per case score).
  const rows: Gathered[] = []
  const rowsBySuite: Map<string, Gathered>[] = []
  const keys = caseKeysOf(cases)
  for (let at = 0; at < cases.length; at++) {
    const score = cases[at] as CaseScore
    let suite = suiteIndex.get(score.suite)
    if (suite === undefined) {
      suite = suiteIndex.size
      suiteIndex.set(score.suite, suite)
      variants.push({ variants: [], metrics: new Map() })
      rowsBySuite.push(new Map())
    }
    const seen = variants[suite] as (typeof variants)[number]
    const variant = score.variant ?? ''
    if (!seen.metrics.has(variant)) (seen.variants.push(variant), seen.metrics.set(variant, new Set()))
    seen.metrics.get(variant)?.add(score.metric)
    const id = score.caseId ?? score.test
    const against = compared.get(keys.groups[at] as string)
    const keyed = { score, key: against?.outputs ? (keys.cases[at] as string) : '', compared: against }
    const ofSuite = rowsBySuite[suite] as Map<string, Gathered>
    const row = ofSuite.get(id)
    if (row) row.scores.push(keyed)
    else {
      const added = { suite, id, scores: [keyed] }
      ofSuite.set(id, added)
      rows.push(added)
    }
  }
  const column = new Map<string, number>()
  const suites = [...suiteIndex.keys()].map((name, index): ReportSuite => {
    const seen = variants[index] as (typeof variants)[number]
    // Metrics in the suite's first-seen order in every variant, so the same metric lines up across variants.
    const order = new Map<string, number>()
    for (const variant of seen.variants) for (const metric of seen.metrics.get(variant) ?? []) if (!order.has(metric)) order.set(metric, order.size)
    const byOrder = (a: string, b: string) => (order.get(a) as number) - (order.get(b) as number)
    const columns = seen.variants.flatMap((variant) => [...(seen.metrics.get(variant) ?? [])].sort(byOrder).map((metric) => (variant === '' ? { metric } : { metric, variant })))
    columns.forEach((each, at) => column.set(`${index}\u0000${each.metric}\u0000${each.variant ?? ''}`, at))
    return { name, columns }
  })
  return { suites, rows, column }
}

/** Regressed rows first (worst drop first), then failing rows, then the rest; run order within each. */
function rank(row: ReportRow): 0 | 1 | 2 {
  return row.flags & ROW_FLAGS.regressed ? 0 : row.flags & ROW_FLAGS.failing ? 1 : 2
}

/**
 * The case matrix of the current run as the page script reads it: one row per suite and case (case id,
 * else test name), a cell per column of its suite (the suite's metric and variant pairs that were scored,
 * grouped by variant, variants in first-seen order, metrics in the suite's first-seen order in every variant), the compared run's scores, changed outputs
 * and flags. `change` is the row's worst drop when any cell dropped, else its largest gain. Rows are in suite
 * order (first seen), and within a suite: regressed (worst drop first), failing, then the rest, in run order.
 * Builds in linear time over the run's and the reference runs' cases.
 *
 * @example
 * const data = buildReportData({ runs, comparison, gateFailures: [] })
 */
export function buildReportData(input: HtmlReportInput): ReportData {
  const run = input.runs.at(-1)
  if (!run?.cases) {
    const suites = new Map<string, ReportSuite>()
    for (const group of run?.groups ?? []) {
      const suite = suites.get(group.suite) ?? { name: group.suite, columns: [] }
      suite.columns.push(group.variant === undefined ? { metric: group.metric } : { metric: group.metric, variant: group.variant })
      suites.set(group.suite, suite)
    }
    return { v: 1, suites: [...suites.values()], rows: [], ...(run ? { detailDropped: true } : {}) }
  }
  const { suites, rows: gathered, column } = gather(run.cases, comparedRuns(input.comparison))
  const disagree = disagreeing(input.agreement)
  const labels = input.agreement?.labels
  const trialLabels = input.agreement?.trialLabels
  const trajectories = trajectoryIds(run.cases)
  const trialBudget = newTrialOutputBudget()
  const keys = rowKeys(gathered.map((row) => ({ suite: (suites[row.suite] as ReportSuite).name, id: row.id })))
  const rows = gathered.map((gatheredRow, index): ReportRow => {
    const width = (suites[gatheredRow.suite] as ReportSuite).columns.length
    const cells: (ReportCell | null)[] = width === 1 ? [null] : new Array(width).fill(null)
    let flags = 0
    let worst = 0
    let best = 0
    let compared = false
    let input: string | undefined
    let expected: string | undefined
    for (const keyed of gatheredRow.scores) {
      const { score } = keyed
      // A suite of one column (one metric, no variants) needs no key per score: 5,000 keys cost ~5 ms cold.
      const at = width === 1 ? 0 : (column.get(`${gatheredRow.suite}\u0000${score.metric}\u0000${score.variant ?? ''}`) as number)
      input ??= score.input
      expected ??= score.expected
      if (cells[at]) continue
      const disagrees = disagree.size > 0 && disagree.has(labelKey(score.suite, gatheredRow.id, labelMetric(score.metric)))
      const cell = cellOf(score, beforeOf(keyed), disagrees, fileLabel(score, gatheredRow.id, labels), trialsOf(score, gatheredRow.id, trialLabels))
      cells[at] = cell
      flags |= cellFlags(score, cell)
      if (cell.before === undefined || cell.score === null) continue
      compared = true
      worst = Math.min(worst, cell.score - cell.before)
      best = Math.max(best, cell.score - cell.before)
    }
    const row: ReportRow = { key: keys[index] as string, suite: gatheredRow.suite, id: gatheredRow.id, cells, flags, outputs: rowOutputs(gatheredRow.scores, trajectories, trialBudget) }
    if (compared) row.change = round(worst < -1e-9 ? worst : best)
    if (input !== undefined) row.input = input
    if (expected !== undefined) row.expected = expected
    return row
  })
  return { v: 1, suites, rows: sortRows(rows, suites.length) }
}

/**
 * Rows (in run order) by suite, then rank (regressed, failing, the rest), regressed rows by their drop, run order
 * within each. Rows are put in per-suite, per-rank lists in one pass and only the regressed are sorted (a stable
 * sort keeps run order among equal drops): a comparison sort of every row cost 10-25 ms at the end of a
 * 5,000-case run, in code that runs once and is not optimized.
 */
function sortRows(rows: readonly ReportRow[], suiteCount: number): ReportRow[] {
  const buckets = Array.from({ length: suiteCount }, (): [ReportRow[], ReportRow[], ReportRow[]] => [[], [], []])
  for (const row of rows) (buckets[row.suite] as [ReportRow[], ReportRow[], ReportRow[]])[rank(row)].push(row)
  const sorted: ReportRow[] = []
  for (const [regressed, failing, rest] of buckets) {
    regressed.sort((a, b) => (a.change ?? 0) - (b.change ?? 0))
    for (const row of regressed) sorted.push(row)
    for (const row of failing) sorted.push(row)
    for (const row of rest) sorted.push(row)
  }
  return sorted
}
