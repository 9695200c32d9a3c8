import type { CaseScore } from '../src/history/run-record.js'
import { agreementByGrader, disagreementExamples, type DisagreementExample, type GraderAgreement } from '../src/review/agreement-report.js'
import { latestLabels, readLabels, type HumanLabel, type LabelsProblem } from '../src/review/labels-file.js'
import { reviewRows } from '../src/review/review-rows.js'

/** Judge-human agreement of one run: the tables, the disagreeing rows, and unreadable lines of the labels file. */
export interface RunAgreement {
  /** The labels file read (absolute). */
  labelsFile: string
  /** Labels read from that file (0 when it does not exist: labels then come from the cases' `humanLabel`). */
  fileLabels: number
  agreements: GraderAgreement[]
  /** Cases whose current human label contradicts the grader, in run order. */
  disagreements: DisagreementExample[]
  /** Lines of the labels file that could not be read (not counted, never changed). */
  problems: LabelsProblem[]
  /** The newest label of each case and metric in the file (by `labelKey`), for reports to show beside the scores. */
  labels?: ReadonlyMap<string, HumanLabel>
}

/**
 * Measures a run's cases against the human labels in `labelsFile` (a missing file has no labels).
 *
 * @example
 * const { agreements, disagreements } = measureAgreement(summary.cases, '/repo/evals/labels.jsonl')
 */
export function measureAgreement(cases: readonly CaseScore[] | undefined, labelsFile: string): RunAgreement {
  const { labels, problems } = readLabels(labelsFile)
  const latest = latestLabels(labels)
  const rows = reviewRows({ cases: [...(cases ?? [])] }, latest)
  return { labelsFile, fileLabels: labels.length, agreements: agreementByGrader(rows), disagreements: disagreementExamples(rows), problems, labels: latest }
}
