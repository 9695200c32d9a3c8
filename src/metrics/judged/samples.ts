import { ConfigError } from '../../errors/index.js'

/**
 * Checks a `samples` count: a positive odd integer, so a majority vote over two outcomes cannot tie.
 *
 * @example
 * checkSampleCount(3, 'toBeFactual') // 3
 */
export function checkSampleCount(samples: number, where: string): number {
  if (!Number.isInteger(samples) || samples < 1 || samples % 2 === 0) {
    throw new ConfigError(`${where}: \`samples\` must be a positive odd integer (1, 3, 5…), got ${String(samples)}. An odd count keeps majority votes from tying.`)
  }
  return samples
}

/**
 * The category most samples chose. A tie goes to the category with the lowest score, so an unsure judge
 * errs towards failing.
 *
 * @example
 * majorityVote(['same', 'contradicts', 'same'], { same: 1, contradicts: 0 }) // 'same'
 */
export function majorityVote<C extends string>(categories: readonly C[], scores: Readonly<Record<C, number>>): C {
  if (categories.length === 0) throw new RangeError('majorityVote needs at least one category')
  const counts = new Map<C, number>()
  for (const category of categories) counts.set(category, (counts.get(category) ?? 0) + 1)
  const ranked = [...counts].sort(([a, countA], [b, countB]) => countB - countA || scores[a] - scores[b])
  return ranked[0]![0]
}

/**
 * Index of the median sample by score (lower median for even counts): used for verdicts that are lists
 * of claims, where no vote over whole lists is meaningful.
 *
 * @example
 * medianIndex([0.5, 1, 0]) // 0
 */
export function medianIndex(scores: readonly number[]): number {
  if (scores.length === 0) throw new RangeError('medianIndex needs at least one score')
  const order = scores.map((score, index) => ({ score, index })).sort((a, b) => a.score - b.score || a.index - b.index)
  return order[Math.floor((order.length - 1) / 2)]!.index
}

/**
 * Arithmetic mean.
 *
 * @example
 * mean([1, 0.5]) // 0.75
 */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean needs at least one value')
  return values.reduce((sum, value) => sum + value, 0) / values.length
}
