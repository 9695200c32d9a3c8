import { categoryScores } from './categories.js'

/** How an output compares with a reference answer (the 5-way comparison of OpenAI's `fact` eval). */
export type FactualityCategory = 'subset' | 'superset' | 'same' | 'contradicts' | 'irrelevant-difference'

/** Every factuality category, in the order the judge sees them. */
export const FACTUALITY_CATEGORIES: readonly FactualityCategory[] = ['subset', 'superset', 'same', 'contradicts', 'irrelevant-difference']

/** Default category → score map (the usual mapping of the 5-way comparison). */
export const FACTUALITY_SCORES: Readonly<Record<FactualityCategory, number>> = {
  subset: 0.4,
  superset: 0.6,
  same: 1,
  contradicts: 0,
  'irrelevant-difference': 1,
}

/** Options deciding which comparisons fail. */
export interface ReferenceComparisonOptions {
  /** A subset of the reference fails (the output must say everything the reference says). */
  complete?: boolean
  /** A superset of the reference fails (the output must not add facts). */
  strict?: boolean
  /** Overrides of {@link FACTUALITY_SCORES}. */
  scores?: Partial<Record<FactualityCategory, number>>
  /** Lowest passing score: every category scoring below it fails too (`threshold: 1` fails a subset and a superset). */
  threshold?: number
}

/** Score and verdict of one reference comparison. */
export interface ReferenceComparisonScore {
  category: FactualityCategory
  score: number
  pass: boolean
  /** The categories that fail under the options. */
  failing: FactualityCategory[]
}

/**
 * Scores a reference comparison: only a contradiction fails by default; `complete` also fails a subset,
 * `strict` also fails a superset, `threshold` every category whose score is below it.
 *
 * @example
 * scoreReferenceComparison('subset', { complete: true }) // { category: 'subset', score: 0.4, pass: false, failing: ['contradicts', 'subset'] }
 */
export function scoreReferenceComparison(category: FactualityCategory, options: ReferenceComparisonOptions = {}): ReferenceComparisonScore {
  const scores = categoryScores(FACTUALITY_SCORES, options.scores, 'toBeFactual')
  const failing: FactualityCategory[] = ['contradicts']
  if (options.complete) failing.push('subset')
  if (options.strict) failing.push('superset')
  const { threshold } = options
  if (threshold !== undefined) for (const each of FACTUALITY_CATEGORIES) if (scores[each] < threshold && !failing.includes(each)) failing.push(each)
  return { category, score: scores[category], pass: !failing.includes(category), failing }
}
