import type { MatcherState } from 'vitest'
import { getDefaultEmbedder, type Embedder } from '../src/judge/embedder.js'
import { scoreSimilarity, type SimilarityMethod } from '../src/metrics/similarity/index.js'
import { formatScore, truncateOutput } from './shared/failure-message.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { requireString } from './shared/received.js'
import { parseSimilarityOptions, type ParsedSimilarityOptions } from './shared/similarity-options.js'

/** Options of `toBeSimilarTo` (and of `toMatchResponseSnapshot`, which compares the same way). */
export interface SimilarityOptions {
  /** How to compare; default `rouge-l`. `embedding` compares meaning through an embedder. */
  method?: SimilarityMethod
  /** Lowest passing score, 0..1; default 0.8. */
  threshold?: number
  /** For `embedding`: who embeds the texts; default OpenAI `text-embedding-3-small`. */
  embedder?: Embedder
  /**
   * For `levenshtein` and `rouge-l`, whose time grows with the product of the lengths: the most
   * character (word) pairs one comparison may need, beyond which it throws a ConfigError instead of
   * blocking the worker. Default 10,000,000,000 (two 100,000-character texts, seconds).
   */
  maxPairs?: number
}

/**
 * Passes when the output is at least `threshold` similar (0..1) to `expected` by `method`.
 *
 * @example
 * await expect(answer).toBeSimilarTo('Paris is the capital of France.', { method: 'rouge-l', threshold: 0.6 })
 * @see docs/matchers.md#tobesimilarto
 */
export function toBeSimilarTo(
  this: MatcherState,
  output: unknown,
  expected: string,
  options: SimilarityOptions = {},
): Promise<MatcherOutcome> {
  const text = requireString('toBeSimilarTo', 'output', output)
  const reference = requireString('toBeSimilarTo', 'expected', expected)
  const parsed = parseSimilarityOptions('toBeSimilarTo', options)
  // Plain options are checked without zod; other options are checked by the schema, loaded on demand.
  return parsed instanceof Promise ? parsed.then((checked) => compare(this, text, reference, checked)) : compare(this, text, reference, parsed)
}

function compare(state: MatcherState, text: string, reference: string, { method, threshold, embedder, maxPairs }: ParsedSimilarityOptions): Promise<MatcherOutcome> {
  const scoring = scoreSimilarity(text, reference, { method, maxPairs, embedder: method === 'embedding' ? (embedder ?? getDefaultEmbedder()) : undefined })
  return scoring.then(({ score, cosine }) =>
    toMatcherResult(state, {
      record: { metric: `similarity:${method}`, score, pass: score >= threshold, threshold, details: cosine === undefined ? { method } : { method, cosine } },
      // Made only when a failure message is shown (most comparisons pass).
      report: () => ({
        matcherName: 'toBeSimilarTo',
        expectedLabel: 'expected',
        expectation: `to be similar to the expected text (${method} >= ${formatScore(threshold)})`,
        scoreLabel: method,
        reasons: [`compared with: ${JSON.stringify(truncateOutput(reference, 120))}`, ...(cosine === undefined ? [] : [`cosine similarity ${formatScore(cosine)}`])],
        output: text,
      }),
      actual: text,
      expected: reference,
    }),
  )
}
