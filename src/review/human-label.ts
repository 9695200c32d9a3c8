import { statSync } from 'node:fs'
import { LabelsError } from '../errors/index.js'
import { describeProblems, labelKey, latestLabels, readLabels, type HumanLabel } from './labels-file.js'

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
 * when the matcher runs; a case nobody has labelled yet (or whose label is on an older output) is not scored.
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

const cache = new Map<string, { stamp: string; labels: Map<string, HumanLabel> }>()

/**
 * The newest label of a case and metric in `file`, or undefined. Re-read only when the file changes.
 * A file with unreadable lines is a {@link LabelsError} listing them: a damaged line may be the label asked for.
 *
 * @example
 * findHumanLabel('evals/labels.jsonl', 'refund-1', 'helpful')?.label
 */
export function findHumanLabel(file: string, caseId: string, metric: string): HumanLabel | undefined {
  let stamp = 'missing'
  try {
    const stats = statSync(file)
    stamp = `${stats.mtimeMs}:${stats.size}`
  } catch {}
  let entry = cache.get(file)
  if (entry?.stamp !== stamp) {
    const { labels, problems } = readLabels(file)
    if (problems.length) {
      throw new LabelsError(`The labels file has lines that cannot be read:\n${describeProblems(problems)}\nFix or remove those lines (nothing else in the file is changed), then run again.`)
    }
    entry = { stamp, labels: latestLabels(labels) }
    cache.set(file, entry)
  }
  return entry.labels.get(labelKey(caseId, metric))
}
