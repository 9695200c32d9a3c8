import { testKey, trajectoriesByTest, type CaseConversation, type CaseScore, type CaseTrace, type HistoryRun } from '../history/run-record.js'
import { agreementStats, type AgreementStats } from '../metrics/agreement/agreement-stats.js'
import { normalizeLabel } from '../metrics/agreement/compare-labels.js'
import { kendallTauB, spearman } from '../metrics/agreement/rank-correlation.js'
import { outputHash, type HumanLabel } from './labels-file.js'
import { findLabel, indexLabels, suitesByCase } from './label-scope.js'
import { pushTo } from '../collections.js'
import { turnLabelsOf } from './turn-labels.js'

/** The label shown on a review row, and whether it was given to a different output. */
export interface RowLabel {
  label: string | number
  note?: string
  by?: string
  at: string
  /** Given to another output than the one in this run: shown, not counted. */
  stale: boolean
}

/** One case × metric of the run under review, with its current human label. */
export interface ReviewRow {
  /** Position in the run, used by the page to address the row. */
  id: number
  suite: string
  test: string
  /** The dataset case id, else the test's full name: with the suite, the key labels are stored under. */
  caseId: string
  /** The metric as recorded, e.g. `rubric:helpful`, `label:intent`. */
  metric: string
  /** The metric labels are stored under (`label:intent` → `intent`, which `humanLabel(caseId, 'intent')` reads). */
  labelMetric: string
  score: number
  pass: boolean
  flaky: boolean
  threshold?: number
  reason?: string
  input?: string
  output?: string
  judge?: string
  outputHash?: string
  label?: RowLabel
  /** `label:` rows: the grader's (or the output's) label, as `toMatchHumanLabel` recorded it. */
  automatedLabel?: string | number
  /** `label:` rows: the human label the matcher compared with in that run (from the dataset or the labels file). */
  recordedHumanLabel?: string
  /** `label:` rows graded before anyone labelled the case: shown to label, neither a pass nor a failure. */
  awaitingLabel?: true
  /** A current human label that contradicts the automated verdict (pass/fail, or the grader's class). */
  disagrees: boolean
  /** What the agent of the case did (every row of the test shows it). */
  trace?: CaseTrace
  /** The case's conversation (every row of the test shows it). */
  conversation?: CaseConversation
  /** Labels on single turns of the conversation, by turn number (1-based), stored as metric `turn:<n>`. */
  turnLabels?: Record<string, RowLabel>
}

const TRUNCATED = /… \(\+\d+ chars\)$/

/** The hash of the output behind a history row: recorded by the reporter, else computed when the text is complete. */
function rowOutputHash(score: CaseScore & { outputHash?: unknown }): string | undefined {
  if (typeof score.outputHash === 'string') return score.outputHash
  return score.output !== undefined && !TRUNCATED.test(score.output) ? outputHash(score.output) : undefined
}

function passFail(label: string | number): 'pass' | 'fail' | undefined {
  const normal = normalizeLabel(label)
  return normal === 'pass' || normal === 'fail' ? normal : undefined
}

/**
 * The rows of a run for review: one per case and metric, joined with the newest human labels (`labels`, in file
 * order) of their suite, and legacy, suite-less labels whose case id is in that suite only.
 *
 * @example
 * const rows = reviewRows(latestRun, readLabels(file).labels)
 */
export function reviewRows(run: Pick<HistoryRun, 'cases'>, labels: readonly HumanLabel[]): ReviewRow[] {
  const index = indexLabels(labels)
  const trajectories = trajectoriesByTest(run.cases ?? [])
  const suites = suitesByCase(run.cases ?? [])
  return (run.cases ?? []).map((score, id) => {
    const caseId = score.caseId ?? score.test
    const labelMetric = score.metric.startsWith('label:') ? score.metric.slice('label:'.length) : score.metric
    const hash = rowOutputHash(score)
    const labelOf = (metric: string) => findLabel(index, { suite: score.suite, caseId, metric }, suites.get(caseId))
    const stored = labelOf(labelMetric)
    const row: ReviewRow = { id, suite: score.suite, test: score.test, caseId, metric: score.metric, labelMetric, score: score.score, pass: score.pass, flaky: !!score.flaky, disagrees: false }
    if (score.threshold !== undefined) row.threshold = score.threshold
    if (score.reason !== undefined) row.reason = score.reason
    if (score.input !== undefined) row.input = score.input
    if (score.output !== undefined) row.output = score.output
    if (score.judge) row.judge = `${score.judge.provider} ${score.judge.model} (prompt ${score.judge.promptVersion})`
    if (hash) row.outputHash = hash
    const { automatedLabel, awaitingLabel } = score as CaseScore & { automatedLabel?: unknown; awaitingLabel?: unknown }
    if (row.metric !== row.labelMetric) {
      if (awaitingLabel === true) row.awaitingLabel = true
      if (typeof automatedLabel === 'string' || typeof automatedLabel === 'number') row.automatedLabel = automatedLabel
      if (score.humanLabel !== undefined) row.recordedHumanLabel = score.humanLabel
    }
    if (stored) {
      const stale = stored.outputHash !== undefined && hash !== undefined && stored.outputHash !== hash
      row.label = { label: stored.label, at: stored.at, stale, ...(stored.note ? { note: stored.note } : {}), ...(stored.by ? { by: stored.by } : {}) }
      const human = passFail(stored.label)
      const automated = row.metric === row.labelMetric ? (row.pass ? 'pass' : 'fail') : undefined
      row.disagrees = !stale && human !== undefined && (automated === undefined ? !row.pass : automated !== human)
    }
    const { trace, conversation } = score.trace || score.conversation ? score : (trajectories.get(testKey(score)) ?? {})
    if (trace) row.trace = trace
    if (conversation) {
      row.conversation = conversation
      const turnLabels = turnLabelsOf(conversation, labelOf)
      if (Object.keys(turnLabels).length) row.turnLabels = turnLabels
    }
    const pair = labelPairOf(row)
    if (row.metric !== row.labelMetric && pair) row.disagrees = pair.automated !== pair.human
    return row
  })
}

/**
 * The (automated, human) pair of a `label:` row whose grader label was recorded: the human label is the
 * current one in the labels file, else the one the matcher compared with (e.g. from the dataset row).
 */
export function labelPairOf(row: ReviewRow): { automated: string | number; human: string | number } | undefined {
  if (row.automatedLabel === undefined) return undefined
  const human = row.label && !row.label.stale ? row.label.label : row.recordedHumanLabel
  if (human === undefined) return undefined
  return { automated: normalizeLabel(row.automatedLabel), human: normalizeLabel(human) }
}

/** Agreement of one metric's automated verdicts with the current human labels. */
export interface MetricAgreement {
  metric: string
  /** Labelled rows not counted: stale, or a label that is neither pass/fail nor (for score labels) a number. */
  skipped: number
  /** Pass/fail verdicts against pass/fail labels. */
  stats?: AgreementStats
  /** Scores against numeric labels (a 1..N scale): rank correlations. */
  ranks?: { n: number; spearman: number | null; kendallTauB: number | null }
  /** `label:` metrics: the labels form an ordinal scale (numbers), so `stats.weightedKappa` is the kappa to read. */
  ordinal?: boolean
}

/**
 * Judge-human agreement per metric: pass/fail verdicts against pass/fail labels (kappa, confusion matrix,
 * failure recall …), or scores against numeric labels (Spearman, Kendall tau-b). `label:` rows count when
 * their grader's label was recorded: its class (or 1..N score, with weighted kappa) against the human's;
 * older `label:` rows without it are left out.
 *
 * @example
 * agreementByMetric(rows).map(({ metric, stats }) => [metric, stats?.kappa])
 */
export function agreementByMetric(rows: readonly ReviewRow[]): MetricAgreement[] {
  const byMetric = new Map<string, ReviewRow[]>()
  const byLabelMetric = new Map<string, ReviewRow[]>()
  for (const row of rows) {
    if (row.metric !== row.labelMetric) {
      if (row.automatedLabel !== undefined && (row.label || row.recordedHumanLabel !== undefined)) pushTo(byLabelMetric, row.metric, row)
      continue
    }
    if (!row.label) continue
    pushTo(byMetric, row.metric, row)
  }
  return [...verdictAgreement(byMetric), ...[...byLabelMetric].map(([metric, labelled]) => labelAgreement(metric, labelled))]
}

function labelAgreement(metric: string, labelled: readonly ReviewRow[]): MetricAgreement {
  const pairs = labelled.flatMap((row) => labelPairOf(row) ?? [])
  const ordinal = pairs.length > 0 && pairs.every((pair) => typeof pair.automated === 'number' && typeof pair.human === 'number')
  return { metric, skipped: labelled.length - pairs.length, stats: agreementStats(pairs, { ordinal }), ...(ordinal ? { ordinal } : {}) }
}

function verdictAgreement(byMetric: ReadonlyMap<string, ReviewRow[]>): MetricAgreement[] {
  return [...byMetric].map(([metric, labelled]) => {
    const current = labelled.filter((row) => !row.label?.stale).map((row) => ({ row, human: normalizeLabel(row.label?.label ?? '') }))
    if (current.length > 0 && current.every(({ human }) => typeof human === 'number')) {
      const scores = current.map(({ row }) => row.score)
      const humans = current.map(({ human }) => human as number)
      return { metric, skipped: labelled.length - current.length, ranks: { n: current.length, spearman: spearman(scores, humans), kendallTauB: kendallTauB(scores, humans) } }
    }
    const pairs = current.flatMap(({ row, human }) => (human === 'pass' || human === 'fail' ? [{ automated: row.pass ? 'pass' : 'fail', human }] : []))
    return { metric, skipped: labelled.length - pairs.length, stats: agreementStats(pairs, { labels: ['fail', 'pass'] }) }
  })
}
