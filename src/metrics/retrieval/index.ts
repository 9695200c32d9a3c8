import { ConfigError } from '../../errors/index.js'

/** A document id as retrievers return them. Ids are compared by their string form. */
export type RetrievalId = string | number

/** Relevant ids: a list (every id has grade 1) or a map from id to graded relevance (0 = not relevant). */
export type Relevance = readonly RetrievalId[] | Readonly<Record<string, number>>

/** The retrieval metrics `scoreRetrieval` and `toRetrieve` know. */
export type RetrievalMetric = 'recall' | 'precision' | 'hit-rate' | 'mrr' | 'ndcg'

/** Every retrieval metric. */
export const RETRIEVAL_METRICS: readonly RetrievalMetric[] = ['recall', 'precision', 'hit-rate', 'mrr', 'ndcg']

/** Grades by id (as strings); list form gives grade 1 to each id. */
export function relevanceGrades(relevant: Relevance): Map<string, number> {
  if (Array.isArray(relevant)) return new Map(relevant.map((id) => [String(id), 1]))
  return new Map(Object.entries(relevant as Record<string, number>))
}

/** The first `k` distinct ids of a ranking: a retriever repeating a document gains nothing. */
function topK(ranked: readonly RetrievalId[], k: number): string[] {
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`\`k\` must be a positive integer, got ${String(k)}.`)
  return [...new Set(ranked.map(String))].slice(0, k)
}

function relevantIds(relevant: Relevance): Set<string> {
  const ids = new Set([...relevanceGrades(relevant)].filter(([, grade]) => grade > 0).map(([id]) => id))
  if (ids.size === 0) throw new ConfigError('No relevant ids were given: pass at least one id (with a grade above 0).')
  return ids
}

function hitsInTopK(ranked: readonly RetrievalId[], relevant: Relevance, k: number): number {
  const ids = relevantIds(relevant)
  return topK(ranked, k).filter((id) => ids.has(id)).length
}

/**
 * Share of the relevant ids found in the first `k` results.
 *
 * @example
 * recallAtK(['a', 'x', 'b'], ['a', 'b', 'c'], 3) // 2 / 3
 */
export function recallAtK(ranked: readonly RetrievalId[], relevant: Relevance, k: number): number {
  return hitsInTopK(ranked, relevant, k) / relevantIds(relevant).size
}

/**
 * Share of the first `k` results that are relevant; missing results count as misses (divides by `k`).
 *
 * @example
 * precisionAtK(['a', 'x', 'b', 'y'], ['a', 'b'], 4) // 0.5
 */
export function precisionAtK(ranked: readonly RetrievalId[], relevant: Relevance, k: number): number {
  return hitsInTopK(ranked, relevant, k) / k
}

/**
 * 1 when any relevant id is in the first `k` results, else 0 (averaged over cases, the hit rate).
 *
 * @example
 * hitRate(['x', 'a'], ['a'], 1) // 0
 */
export function hitRate(ranked: readonly RetrievalId[], relevant: Relevance, k: number): number {
  return hitsInTopK(ranked, relevant, k) > 0 ? 1 : 0
}

/**
 * Reciprocal rank of the first relevant id within the first `k` results (0 if none); averaged over
 * cases this is MRR.
 *
 * @example
 * mrr(['x', 'y', 'a'], ['a', 'b'], 10) // 1 / 3
 */
export function mrr(ranked: readonly RetrievalId[], relevant: Relevance, k: number = Number.MAX_SAFE_INTEGER): number {
  const ids = relevantIds(relevant)
  const index = topK(ranked, k).findIndex((id) => ids.has(id))
  return index === -1 ? 0 : 1 / (index + 1)
}

function discountedGain(grades: readonly number[]): number {
  return grades.reduce((sum, grade, index) => sum + grade / Math.log2(index + 2), 0)
}

/**
 * Normalized discounted cumulative gain at `k` with linear gain: `DCG = Σ grade_i / log2(i + 1)` over
 * ranks i = 1..k, divided by the DCG of the ideal ordering of all graded ids.
 *
 * @example
 * ndcg(['b', 'a'], { a: 2, b: 1 }, 2) // (1 + 2/log2(3)) / (2 + 1/log2(3))
 */
export function ndcg(ranked: readonly RetrievalId[], relevant: Relevance, k: number): number {
  relevantIds(relevant)
  const grades = relevanceGrades(relevant)
  const gained = topK(ranked, k).map((id) => Math.max(0, grades.get(id) ?? 0))
  const ideal = [...grades.values()].filter((grade) => grade > 0).sort((a, b) => b - a).slice(0, k)
  return discountedGain(gained) / discountedGain(ideal)
}

const scorers: Record<RetrievalMetric, (ranked: readonly RetrievalId[], relevant: Relevance, k: number) => number> = {
  recall: recallAtK,
  precision: precisionAtK,
  'hit-rate': hitRate,
  mrr,
  ndcg,
}

/** The result of `scoreRetrieval`: the score and which relevant ids were found or missed in the top k. */
export interface RetrievalScore {
  metric: RetrievalMetric
  k: number
  score: number
  found: string[]
  missed: string[]
}

/**
 * Scores a ranking against relevant ids with one metric at `k`.
 *
 * @example
 * scoreRetrieval(['a', 'x'], ['a', 'b'], { metric: 'recall', k: 2 }) // { score: 0.5, found: ['a'], missed: ['b'], ... }
 */
export function scoreRetrieval(
  ranked: readonly RetrievalId[],
  relevant: Relevance,
  options: { metric: RetrievalMetric; k: number },
): RetrievalScore {
  const { metric, k } = options
  const score = scorers[metric](ranked, relevant, k)
  const top = new Set(topK(ranked, k))
  const ids = [...relevantIds(relevant)]
  return { metric, k, score, found: ids.filter((id) => top.has(id)), missed: ids.filter((id) => !top.has(id)) }
}
