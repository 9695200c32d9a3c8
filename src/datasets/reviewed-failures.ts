import type { CaseScore, HistoryRun } from '../history/run-record.js'
import { requireRows } from './rows-argument.js'

/** A training example made from a reviewed failure: the case's input and the reviewer's answer. */
export interface ReviewedExample {
  id: string
  suite: string
  metric: string
  input: string
  /** What the model should have said: the human label, or what `correction` made of it. */
  output: string
  /** The output the model gave (for reference; not part of the training pair). */
  modelOutput?: string
}

const TRUNCATED = /… \(\+\d+ chars\)$/

/** Options of {@link examplesFromReviewedFailures}. */
export interface ReviewedFailuresOptions {
  /** Turns a human label into the output to learn (default: the label itself). Return undefined to skip a case. */
  correction?: (score: CaseScore) => string | undefined
  /** Only these suites (default: all). */
  suites?: readonly string[]
}

/**
 * Turns reviewed failures from score history into training examples: cases that failed and carry a
 * human label (the reviewer's verdict or correct answer) and an input (not cut by the history's
 * `maxTextChars`). Runs are read newest first, so
 * each case appears once, with its latest review. Feed the result to `toFineTuningJsonl(examples,
 * { input: 'input', output: 'output', format })`.
 *
 * @example
 * const examples = examplesFromReviewedFailures(readHistory('.evals/history.jsonl'))
 */
export function examplesFromReviewedFailures(runs: readonly HistoryRun[], options: ReviewedFailuresOptions = {}): ReviewedExample[] {
  requireRows(runs, 'examplesFromReviewedFailures(runs)', examplesFromReviewedFailures, "the score history's runs as an array (e.g. readHistory('.evals/history.jsonl'))")
  const seen = new Set<string>()
  const examples: ReviewedExample[] = []
  const newestFirst = [...runs].sort((a, b) => b.time.localeCompare(a.time))
  for (const run of newestFirst) {
    for (const score of run.cases ?? []) {
      const id = score.caseId ?? score.test
      const key = `${score.suite}\u0000${id}`
      // History cuts long inputs ("… (+N chars)"): a cut input would teach the wrong prompt.
      if (seen.has(key) || score.pass || score.humanLabel === undefined || !score.input || TRUNCATED.test(score.input)) continue
      if (options.suites && !options.suites.includes(score.suite)) continue
      seen.add(key)
      const output = options.correction ? options.correction(score) : score.humanLabel
      if (output === undefined || output.trim() === '') continue
      examples.push({ id, suite: score.suite, metric: score.metric, input: score.input, output, ...(score.output === undefined ? {} : { modelOutput: score.output }) })
    }
  }
  return examples
}
