import { ConfigError } from '../../errors/index.js'
import type { Embedder } from '../../judge/embedder.js'
import { bleu } from './bleu.js'
import { diceSimilarity } from './dice.js'
import { embeddingSimilarity } from './embedding.js'
import { levenshteinSimilarity } from './levenshtein.js'
import type { PairLimit } from './pair-limit.js'
import { rougeL } from './rouge-l.js'

/** How `scoreSimilarity` compares two texts. */
export type SimilarityMethod = 'dice' | 'levenshtein' | 'rouge-l' | 'bleu' | 'embedding'

/** Every similarity method, in documentation order. */
export const SIMILARITY_METHODS: readonly SimilarityMethod[] = ['dice', 'levenshtein', 'rouge-l', 'bleu', 'embedding']

/** The score of one comparison: 0..1 with the method that produced it. */
export interface SimilarityScore {
  method: SimilarityMethod
  score: number
  /** For `embedding`: the raw cosine before clamping. */
  cosine?: number
}

/** True when `value` names a similarity method. */
export function isSimilarityMethod(value: unknown): value is SimilarityMethod {
  return typeof value === 'string' && (SIMILARITY_METHODS as readonly string[]).includes(value)
}

const lexicalScorers: Record<Exclude<SimilarityMethod, 'embedding'>, (output: string, expected: string, limit: PairLimit) => number> = {
  dice: diceSimilarity,
  levenshtein: levenshteinSimilarity,
  'rouge-l': rougeL,
  bleu,
}

/**
 * Scores how similar `output` is to `expected` (0..1) with one method. `embedding` needs an embedder.
 * `levenshtein` and `rouge-l` throw a ConfigError past `maxPairs` (see {@link PairLimit}).
 *
 * @example
 * await scoreSimilarity('The sky is blue.', 'The sky is blue today.', { method: 'rouge-l' })
 */
export async function scoreSimilarity(
  output: string,
  expected: string,
  options: { method: SimilarityMethod; embedder?: Embedder; maxPairs?: number },
): Promise<SimilarityScore> {
  const { method } = options
  if (method !== 'embedding') return { method, score: lexicalScorers[method](output, expected, { maxPairs: options.maxPairs }) }
  if (!options.embedder) throw new ConfigError('The `embedding` similarity method needs an `embedder`.')
  const { score, cosine } = await embeddingSimilarity(output, expected, options.embedder)
  return { method, score, cosine }
}

export { bleu } from './bleu.js'
export { diceSimilarity } from './dice.js'
export { cosineSimilarity, embeddingSimilarity } from './embedding.js'
export type { EmbeddingSimilarity } from './embedding.js'
export { levenshteinSimilarity } from './levenshtein.js'
export { DEFAULT_MAX_PAIRS } from './pair-limit.js'
export type { PairLimit } from './pair-limit.js'
export { longestCommonSubsequence, rougeL } from './rouge-l.js'
export { wordTokens } from './tokenize.js'
