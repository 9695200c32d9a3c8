/**
 * Statistics over the repeated trials of one eval case. Pure functions: no Vitest, no I/O.
 *
 * pass@k is the unbiased estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on
 * Code"): the chance that at least one of k trials drawn from the n run passes. pass^k (Yao et al. 2024,
 * τ-bench) is the chance that all k drawn trials pass: a measure of consistency.
 */

/** Arithmetic mean; 0 for no values. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length
}

/** Population variance (divides by n), the spread of a case's own trials; 0 for fewer than two values. */
export function variance(values: readonly number[]): number {
  if (values.length < 2) return 0
  const center = mean(values)
  return mean(values.map((value) => (value - center) ** 2))
}

function checkCounts(n: number, c: number, k: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`[vitest-llm-evals] pass@k needs whole numbers with 0 <= passed <= trials and 1 <= k <= trials; got trials=${n}, passed=${c}, k=${k}.`)
  }
}

/**
 * Unbiased pass@k: `1 - C(n-c, k) / C(n, k)`, computed as a product so large n does not overflow.
 *
 * @example
 * passAtK(10, 3, 1) // 0.3
 * passAtK(5, 2, 2)  // 0.7
 */
export function passAtK(trials: number, passed: number, k: number): number {
  checkCounts(trials, passed, k)
  if (trials - passed < k) return 1
  let allFail = 1
  for (let i = trials - passed + 1; i <= trials; i++) allFail *= 1 - k / i
  return 1 - allFail
}

/**
 * Unbiased pass^k: `C(c, k) / C(n, k)`, the chance that k trials drawn without replacement all pass.
 *
 * @example
 * passHatK(5, 2, 2) // 0.1
 */
export function passHatK(trials: number, passed: number, k: number): number {
  checkCounts(trials, passed, k)
  if (passed < k) return 0
  let allPass = 1
  for (let i = 0; i < k; i++) allPass *= (passed - i) / (trials - i)
  return allPass
}

/** What a case's trials add up to, for one metric. */
export interface TrialStatistics {
  trials: number
  passes: number
  mean: number
  min: number
  max: number
  variance: number
  /** The k used for `passAtK` / `passHatK` (default: every trial). */
  k: number
  passAtK: number
  passHatK: number
  /** Passed on some trials and failed on others. */
  flaky: boolean
}

/**
 * Mean, min, variance, pass@k and pass^k of one case's trials.
 *
 * @example
 * trialStatistics([{ score: 1, pass: true }, { score: 0.2, pass: false }])
 * // { trials: 2, passes: 1, mean: 0.6, min: 0.2, max: 1, variance: 0.16, k: 2, passAtK: 1, passHatK: 0, flaky: true }
 */
export function trialStatistics(results: readonly { score: number; pass: boolean }[], k = results.length): TrialStatistics {
  if (results.length === 0) throw new RangeError('[vitest-llm-evals] trialStatistics needs at least one trial.')
  const scores = results.map((result) => result.score)
  const passes = results.filter((result) => result.pass).length
  return {
    trials: results.length,
    passes,
    mean: mean(scores),
    min: Math.min(...scores),
    max: Math.max(...scores),
    variance: variance(scores),
    k,
    passAtK: passAtK(results.length, passes, k),
    passHatK: passHatK(results.length, passes, k),
    flaky: passes > 0 && passes < results.length,
  }
}
