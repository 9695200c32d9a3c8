import { labelKey, marginals, type AgreementLabel, type ConfusionMatrix } from './confusion-matrix.js'

/** One class scored one-versus-rest, the human label taken as the truth. `null` where a ratio has no cases. */
export interface ClassMetrics {
  label: AgreementLabel
  /** Cases the human gave this label. */
  support: number
  /** Of the cases the grader gave this label, the share the human agreed with. */
  precision: number | null
  /** Of the cases the human gave this label, the share the grader found. */
  recall: number | null
  f1: number | null
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole)

/**
 * Precision, recall and F1 of each class (one-versus-rest) from a confusion matrix.
 *
 * @example
 * classMetrics(confusionMatrix(pairs)).find((metrics) => metrics.label === 'fail')?.recall
 */
export function classMetrics(matrix: ConfusionMatrix): ClassMetrics[] {
  const { rows, columns } = marginals(matrix)
  return matrix.labels.map((label, index) => {
    const hits = matrix.counts[index]?.[index] ?? 0
    const precision = ratio(hits, columns[index] ?? 0)
    const recall = ratio(hits, rows[index] ?? 0)
    const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
    return { label, support: rows[index] ?? 0, precision, recall, f1 }
  })
}

/** The four cells of a pass/fail matrix, with failing as the class a grader must catch. */
export interface FailureCounts {
  /** Human fail, grader fail. */
  caught: number
  /** Human fail, grader pass. */
  missed: number
  /** Human pass, grader fail. */
  falseFailures: number
  /** Human pass, grader pass. */
  passed: number
}

/** Statistics of a pass/fail grader against human pass/fail labels. */
export interface FailureAgreement extends FailureCounts {
  /** Share of cases the human failed. */
  prevalence: number | null
  /** Of the cases humans failed, the share the grader failed too (does the judge catch what humans fail). */
  failureRecall: number | null
  /** Of the cases humans passed, the share the grader failed. */
  falseFailureRate: number | null
  /** Matthews correlation coefficient, −1..1. */
  mcc: number | null
}

/**
 * Pass/fail statistics from a matrix over exactly the labels `failLabel` and `passLabel` (in any order).
 *
 * @example
 * failureAgreement(confusionMatrix(pairs, ['fail', 'pass'])).failureRecall
 */
export function failureAgreement(matrix: ConfusionMatrix, failLabel: AgreementLabel = 'fail', passLabel: AgreementLabel = 'pass'): FailureAgreement {
  const position = (label: AgreementLabel) => matrix.labels.findIndex((each) => labelKey(each) === labelKey(label))
  const fail = position(failLabel)
  const pass = position(passLabel)
  if (fail < 0 || pass < 0 || matrix.labels.length !== 2) {
    throw new RangeError(`[vitest-llm-evals] failureAgreement needs a matrix over ${JSON.stringify([failLabel, passLabel])}, got ${JSON.stringify(matrix.labels)}.`)
  }
  const cell = (row: number, column: number) => matrix.counts[row]?.[column] ?? 0
  const counts: FailureCounts = { caught: cell(fail, fail), missed: cell(fail, pass), falseFailures: cell(pass, fail), passed: cell(pass, pass) }
  const { caught, missed, falseFailures, passed } = counts
  const denominator = Math.sqrt((caught + falseFailures) * (caught + missed) * (passed + falseFailures) * (passed + missed))
  return {
    ...counts,
    prevalence: ratio(caught + missed, matrix.n),
    failureRecall: ratio(caught, caught + missed),
    falseFailureRate: ratio(falseFailures, falseFailures + passed),
    mcc: denominator === 0 ? null : (caught * passed - falseFailures * missed) / denominator,
  }
}
