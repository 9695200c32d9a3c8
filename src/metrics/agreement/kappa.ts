import { marginals, type ConfusionMatrix } from './confusion-matrix.js'

/** How much partial credit a near miss gets: none (`unweighted`), linear or quadratic in the distance on the scale. */
export type KappaWeights = 'unweighted' | 'linear' | 'quadratic'

function agreementWeight(row: number, column: number, classes: number, weights: KappaWeights): number {
  if (weights === 'unweighted' || classes < 2) return row === column ? 1 : 0
  const distance = Math.abs(row - column) / (classes - 1)
  return weights === 'linear' ? 1 - distance : 1 - distance ** 2
}

/**
 * Cohen's kappa: agreement beyond chance, `(observed − expected) / (1 − expected)`, from a confusion
 * matrix. Weighted kappa (Cohen 1968) for ordinal scales treats the matrix's label order as the scale.
 * `null` when chance agreement is already total (both raters used one and the same label), where kappa is undefined.
 *
 * @example
 * cohenKappa(confusionMatrix(pairs, [1, 2, 3, 4, 5]), 'quadratic')
 */
export function cohenKappa(matrix: ConfusionMatrix, weights: KappaWeights = 'unweighted'): number | null {
  const { n, counts } = matrix
  const classes = matrix.labels.length
  if (n === 0) return null
  const { rows, columns } = marginals(matrix)
  let observed = 0
  let expected = 0
  for (let row = 0; row < classes; row++) {
    for (let column = 0; column < classes; column++) {
      const weight = agreementWeight(row, column, classes, weights)
      observed += (weight * (counts[row]?.[column] ?? 0)) / n
      expected += (weight * (rows[row] ?? 0) * (columns[column] ?? 0)) / (n * n)
    }
  }
  if (1 - expected < 1e-12) return null
  return (observed - expected) / (1 - expected)
}
