import stringSimilarity from 'string-similarity'

/**
 * Sørensen–Dice coefficient over character bigrams (whitespace ignored), from `string-similarity`.
 *
 * @example
 * diceSimilarity('night', 'nacht') // 0.25
 */
export function diceSimilarity(output: string, expected: string): number {
  return stringSimilarity.compareTwoStrings(output, expected)
}
