import { testKey, trajectoriesByTest, type CaseConversation, type CaseScore, type CaseTrace, type CaseTrajectory, type CaseTrial, type HistoryRun } from '../history/run-record.js'
import { trajectoryOf } from '../history/trajectory-shape.js'
import { agreementStats, type AgreementStats } from '../metrics/agreement/agreement-stats.js'
import { normalizeLabel } from '../metrics/agreement/compare-labels.js'
import { kendallTauB, spearman } from '../metrics/agreement/rank-correlation.js'
import { outputHash, type HumanLabel } from './labels-file.js'
import { findIndexedLabel, indexLabels, suitesByCase } from './label-scope.js'
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

/** One case × metric (× trial, for a case run several times) of the run under review, with its current human label. */
export interface ReviewRow {
  /** Position in the list of rows, used by the page to address the row. */
  id: number
  /** A case run several times: which trial this row shows (1-based, "trial 2 of 3"); its label is stored with it. */
  trial?: number
  /** With `trial`: how many trials the case ran (only the last 10 are kept, so rows of earlier ones may be missing). */
  trials?: number
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
  /**
   * A trial row other than the one the case's label applies to: its `recordedHumanLabel` is the case's label (every
   * trial's matcher read it), counted once, on that trial, so not on this one.
   */
  recordedCountedElsewhere?: true
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
function rowOutputHash(score: CaseScore): string | undefined {
  if (typeof score.outputHash === 'string') return score.outputHash
  return score.output !== undefined && !TRUNCATED.test(score.output) ? outputHash(score.output) : undefined
}

function passFail(label: string | number): 'pass' | 'fail' | undefined {
  const normal = normalizeLabel(label)
  return normal === 'pass' || normal === 'fail' ? normal : undefined
}

/** What a row shows of its case score: the whole case, or one of its trials. */
interface RowView {
  score: number
  pass: boolean
  reason?: string | undefined
  output?: string | undefined
  outputHash?: string | undefined
  automatedLabel?: unknown
  trial?: CaseTrial
}

/**
 * The rows of a run for review, joined with the newest human labels (`labels`, in file order) of their suite, and
 * legacy, suite-less labels whose case id is in that suite only. One row per case and metric; a case run several
 * times (`repeats`) whose trials were kept has one row per kept trial instead (its own output, score, verdict and
 * reasons), labelled by trial. A label without a trial applies to the trial whose output it was given on (by
 * `outputHash`), else to the trial that gave the grader's most frequent answer (see {@link modalTrial}).
 *
 * @example
 * const rows = reviewRows(latestRun, readLabels(file).labels)
 */
export function reviewRows(run: Pick<HistoryRun, 'cases'>, labels: readonly HumanLabel[]): ReviewRow[] {
  const index = indexLabels(labels)
  const trajectories = trajectoriesByTest(run.cases ?? [])
  const suites = suitesByCase(run.cases ?? [])
  const trialTexts = trialOutputsByTest(run.cases ?? [])
  const rows: ReviewRow[] = []
  for (const score of run.cases ?? []) {
    const caseId = score.caseId ?? score.test
    const labelMetric = score.metric.startsWith('label:') ? score.metric.slice('label:'.length) : score.metric
    const find = (metric: string, trial?: number) => findIndexedLabel(index, { suite: score.suite, caseId, metric, ...(trial === undefined ? {} : { trial }) }, suites.get(caseId))
    const trials = score.trials > 1 ? usableTrials(score.trialResults) : []
    const trajectory = score.trace || score.conversation ? trajectoryOf(score) : (trajectories.get(testKey(score)) ?? {})
    if (!trials.length) {
      const view: RowView = { score: score.score, pass: score.pass, reason: score.reason, output: score.output, outputHash: rowOutputHash(score), automatedLabel: (score as { automatedLabel?: unknown }).automatedLabel }
      rows.push(reviewRow(rows.length, score, caseId, labelMetric, view, find(labelMetric)?.label, trajectory, find))
      continue
    }
    // An untrialled label belongs to the trial it was given on: the last one with its output, else the modal one.
    const untrialled = find(labelMetric)
    const given = untrialled?.label.outputHash
    const matching = given === undefined ? -1 : trials.findLastIndex((trial) => trial.outputHash === given)
    const owner = matching === -1 ? modalTrial(trials, (trial) => find(labelMetric, trial.trial) !== undefined) : matching
    trials.forEach((trial, at) => {
      const own = find(labelMetric, trial.trial)
      const applicable = at === owner && untrialled && (!own || untrialled.position > own.position) ? untrialled : own
      const output = trial.output ?? trialTexts.get(testKey(score))?.get(trial.trial)
      const view: RowView = { score: trial.score, pass: trial.pass, reason: trial.reason, output, outputHash: trial.outputHash, automatedLabel: trial.automatedLabel, trial }
      // The kept trace and conversation are the last trial's (each trial replaces them).
      const row = reviewRow(rows.length, score, caseId, labelMetric, view, applicable?.label, at === trials.length - 1 ? trajectory : {}, find)
      if (at !== owner && row.recordedHumanLabel !== undefined) countRecordedElsewhere(row)
      rows.push(row)
    })
  }
  return rows
}

/**
 * The trial a case's label is counted on when it was not given on one trial's output (a dataset's label, read by every
 * trial's matcher): one whose grade is the grader's most frequent over the trials without a label of their own (all,
 * when each has one), the latest such; so one label counts once, against what the grader said most often, not against
 * whichever trial ran last.
 *
 * @example
 * modalTrial([{ trial: 1, automatedLabel: 'a' }, { trial: 2, automatedLabel: 'a' }, { trial: 3, automatedLabel: 'b' }], () => false) // 1
 */
export function modalTrial(trials: readonly Pick<CaseTrial, 'trial' | 'pass' | 'automatedLabel'>[], labelled: (trial: Pick<CaseTrial, 'trial'>) => boolean): number {
  const open = trials.some((trial) => !labelled(trial))
  const counts = new Map<string, number>()
  let best = trials.length - 1
  let most = 0
  trials.forEach((trial, at) => {
    if (open && labelled(trial)) return
    const grade = trial.automatedLabel === undefined ? `pass:${trial.pass}` : `label:${String(trial.automatedLabel)}`
    const count = (counts.get(grade) ?? 0) + 1
    counts.set(grade, count)
    // Ties go to the grade given last.
    if (count >= most) {
      most = count
      best = at
    }
  })
  return best
}

/** Leaves a trial row's recorded label (the case's, read by every trial) to the trial it applies to. */
function countRecordedElsewhere(row: ReviewRow): void {
  row.recordedCountedElsewhere = true
  const pair = labelPairOf(row)
  row.disagrees = pair ? pair.automated !== pair.human : false
}

/**
 * A history line's per-trial results when every one has the shape the rows read (the case table checks no more than a
 * list), else none.
 *
 * @example
 * usableTrials(score.trialResults).map((trial) => trial.trial) // [1, 2, 3]
 */
export function usableTrials(trials: unknown): CaseTrial[] {
  if (!Array.isArray(trials)) return []
  const usable = trials.every((trial: unknown) => {
    if (typeof trial !== 'object' || trial === null) return false
    const { trial: number, score, pass, output, outputHash: hash } = trial as Record<string, unknown>
    return Number.isSafeInteger(number) && (number as number) > 0 && typeof score === 'number' && Number.isFinite(score) && typeof pass === 'boolean' && (output === undefined || typeof output === 'string') && (hash === undefined || typeof hash === 'string')
  })
  return usable ? (trials as CaseTrial[]) : []
}

/** Per test, each trial's output as its first case score keeps it (the test's other metrics keep only the hashes). */
function trialOutputsByTest(cases: readonly CaseScore[]): Map<string, Map<number, string>> {
  const found = new Map<string, Map<number, string>>()
  for (const score of cases) {
    const trials = usableTrials(score.trialResults)
    if (!trials.length || found.has(testKey(score))) continue
    const outputs = new Map(trials.flatMap((trial) => (trial.output === undefined ? [] : [[trial.trial, trial.output] as const])))
    if (outputs.size) found.set(testKey(score), outputs)
  }
  return found
}

function reviewRow(
  id: number,
  score: CaseScore,
  caseId: string,
  labelMetric: string,
  view: RowView,
  stored: HumanLabel | undefined,
  { trace, conversation }: CaseTrajectory,
  find: (metric: string) => { label: HumanLabel } | undefined,
): ReviewRow {
  const row: ReviewRow = { id, suite: score.suite, test: score.test, caseId, metric: score.metric, labelMetric, score: view.score, pass: view.pass, flaky: !!score.flaky, disagrees: false }
  if (view.trial) Object.assign(row, { trial: view.trial.trial, trials: score.trials })
  if (score.threshold !== undefined) row.threshold = score.threshold
  if (view.reason !== undefined) row.reason = view.reason
  if (score.input !== undefined) row.input = score.input
  if (view.output !== undefined) row.output = view.output
  if (score.judge) row.judge = `${score.judge.provider} ${score.judge.model} (prompt ${score.judge.promptVersion})`
  if (view.outputHash) row.outputHash = view.outputHash
  const { automatedLabel } = view
  if (row.metric !== row.labelMetric) {
    // A trial row awaits its label when that trial's output had none (other trials' may have had one).
    if ((view.trial ? view.trial.awaitingLabel : (score as { awaitingLabel?: unknown }).awaitingLabel) === true) row.awaitingLabel = true
    if (typeof automatedLabel === 'string' || typeof automatedLabel === 'number') row.automatedLabel = automatedLabel
    // A trial row: the label that trial's matcher compared with (the case's is the last trial's).
    const recorded = view.trial ? view.trial.humanLabel : score.humanLabel
    if (recorded !== undefined) row.recordedHumanLabel = recorded
  }
  if (stored) {
    const stale = stored.outputHash !== undefined && row.outputHash !== undefined && stored.outputHash !== row.outputHash
    row.label = { label: stored.label, at: stored.at, stale, ...(stored.note ? { note: stored.note } : {}), ...(stored.by ? { by: stored.by } : {}) }
    const human = passFail(stored.label)
    const automated = row.metric === row.labelMetric ? (row.pass ? 'pass' : 'fail') : undefined
    row.disagrees = !stale && human !== undefined && (automated === undefined ? !row.pass : automated !== human)
  }
  if (trace) row.trace = trace
  if (conversation) {
    row.conversation = conversation
    const turnLabels = turnLabelsOf(conversation, (metric) => find(metric)?.label)
    if (Object.keys(turnLabels).length) row.turnLabels = turnLabels
  }
  const pair = labelPairOf(row)
  if (row.metric !== row.labelMetric && pair) row.disagrees = pair.automated !== pair.human
  return row
}

/**
 * The (automated, human) pair of a `label:` row whose grader label was recorded: the human label is the
 * current one in the labels file, else the one the matcher compared with (e.g. from the dataset row).
 */
export function labelPairOf(row: ReviewRow): { automated: string | number; human: string | number } | undefined {
  if (row.automatedLabel === undefined) return undefined
  const human = row.label && !row.label.stale ? row.label.label : row.recordedCountedElsewhere ? undefined : row.recordedHumanLabel
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
      if (row.automatedLabel !== undefined && (row.label || (row.recordedHumanLabel !== undefined && !row.recordedCountedElsewhere))) pushTo(byLabelMetric, row.metric, row)
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
