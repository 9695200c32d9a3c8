import { ConfigError } from '../../errors/index.js'
import type { Embedder } from '../../judge/embedder.js'

/**
 * Cosine of two vectors, in -1..1 (0 when either is all zeros).
 *
 * @example
 * cosineSimilarity([1, 0], [1, 1]) // Math.SQRT1_2
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) {
    throw new ConfigError(`Embedding vectors differ in length (${a.length} vs ${b.length}); the embedder must return one size.`)
  }
  let dot = 0
  let normA = 0
  let normB = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!
    normA += a[i]! ** 2
    normB += b[i]! ** 2
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB)
}

/** Embedding similarity: the cosine (negative values clamped to 0, so the score is 0..1). */
export interface EmbeddingSimilarity {
  score: number
  cosine: number
}

/**
 * Embeds both texts in one call and scores their cosine similarity, clamped to 0..1.
 *
 * @example
 * const { score } = await embeddingSimilarity('a cat', 'a kitten', createOpenAIEmbedder())
 */
export async function embeddingSimilarity(output: string, expected: string, embedder: Embedder): Promise<EmbeddingSimilarity> {
  const vectors = await embedder.embed([output, expected])
  const [first, second] = vectors
  if (vectors.length !== 2 || !first || !second) {
    throw new ConfigError(`The embedder returned ${vectors.length} vectors for 2 texts; it must return one vector per text, in order.`)
  }
  const cosine = cosineSimilarity(first, second)
  return { score: Math.max(0, Math.min(1, cosine)), cosine }
}
