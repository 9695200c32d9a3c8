// The zod schema of the similarity options, in a module of its own: `toBeSimilarTo` checks plain options by
// hand and loads this (and zod) only to explain options it could not accept (see similarity-options.ts).
import { z } from 'zod'
import type { Embedder } from '../../src/judge/embedder.js'
import { lazySchema } from '../../src/lazy-schema.js'
import { SIMILARITY_METHODS, type SimilarityMethod } from '../../src/metrics/similarity/index.js'

/**
 * Zod schema of `SimilarityOptions` with the defaults applied (method `rouge-l`, threshold 0.8), built on first use.
 *
 * @example
 * parseMatcherOptions('toMatchResponseSnapshot', similarityOptionsSchema(), options)
 */
export const similarityOptionsSchema = lazySchema(() =>
  z.strictObject({
    method: z.enum(SIMILARITY_METHODS as [SimilarityMethod, ...SimilarityMethod[]]).default('rouge-l'),
    threshold: z.number().min(0).max(1).default(0.8),
    embedder: z
      .custom<Embedder>((value) => typeof (value as Embedder | null)?.embed === 'function', 'must be an object with an `embed(texts)` method')
      .optional(),
    maxPairs: z.number().positive().optional(),
  }),
)
