import { statSync } from 'node:fs'
import { LabelsError } from '../errors/index.js'
import { readHistory } from '../history/history-file.js'
import { describeProblems, labelKey, readLabels, type HumanLabel } from './labels-file.js'
import { findIndexedLabel, indexLabels, suitesByCase, trialLabelOfOutput, type LabelIndex, type LabelTarget } from './label-scope.js'

/** A label to look up in the labels file when the matcher runs (see {@link humanLabel}). */
export interface HumanLabelReference {
  readonly kind: 'human-label-reference'
  readonly caseId: string
  readonly metric: string
  /** Labels file; default the plugin's `labels.file` (`evals/labels.jsonl`). */
  readonly file?: string
}

/**
 * The human label of a case and metric, from the labels file, for `toMatchHumanLabel`. It is looked up
 * when the matcher runs, in the suite of the running test (its file and top-level describe): the same case id
 * in another suite has its own label. A case nobody has labelled yet (or whose label is on an older output) is not scored.
 *
 * @example
 * await expect(reply).toMatchHumanLabel(humanLabel(row.id, 'helpful'), { grader: (text) => judgeHelpful(text) })
 * @see docs/human-review.md
 */
export function humanLabel(caseId: string, metric: string, options: { file?: string } = {}): HumanLabelReference {
  if (typeof caseId !== 'string' || caseId === '' || typeof metric !== 'string' || metric === '') {
    throw new LabelsError(`humanLabel(caseId, metric) needs two non-empty strings, got ${JSON.stringify(caseId)} and ${JSON.stringify(metric)}.`)
  }
  return { kind: 'human-label-reference', caseId, metric, ...(options.file ? { file: options.file } : {}) }
}

/** True for what {@link humanLabel} returns. */
export function isHumanLabelReference(value: unknown): value is HumanLabelReference {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'human-label-reference'
}

/** The version of a file (missing, or its time and size): cached reads are redone when it changes. */
function stampOf(file: string): string {
  try {
    const stats = statSync(file)
    return `${stats.mtimeMs}:${stats.size}`
  } catch {
    return 'missing'
  }
}

const labelCache = new Map<string, { stamp: string; index: LabelIndex }>()
const historyCache = new Map<string, { stamp: string; suites: Map<string, Set<string>> }>()

/**
 * The suites each case id is in, in the newest run of a history file (empty without one). Re-read only when
 * the file changes.
 *
 * @example
 * caseSuitesInHistory('/repo/.evals/history.jsonl').get('refund-1')
 */
export function caseSuitesInHistory(file: string): ReadonlyMap<string, ReadonlySet<string>> {
  const stamp = stampOf(file)
  let entry = historyCache.get(file)
  if (entry?.stamp !== stamp) {
    const run = readHistory(file, () => {}, (_run, newer) => newer === 0).at(-1)
    entry = { stamp, suites: suitesByCase(run?.cases ?? []) }
    historyCache.set(file, entry)
  }
  return entry.suites
}

/** What {@link findHumanLabel} found: the label that applies, or a legacy one that applies to no case. */
export interface HumanLabelLookup {
  label?: HumanLabel
  /** A label without a suite whose case id is in several suites (`suites`): it applies to none of them. */
  ambiguousLegacy?: { label: HumanLabel; suites: string[] }
}

/**
 * The label of a suite's case and metric in `file` (see `findLabel`). `caseSuites()` gives the suites the case id
 * is in (asked only when a legacy, suite-less label of the case exists). Re-read only when the file changes.
 * A file with unreadable lines is a {@link LabelsError} listing them: a damaged line may be the label asked for.
 * With `outputHash` (the output being graded), a label given on one trial of the case (review page, `repeats`) to this
 * very output is the one found when the case's label is missing, on another output, or older (the newer line wins).
 *
 * @example
 * findHumanLabel('evals/labels.jsonl', { suite: 'bot.test.ts > bot', caseId: 'refund-1', metric: 'helpful' }).label?.label
 */
export function findHumanLabel(file: string, target: LabelTarget, caseSuites: () => ReadonlySet<string> = () => new Set([target.suite]), options: { outputHash?: string } = {}): HumanLabelLookup {
  const stamp = stampOf(file)
  let entry = labelCache.get(file)
  if (entry?.stamp !== stamp) {
    const { labels, problems } = readLabels(file)
    if (problems.length) {
      throw new LabelsError(`The labels file has lines that cannot be read:\n${describeProblems(problems)}\nFix or remove those lines (nothing else in the file is changed), then run again.`)
    }
    entry = { stamp, index: indexLabels(labels) }
    labelCache.set(file, entry)
  }
  const legacy = entry.index.entries.get(labelKey(undefined, target.caseId, target.metric, target.trial))?.label
  const suites = legacy ? caseSuites() : new Set([target.suite])
  const found = findIndexedLabel(entry.index, target, suites)
  const current = found && (found.label.outputHash === undefined || options.outputHash === undefined || found.label.outputHash === options.outputHash)
  const onTrial = options.outputHash !== undefined ? trialLabelOfOutput(entry.index, target, options.outputHash) : undefined
  // The newer line wins between the case's current label and a trial's label of this output (as on the review page).
  const label = onTrial && (!current || onTrial.position > found.position) ? onTrial.label : found?.label
  if (label || !legacy || suites.size < 2) return label ? { label } : {}
  return { ambiguousLegacy: { label: legacy, suites: [...suites] } }
}
