import { distance } from 'fastest-levenshtein'
import { assertWithinPairLimit, DEFAULT_MAX_PAIRS, type PairLimit } from './pair-limit.js'

/** Below this many character pairs the bit-parallel distance takes under a millisecond: no shortcut needed. */
const SMALL_PAIRS = 1 << 20
/**
 * Steps the small-distance shortcut may take, as a share of the bit-parallel algorithm's `pairs / 32`:
 * little before a comparison that would run anyway, more before refusing one over `maxPairs`.
 */
const SHORTCUT_SHARE = 1 / 64
const SHORTCUT_SHARE_BEFORE_REFUSING = 1 / 16

/** Length of the common start of `a` and `b`, and of their common end after it. */
function sharedEnds(a: string, b: string): { start: number; end: number } {
  const shorter = Math.min(a.length, b.length)
  let start = 0
  while (start < shorter && a.charCodeAt(start) === b.charCodeAt(start)) start++
  let end = 0
  while (end < shorter - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++
  return { start, end }
}

/**
 * The edit distance when it is small, by Ukkonen's diagonal algorithm: round `d` finds how far each
 * diagonal of the edit table gets with `d` edits, so the cost is about `(n + m) · distance`. Undefined
 * when that would take more than `budget` steps.
 */
export function smallEditDistance(a: string, b: string, budget: number): number | undefined {
  const limit = Math.min(Math.max(a.length, b.length), Math.floor(Math.sqrt(budget)))
  const center = limit + 1
  // Diagonal k (column - row) at index center + k; rows out of reach are far below zero.
  let previous = new Int32Array(2 * limit + 3).fill(-(2 ** 30))
  let current = new Int32Array(2 * limit + 3).fill(-(2 ** 30))
  const target = b.length - a.length
  let steps = 0
  const slide = (row: number, diagonal: number) => {
    const start = row
    while (row < a.length && row + diagonal < b.length && a.charCodeAt(row) === b.charCodeAt(row + diagonal)) row++
    steps += row - start
    return row
  }
  previous[center] = slide(0, 0)
  if (target === 0 && previous[center] === a.length) return 0
  for (let edits = 1; edits <= limit; edits++) {
    const low = Math.max(-edits, -a.length)
    const high = Math.min(edits, b.length)
    for (let diagonal = low; diagonal <= high; diagonal++) {
      const index = center + diagonal
      // From the same diagonal (substitution), the one above (deletion) or the one below (insertion).
      const reach = Math.max(previous[index]! + 1, previous[index + 1]! + 1, previous[index - 1]!)
      current[index] = slide(Math.min(reach, a.length, b.length - diagonal), diagonal)
    }
    steps += high - low + 1
    if (target >= low && target <= high && current[center + target] === a.length) return edits
    if (steps > budget) return undefined
    ;[previous, current] = [current, previous]
  }
  return undefined
}

/**
 * Levenshtein distance of two strings (UTF-16 code units). The common start and end are set aside;
 * a small distance is found in about `(n + m) · distance` steps, any other with the bit-parallel
 * algorithm of `fastest-levenshtein` (Myers 1999; `n · m / 32` steps), within `maxPairs`.
 *
 * @example
 * editDistance('kitten', 'sitting') // 3
 */
export function editDistance(a: string, b: string, options: PairLimit = {}): number {
  const { start, end } = sharedEnds(a, b)
  const restA = a.slice(start, a.length - end)
  const restB = b.slice(start, b.length - end)
  const pairs = restA.length * restB.length
  if (pairs === 0) return restA.length + restB.length
  const maxPairs = options.maxPairs ?? DEFAULT_MAX_PAIRS
  if (pairs <= Math.min(SMALL_PAIRS, maxPairs)) return distance(restA, restB)
  const budget = pairs <= maxPairs ? (pairs / 32) * SHORTCUT_SHARE : (maxPairs / 32) * SHORTCUT_SHARE_BEFORE_REFUSING
  const small = smallEditDistance(restA, restB, budget)
  if (small !== undefined) return small
  assertWithinPairLimit('levenshtein', 'characters', restA.length, restB.length, maxPairs)
  return distance(restA, restB)
}

/**
 * Normalized Levenshtein similarity: `1 - distance / max(length)` over UTF-16 code units, 1 for two
 * empty strings. Throws a ConfigError when the texts need more than `maxPairs` character pairs.
 *
 * @example
 * levenshteinSimilarity('kitten', 'sitting') // 1 - 3 / 7
 */
export function levenshteinSimilarity(output: string, expected: string, options: PairLimit = {}): number {
  const longest = Math.max(output.length, expected.length)
  if (longest === 0) return 1
  return 1 - editDistance(output, expected, options) / longest
}
