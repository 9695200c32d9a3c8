import type { MatcherState } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../src/lazy-schema.js'
import { ConfigError } from '../src/errors/index.js'
import { RETRIEVAL_METRICS, scoreRetrieval, type Relevance, type RetrievalId, type RetrievalMetric } from '../src/metrics/retrieval/index.js'
import { formatScore } from './shared/failure-message.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'

/** Options of `toRetrieve`. */
export interface RetrieveOptions {
  /** Cut-off rank; default: the whole ranking. */
  k?: number
  /** Default `recall`. */
  metric?: RetrievalMetric
  /** Lowest passing score, 0..1; default 1 (perfect). */
  threshold?: number
}

const RetrieveOptionsSchema = lazySchema(() =>
  z.strictObject({
    k: z.int().positive().optional(),
    metric: z.enum(RETRIEVAL_METRICS as [RetrievalMetric, ...RetrievalMetric[]]).default('recall'),
    threshold: z.number().min(0).max(1).default(1),
  }),
)

const RankedSchema = lazySchema(() => z.array(z.union([z.string(), z.number(), z.object({ id: z.union([z.string(), z.number()]) }).loose()])))

const RelevanceSchema = lazySchema(() => z.union([z.array(z.union([z.string(), z.number()])).min(1), z.record(z.string(), z.number().min(0))]))

/** A ranked result list: ids, or objects with an `id` (documents, chunks, search hits). */
export type RankedResults = ReadonlyArray<RetrievalId | { readonly id: RetrievalId }>

function rankedIds(matcherName: string, received: unknown): RetrievalId[] {
  const parsed = RankedSchema().safeParse(received)
  if (!parsed.success) {
    throw new ConfigError(`${matcherName}() needs a ranked array of ids or of objects with an \`id\`, best first.`)
  }
  return parsed.data.map((item) => (typeof item === 'object' ? item.id : item))
}

/**
 * Passes when the ranked results reach `threshold` on `metric` at `k` against the relevant ids (a list,
 * or a map from id to graded relevance for nDCG).
 *
 * @example
 * await expect(hits).toRetrieve(['doc-3', 'doc-7'], { k: 5, metric: 'recall', threshold: 1 })
 * @see docs/matchers.md#toretrieve
 */
export function toRetrieve(this: MatcherState, output: unknown, relevant: Relevance, options: RetrieveOptions = {}): Promise<MatcherOutcome> {
  const ranked = rankedIds('toRetrieve', output)
  if (!RelevanceSchema().safeParse(relevant).success) {
    throw new ConfigError('toRetrieve() needs the relevant ids as a non-empty array, or an object mapping id to grade (>= 0).')
  }
  const { metric, threshold, k = Math.max(1, new Set(ranked.map(String)).size) } = parseMatcherOptions('toRetrieve', RetrieveOptionsSchema(), options)
  const result = scoreRetrieval(ranked, relevant, { metric, k })
  const label = `${metric}@${k}`
  return Promise.resolve(
    toMatcherResult(this, {
      record: { metric: `retrieval:${label}`, score: result.score, pass: result.score >= threshold, threshold, details: { metric, k, found: result.found, missed: result.missed } },
      report: {
        matcherName: 'toRetrieve',
        expectedLabel: 'relevant',
        expectation: `to retrieve the relevant ids (${label} >= ${formatScore(threshold)})`,
        scoreLabel: label,
        reasons: [`found in top ${k}: ${result.found.join(', ') || 'none'}`, `missed: ${result.missed.join(', ') || 'none'}`],
        output: JSON.stringify(ranked),
      },
    }),
  )
}
