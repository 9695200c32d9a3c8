/** A proportion with its confidence interval. */
export interface ProportionInterval {
  value: number
  low: number
  high: number
}

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054

/**
 * Wilson score interval of a proportion (Wilson 1927; no continuity correction): well-behaved at small n
 * and near 0 or 1, unlike the Wald interval. `null` when n is 0.
 *
 * @example
 * wilsonInterval(81, 263) // { value: 0.308, low: 0.2553, high: 0.3662 }
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): ProportionInterval | null {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || successes > n) {
    throw new RangeError(`[vitest-llm-evals] wilsonInterval needs whole numbers 0 <= successes <= n, got ${successes} of ${n}.`)
  }
  if (n === 0) return null
  const p = successes / n
  const z2 = z * z
  const denominator = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denominator
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
}
