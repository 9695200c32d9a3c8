import { ConfigError } from '../../errors/index.js'
import { groupThousands } from '../../format-number.js'

/**
 * Default of `maxPairs`: two texts of 100,000 characters (levenshtein) or words (rouge-l), about 3 s
 * each on a shared 2-core machine (bench/similarity.bench.ts).
 */
export const DEFAULT_MAX_PAIRS = 10_000_000_000

/** Option of the similarity methods whose time grows with the product of the lengths: levenshtein and rouge-l. */
export interface PairLimit {
  /**
   * Most character pairs (levenshtein) or word pairs (rouge-l) one comparison may need: the product of
   * the two lengths, not counting a start and an end the texts share. Default 10,000,000,000.
   */
  maxPairs?: number
}

/**
 * Throws a ConfigError when comparing `lengths` needs more than `maxPairs` pairs: these methods are
 * synchronous, and a test timeout cannot stop them.
 *
 * @example
 * assertWithinPairLimit('rouge-l', 'words', 120_000, 90_000, options.maxPairs)
 */
export function assertWithinPairLimit(method: 'levenshtein' | 'rouge-l', unit: 'characters' | 'words', length: number, otherLength: number, maxPairs = DEFAULT_MAX_PAIRS): void {
  const pairs = length * otherLength
  if (pairs <= maxPairs) return
  throw new ConfigError(
    `${method} similarity would compare ${groupThousands(length)} × ${groupThousands(otherLength)} ${unit} ` +
      `(${groupThousands(pairs)} pairs, not counting a start and an end the texts share), more than \`maxPairs\` allows (${groupThousands(maxPairs)}). ` +
      `Its time grows with that product: the default limit, ${groupThousands(DEFAULT_MAX_PAIRS)} (two texts of 100,000 ${unit}), takes seconds. ` +
      'Compare shorter texts (a section at a time), use method `dice` or `bleu` (linear time), or raise the `maxPairs` option.',
  )
}
