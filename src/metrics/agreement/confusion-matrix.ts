/** A label a human or a grader gives: `pass`/`fail`, a class name, or a score on a 1..N scale. */
export type AgreementLabel = string | number

/** One graded case: what the automated grader said and what the human said. */
export interface LabelPair {
  automated: AgreementLabel
  human: AgreementLabel
}

/** Counts of (human, automated) label pairs. Rows are the human label (the truth), columns the grader's. */
export interface ConfusionMatrix {
  /** Row and column labels, in order (numeric scales ascending, classes alphabetical unless given). */
  labels: AgreementLabel[]
  /** `counts[h][a]`: cases the human labelled `labels[h]` and the grader `labels[a]`. */
  counts: number[][]
  n: number
}

/** Sorts labels: all numbers ascending (an ordinal scale), otherwise by their text. */
export function orderLabels(labels: Iterable<AgreementLabel>): AgreementLabel[] {
  const unique = [...new Map([...labels].map((label) => [labelKey(label), label])).values()]
  if (unique.every((label) => typeof label === 'number')) return unique.sort((a, b) => (a as number) - (b as number))
  return unique.sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0))
}

/** Text key of a label, so `1` and `'1'` are the same class. */
export function labelKey(label: AgreementLabel): string {
  return String(label)
}

/**
 * Cross-tabulates label pairs. `labels` fixes the order (for an ordinal scale, lowest first) and may list
 * classes that never occur; a pair with a label outside it is a RangeError.
 *
 * @example
 * confusionMatrix([{ automated: 'pass', human: 'fail' }], ['fail', 'pass']) // counts [[0, 1], [0, 0]]
 */
export function confusionMatrix(pairs: readonly LabelPair[], labels?: readonly AgreementLabel[]): ConfusionMatrix {
  const order = labels ? [...labels] : orderLabels(pairs.flatMap((pair) => [pair.human, pair.automated]))
  const index = new Map(order.map((label, position) => [labelKey(label), position]))
  const counts = order.map(() => order.map(() => 0))
  for (const pair of pairs) {
    const row = index.get(labelKey(pair.human))
    const column = index.get(labelKey(pair.automated))
    if (row === undefined || column === undefined) {
      const missing = row === undefined ? pair.human : pair.automated
      throw new RangeError(`[vitest-llm-evals] label ${JSON.stringify(missing)} is not one of the labels ${JSON.stringify(order)}.`)
    }
    ;(counts[row] as number[])[column] = ((counts[row] as number[])[column] ?? 0) + 1
  }
  return { labels: order, counts, n: pairs.length }
}

/** Row sums (human label totals) and column sums (grader label totals). */
export function marginals(matrix: ConfusionMatrix): { rows: number[]; columns: number[] } {
  const rows = matrix.counts.map((row) => row.reduce((sum, count) => sum + count, 0))
  const columns = matrix.labels.map((_, column) => matrix.counts.reduce((sum, row) => sum + (row[column] ?? 0), 0))
  return { rows, columns }
}
