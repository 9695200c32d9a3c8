/**
 * Quantiles of the normal and Student t distributions, for confidence intervals. Pure numerics:
 * Acklam's rational approximation for the normal (relative error < 1.2e-9), and for t the regularized
 * incomplete beta function (Numerical Recipes' continued fraction) inverted by safeguarded Newton steps.
 */

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]

const poly = (coefficients: readonly number[], x: number) => coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0)

/**
 * The p-quantile of the standard normal distribution, 0 < p < 1.
 *
 * @example
 * normalQuantile(0.975) // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`[vitest-llm-evals] normalQuantile needs 0 < p < 1, got ${p}.`)
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p))
    return poly(C, q) / (poly(D, q) * q + 1)
  }
  if (p > 1 - 0.02425) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (poly(A, r) * q) / (poly(B, r) * r + 1)
}

/** Log of the gamma function (Lanczos, g = 7), for x > 0. */
export function logGamma(x: number): number {
  const g = [0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7]
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const shifted = x - 1
  let sum = g[0] as number
  for (let index = 1; index < 9; index++) sum += (g[index] as number) / (shifted + index)
  const t = shifted + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum)
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  d = 1 / (Math.abs(d) < tiny ? tiny : d)
  let result = d
  for (let m = 1; m <= 300; m++) {
    for (const numerator of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + numerator * d
      d = 1 / (Math.abs(d) < tiny ? tiny : d)
      c = 1 + numerator / c
      if (Math.abs(c) < tiny) c = tiny
      result *= c * d
    }
    if (Math.abs(c * d - 1) < 1e-15) break
  }
  return result
}

/** Regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x))
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5)
  return t >= 0 ? 1 - tail : tail
}

/** The density of Student's t with `df` degrees of freedom at `t`. */
function studentTDensity(t: number, df: number): number {
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df))
}

// Quantiles already computed: a run asks for the same few (confidence, cases - 1) pairs once per metric.
const quantiles = new Map<string, number>()
const MAX_CACHED = 256

/**
 * The p-quantile of Student's t with `df` degrees of freedom: Newton's method from the normal quantile, kept
 * inside a bracket that bisection narrows whenever a Newton step would leave it (to 1e-12; a handful of
 * evaluations of the incomplete beta where bisection alone took ~40); from 100 degrees of freedom, where the
 * incomplete beta needs hundreds of continued-fraction terms, the Cornish–Fisher expansion (within 1e-8).
 *
 * @example
 * studentTQuantile(0.975, 10) // 2.228138851986...
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`[vitest-llm-evals] studentTQuantile needs 0 < p < 1 and df > 0, got p=${p}, df=${df}.`)
  if (p < 0.5) return -studentTQuantile(1 - p, df)
  if (p === 0.5) return 0
  const key = `${p} ${df}`
  const known = quantiles.get(key)
  if (known !== undefined) return known
  if (df >= CORNISH_FISHER_DF) return remember(key, cornishFisher(p, df))
  let low = 0
  let high = 1
  while (studentTCdf(high, df) < p) high *= 2
  let t = Math.min(Math.max(normalQuantile(p), low), high)
  for (let step = 0; step < 200 && high - low > 1e-12 * Math.max(1, high); step++) {
    const error = studentTCdf(t, df) - p
    if (error === 0) {
      low = high = t
      break
    }
    if (error < 0) low = t
    else high = t
    const next = t - error / studentTDensity(t, df)
    t = next > low && next < high && Number.isFinite(next) ? next : (low + high) / 2
    if (Math.abs(next - t) === 0 && Math.abs(error) < 1e-15) break
  }
  return remember(key, low === high ? low : t)
}

function remember(key: string, quantile: number): number {
  if (quantiles.size >= MAX_CACHED) quantiles.clear()
  quantiles.set(key, quantile)
  return quantile
}

// From this many degrees of freedom the expansion below is within 1e-8 (relative) of the exact quantile (the
// normal quantile's own error, 1.2e-9, is the floor from ~200), and the incomplete beta is slowest.
const CORNISH_FISHER_DF = 100

/** Student's t quantile from the normal one, Cornish–Fisher expansion to 1/df⁴ (Abramowitz & Stegun 26.7.5). */
function cornishFisher(p: number, df: number): number {
  const z = normalQuantile(p)
  const z2 = z * z
  const g1 = (z2 * z + z) / 4
  const g2 = ((5 * z2 + 16) * z2 * z + 3 * z) / 96
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 * z - 15 * z) / 384
  const g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 * z - 945 * z) / 92160
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
}
