import { normalQuantile, studentTQuantile } from './distributions.js'

/** A mean with its confidence interval, clamped to the 0..1 score range. */
export interface MeanInterval {
  mean: number
  low: number
  high: number
  n: number
  /** `wilson` for pass/fail scores (every score 0 or 1), `t` for the rest. */
  method: 'wilson' | 't'
}

const clamp = (value: number) => Math.min(1, Math.max(0, value))

/**
 * Confidence interval of one run's mean score over its cases. Scores that are all 0 or 1 are a pass
 * rate: Wilson score interval (well-behaved at 0%, 100% and small n). Other scores: Student t interval
 * of the mean (case scores are bounded, so the mean is near-normal from a few dozen cases; with fewer,
 * the t interval is wide, as it should be). A single case gives the whole range 0..1.
 *
 * @example
 * meanInterval([0.7, 0.8, 0.9]) // { mean: 0.8, low: 0.5516, high: 1, n: 3, method: 't' }
 */
export function meanInterval(scores: readonly number[], confidence = 0.95): MeanInterval | undefined {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`[vitest-llm-evals] confidence must be between 0 and 1 (exclusive), got ${confidence}.`)
  const n = scores.length
  if (n === 0) return undefined
  const mean = scores.reduce((sum, value) => sum + value, 0) / n
  if (scores.every((score) => score === 0 || score === 1)) {
    const z = normalQuantile(1 - (1 - confidence) / 2)
    const z2 = z * z
    const centre = (mean + z2 / (2 * n)) / (1 + z2 / n)
    const half = (z / (1 + z2 / n)) * Math.sqrt((mean * (1 - mean)) / n + z2 / (4 * n * n))
    return { mean, low: clamp(centre - half), high: clamp(centre + half), n, method: 'wilson' }
  }
  if (n === 1) return { mean, low: 0, high: 1, n, method: 't' }
  const variance = scores.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1)
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * Math.sqrt(variance / n)
  return { mean, low: clamp(mean - half), high: clamp(mean + half), n, method: 't' }
}
