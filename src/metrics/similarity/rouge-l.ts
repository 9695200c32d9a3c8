import { assertWithinPairLimit, type PairLimit } from './pair-limit.js'
import { wordTokens } from './tokenize.js'

/** Bits per word of the bit vectors: 30, so that a sum with its carry stays a 32-bit integer. */
const WORD_BITS = 30
const WORD_MASK = 2 ** WORD_BITS - 1

/** Set bits of a 30-bit integer. */
function popCount(value: number): number {
  let bits = value - ((value >>> 1) & 0x55555555)
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333)
  return (Math.imul((bits + (bits >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24)
}

/**
 * LCS length of two id sequences, bit-parallel (Allison & Dix 1986, in Hyyrö's 2004 form): a bit per
 * token of `a`, updated for each token of `b` as `V = (V + (V & M)) | (V & ~M)`, where `M` marks where
 * `a` holds that token; the LCS is the number of zero bits. `a` is taken 30 tokens at a time, the
 * carries between those blocks kept per token of `b`: `|a| · |b| / 30` steps.
 */
function bitParallelLcs(a: Int32Array, b: Int32Array, distinct: number): number {
  const masks = new Int32Array(distinct)
  const carries = new Uint8Array(b.length)
  let length = 0
  for (let blockStart = 0; blockStart < a.length; blockStart += WORD_BITS) {
    const blockEnd = Math.min(blockStart + WORD_BITS, a.length)
    for (let i = blockStart; i < blockEnd; i++) masks[a[i]!]! |= 1 << (i - blockStart)
    let vector = WORD_MASK
    for (let j = 0; j < b.length; j++) {
      const matches = vector & masks[b[j]!]!
      const sum = vector + matches + carries[j]!
      carries[j] = sum >>> WORD_BITS
      vector = ((sum & WORD_MASK) | (vector & ~matches)) & WORD_MASK
    }
    length += popCount(~vector & (2 ** (blockEnd - blockStart) - 1))
    for (let i = blockStart; i < blockEnd; i++) masks[a[i]!] = 0
  }
  return length
}

/** Both token lists as small integers (equal tokens, equal ids), and how many distinct tokens there are. */
function toIds(a: readonly string[], b: readonly string[]): { a: Int32Array; b: Int32Array; distinct: number } {
  const ids = new Map<string, number>()
  const idsOf = (tokens: readonly string[]) =>
    Int32Array.from(tokens, (token) => {
      let id = ids.get(token)
      if (id === undefined) ids.set(token, (id = ids.size))
      return id
    })
  return { a: idsOf(a), b: idsOf(b), distinct: ids.size }
}

/**
 * Length of the longest common subsequence of two token lists: exact, bit-parallel, with the common
 * start and end set aside. Throws a ConfigError past `maxPairs` token pairs.
 *
 * @example
 * longestCommonSubsequence(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd']) // 3
 */
export function longestCommonSubsequence(a: readonly string[], b: readonly string[], options: PairLimit = {}): number {
  const shorter = Math.min(a.length, b.length)
  let start = 0
  while (start < shorter && a[start] === b[start]) start++
  let end = 0
  while (end < shorter - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++
  const restA = a.slice(start, a.length - end)
  const restB = b.slice(start, b.length - end)
  if (restA.length === 0 || restB.length === 0) return start + end
  assertWithinPairLimit('rouge-l', 'words', restA.length, restB.length, options.maxPairs)
  // The shorter list along the bits: fewer blocks, each running over the longer list.
  const ids = restA.length <= restB.length ? toIds(restA, restB) : toIds(restB, restA)
  return start + end + bitParallelLcs(ids.a, ids.b, ids.distinct)
}

/**
 * ROUGE-L F1 (Lin 2004): LCS of the word tokens, `P = lcs / |output|`, `R = lcs / |expected|`,
 * `F = 2PR / (P + R)`. Two texts without tokens score 1; one empty side scores 0. Throws a ConfigError
 * when the texts need more than `maxPairs` word pairs.
 *
 * @example
 * rougeL('the cat sat on the mat', 'the cat is on the mat') // 5 / 6
 */
export function rougeL(output: string, expected: string, options: PairLimit = {}): number {
  const candidate = wordTokens(output)
  const reference = wordTokens(expected)
  if (candidate.length === 0 && reference.length === 0) return 1
  const lcs = longestCommonSubsequence(candidate, reference, options)
  if (lcs === 0) return 0
  const precision = lcs / candidate.length
  const recall = lcs / reference.length
  return (2 * precision * recall) / (precision + recall)
}
