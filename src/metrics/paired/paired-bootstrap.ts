import { DEFAULT_SEED, seededRandom } from './random.js'

/** Default number of bootstrap resamples. */
export const DEFAULT_RESAMPLES = 4000

/** Options of {@link pairedBootstrap}. */
export interface BootstrapOptions {
  /** Two-sided confidence of the interval, 0..1. Default 0.95. */
  confidence?: number
  /** Resamples, 100..100000. Default 4000. Cost is resamples × pairs. */
  resamples?: number
  /** PRNG seed: the same seed and inputs give the same interval. */
  seed?: number
  /** A drop this large or larger is what {@link PairedBootstrapResult.pDropBeyond} measures. Default 0. */
  tolerance?: number
}

/** A paired comparison's mean difference (after − before; negative is a drop) with its interval. */
export interface PairedBootstrapResult {
  /** Number of pairs. */
  n: number
  /** Mean of after − before. */
  difference: number
  /** Percentile bootstrap interval of the mean difference. */
  low: number
  high: number
  confidence: number
  resamples: number
  /** Share of resamples whose mean difference is >= 0: a one-sided bootstrap p-value of "it dropped". */
  pNoDrop: number
  /** Share of resamples whose drop is larger than `tolerance`: how sure the drop exceeds it. */
  pDropBeyond: number
}

function checkOptions(n: number, confidence: number, resamples: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`[vitest-llm-evals] confidence must be between 0 and 1 (exclusive), got ${confidence}.`)
  if (!Number.isInteger(resamples) || resamples < 100 || resamples > 100_000) throw new RangeError(`[vitest-llm-evals] resamples must be a whole number from 100 to 100000, got ${resamples}.`)
  if (n === 0) throw new RangeError('[vitest-llm-evals] pairedBootstrap needs at least one pair.')
}

/**
 * Paired bootstrap of the mean difference of matched scores (Efron & Tibshirani 1993, percentile
 * interval): the pairs are resampled with replacement, so case-to-case spread cancels and only the
 * change is measured. Deterministic for a seed; cost linear in pairs (resamples × pairs additions).
 *
 * @example
 * pairedBootstrap([0.9, 0.8, 0.7, 0.9, 0.8], [0.7, 0.6, 0.6, 0.7, 0.7]) // { difference: -0.16, low: -0.2, high: -0.12, … }
 */
export function pairedBootstrap(before: readonly number[], after: readonly number[], options: BootstrapOptions = {}): PairedBootstrapResult {
  const confidence = options.confidence ?? 0.95
  const resamples = options.resamples ?? DEFAULT_RESAMPLES
  if (before.length !== after.length) throw new RangeError(`[vitest-llm-evals] pairedBootstrap needs as many scores after as before, got ${before.length} and ${after.length}.`)
  const n = before.length
  checkOptions(n, confidence, resamples)
  const differences = Float64Array.from(after, (value, index) => value - (before[index] as number))
  const difference = differences.reduce((sum, value) => sum + value, 0) / n
  const tolerance = options.tolerance ?? 0
  // Every difference the same (a replayed or unchanged run): every resample's mean is that value, exactly.
  if (differences.every((value) => value === differences[0])) {
    const only = differences[0] as number
    return { n, difference: only, low: only, high: only, confidence, resamples, pNoDrop: only >= 0 ? 1 : 0, pDropBeyond: -only > tolerance ? 1 : 0 }
  }
  const random = seededRandom(options.seed ?? DEFAULT_SEED)
  const means = new Float64Array(resamples)
  for (let resample = 0; resample < resamples; resample++) {
    let sum = 0
    for (let draw = 0; draw < n; draw++) sum += differences[Math.floor(random() * n)] as number
    means[resample] = sum / n
  }
  means.sort()
  const tail = (1 - confidence) / 2
  const at = (share: number) => means[Math.min(resamples - 1, Math.max(0, Math.round(share * (resamples - 1))))] as number
  let noDrop = 0
  let beyond = 0
  for (const mean of means) {
    if (mean >= 0) noDrop++
    if (-mean > tolerance) beyond++
  }
  return { n, difference, low: at(tail), high: at(1 - tail), confidence, resamples, pNoDrop: noDrop / resamples, pDropBeyond: beyond / resamples }
}
