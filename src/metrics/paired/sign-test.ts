import { normalQuantile } from './distributions.js'

/** Largest number of discordant pairs summed exactly; past it the normal approximation is used. */
export const EXACT_SIGN_TEST_LIMIT = 100_000

/** Result of {@link signTest}. */
export interface SignTestResult {
  /** Discordant pairs (pass→fail plus fail→pass); concordant pairs carry no information and are left out. */
  n: number
  /** Pairs that went pass→fail. */
  worse: number
  /** Pairs that went fail→pass. */
  better: number
  /** P(at least `worse` of n drops | no change): the one-sided p-value of a drop. */
  pWorse: number
  /** Two-sided p-value: twice the smaller tail, at most 1. */
  pTwoSided: number
  /** Whether the tails were summed exactly (true up to {@link EXACT_SIGN_TEST_LIMIT} pairs). */
  exact: boolean
}

/** log(a + b) from log a and log b, without overflow. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b
  const high = Math.max(a, b)
  return high + Math.log1p(Math.exp(Math.min(a, b) - high))
}

/** P(X >= k) for X ~ Binomial(n, 1/2), summed in log space so large n neither overflows nor underflows. */
function upperTail(n: number, k: number): number {
  if (k <= 0) return 1
  if (k > n) return 0
  if (n > EXACT_SIGN_TEST_LIMIT) {
    // Normal approximation with continuity correction: exact summing would cost O(n) per call.
    const z = (k - 0.5 - n / 2) / Math.sqrt(n / 4)
    return z <= 0 ? 1 - normalTail(-z) : normalTail(z)
  }
  let logTerm = -n * Math.LN2
  let logSum = -Infinity
  for (let index = 0; index <= n; index++) {
    if (index >= k) logSum = logAdd(logSum, logTerm)
    logTerm += Math.log(n - index) - Math.log(index + 1)
  }
  return Math.min(1, Math.exp(logSum))
}

/** P(Z >= z) of the standard normal, by bisection on {@link normalQuantile} (only used past the exact limit). */
function normalTail(z: number): number {
  let low = 1e-300
  let high = 0.5
  for (let step = 0; step < 200; step++) {
    const middle = (low + high) / 2
    if (-normalQuantile(middle) > z) low = middle
    else high = middle
  }
  return (low + high) / 2
}

/**
 * Exact sign test (McNemar's exact test) for paired pass/fail outcomes: of the pairs whose verdict
 * changed, is the share that got worse more than chance (1/2) explains? Exact binomial tails summed in
 * log space up to {@link EXACT_SIGN_TEST_LIMIT} discordant pairs, a normal approximation past it.
 *
 * @example
 * signTest(9, 1) // { n: 10, worse: 9, better: 1, pWorse: 0.01074 (11/1024), pTwoSided: 0.02148, exact: true }
 */
export function signTest(worse: number, better: number): SignTestResult {
  if (!Number.isInteger(worse) || !Number.isInteger(better) || worse < 0 || better < 0) {
    throw new RangeError(`[vitest-llm-evals] signTest needs whole counts >= 0 of pairs that got worse and better, got ${worse} and ${better}.`)
  }
  const n = worse + better
  const pWorse = upperTail(n, worse)
  const pBetter = upperTail(n, better)
  return { n, worse, better, pWorse, pTwoSided: Math.min(1, 2 * Math.min(pWorse, pBetter)), exact: n <= EXACT_SIGN_TEST_LIMIT }
}
