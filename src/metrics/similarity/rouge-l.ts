import { wordTokens } from './tokenize.js'

/** Length of the longest common subsequence of two token lists (two-row dynamic programming). */
export function longestCommonSubsequence(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0)
  let current = new Array<number>(b.length + 1).fill(0)
  for (const tokenA of a) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = tokenA === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!)
    }
    ;[previous, current] = [current, previous]
  }
  return previous[b.length]!
}

/**
 * ROUGE-L F1 (Lin 2004): LCS of the word tokens, `P = lcs / |output|`, `R = lcs / |expected|`,
 * `F = 2PR / (P + R)`. Two texts without tokens score 1; one empty side scores 0.
 *
 * @example
 * rougeL('the cat sat on the mat', 'the cat is on the mat') // 5 / 6
 */
export function rougeL(output: string, expected: string): number {
  const candidate = wordTokens(output)
  const reference = wordTokens(expected)
  if (candidate.length === 0 && reference.length === 0) return 1
  const lcs = longestCommonSubsequence(candidate, reference)
  if (lcs === 0) return 0
  const precision = lcs / candidate.length
  const recall = lcs / reference.length
  return (2 * precision * recall) / (precision + recall)
}
