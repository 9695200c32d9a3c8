import { distance } from 'fastest-levenshtein'

/**
 * Normalized Levenshtein similarity: `1 - distance / max(length)` over UTF-16 code units, 1 for two
 * empty strings.
 *
 * @example
 * levenshteinSimilarity('kitten', 'sitting') // 1 - 3 / 7
 */
export function levenshteinSimilarity(output: string, expected: string): number {
  const longest = Math.max(output.length, expected.length)
  if (longest === 0) return 1
  return 1 - distance(output, expected) / longest
}
