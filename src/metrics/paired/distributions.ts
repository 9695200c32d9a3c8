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
  // Logs apart: for a subnormal x, π / sin(πx) overflows to Infinity.
  if (x < 0.5) return Math.log(Math.PI) - Math.log(Math.sin(Math.PI * x)) - logGamma(1 - x)
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
  return incompleteBetaOf({ x, y: 1 - x, logX: Math.log(x), logY: Math.log1p(-x) }, a, b)
}

/** I_x(a, b) from x, y = 1 - x and their logs, each computed on its own (no digits lost to 1 - x, none to underflow). */
function incompleteBetaOf(at: { x: number; y: number; logX: number; logY: number }, a: number, b: number): number {
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * at.logX + b * at.logY)
  return at.x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, at.x)) / a : 1 - (front * betaContinuedFraction(b, a, at.y)) / b
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = upperTail(Math.abs(t), df)
  return t >= 0 ? 1 - tail : tail
}

/**
 * P(T > t) for t >= 0: I_x(df/2, 1/2) / 2 with x = 1/(1 + u²), u = t/√df, and y = 1 - x = u²x computed apart, so
 * a t near 0 (x rounds to 1), a far tail (1 - p loses it) and a huge t (t² overflows) keep their digits.
 */
function upperTail(t: number, df: number): number {
  const u = t / Math.sqrt(df)
  if (u === 0) return 0.5
  if (u <= 1e100) {
    const logX = -Math.log1p(u * u)
    const logY = 2 * Math.log(u) + logX
    return 0.5 * incompleteBetaOf({ x: Math.exp(logX), y: Math.exp(logY), logX, logY }, df / 2, 0.5)
  }
  // log u apart (u itself overflows for a tiny df); here y = 1 - x ≈ 1 and log y ≈ -x.
  const logX = -2 * (Math.log(t) - 0.5 * Math.log(df))
  return 0.5 * incompleteBetaOf({ x: Math.exp(logX), y: 1, logX, logY: -Math.exp(logX) }, df / 2, 0.5)
}

/** The density of Student's t with `df` degrees of freedom at `t >= 0` (log form: t² may overflow). */
function studentTDensity(t: number, df: number): number {
  const u = t / Math.sqrt(df)
  const logTerm = u > 1e100 ? 2 * Math.log(u) : Math.log1p(u * u)
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * logTerm)
}

// Quantiles already computed: a run asks for the same few (confidence, cases - 1) pairs once per metric.
const quantiles = new Map<string, number>()
const MAX_CACHED = 256

/**
 * The p-quantile of Student's t with `df` degrees of freedom: Newton's method from the normal quantile on the
 * tail probability (min(p, 1 - p), exact, so a tiny p keeps its digits), kept inside a bracket that bisection
 * narrows whenever a Newton step would leave it; the Cornish–Fisher expansion where it is within 1e-8 (many
 * degrees of freedom, not far in the tail), as the incomplete beta needs hundreds of terms there.
 *
 * @example
 * studentTQuantile(0.975, 10) // 2.228138851986...
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`[vitest-llm-evals] studentTQuantile needs 0 < p < 1 and df > 0, got p=${p}, df=${df}.`)
  if (p === 0.5) return 0
  const key = `${p} ${df}`
  const known = quantiles.get(key)
  if (known !== undefined) return known
  // 1 - p is exact for p >= 0.5; for p < 0.5 the tail is p itself (1 - p would round a tiny p away).
  const tail = p > 0.5 ? 1 - p : p
  const z = -normalQuantile(tail)
  const t = cornishFisherFits(z, df) ? cornishFisher(z, df) : upperQuantile(tail, df, z)
  return remember(key, p > 0.5 ? t : -t)
}

/** The t >= 0 with P(T > t) = tail, by safeguarded Newton steps from `start`. */
function upperQuantile(tail: number, df: number, start: number): number {
  // df = 5e-324: its half rounds to 0, a t distribution with all its mass at infinity.
  if (df / 2 === 0) return Number.POSITIVE_INFINITY
  let low = 0
  let high = 1
  while (upperTail(high, df) > tail && high < Number.MAX_VALUE) high = Math.min(high * 2, Number.MAX_VALUE)
  // Past the largest double (a df near 0): the quantile rounds to infinity.
  if (upperTail(high, df) > tail) return Number.POSITIVE_INFINITY
  let t = Math.min(Math.max(start, low), high)
  for (let step = 0; step < 2200 && high - low > 1e-12 * Math.max(1, high); step++) {
    const error = tail - upperTail(t, df)
    if (error === 0) return t
    if (error < 0) low = t
    else high = t
    const next = t - error / studentTDensity(t, df)
    const newton = next > low && next < high && Number.isFinite(next)
    t = newton ? next : low + (high - low) / 2
    if (newton && Math.abs(error) < 1e-15 * Math.max(tail, 1e-300)) return t
  }
  return t
}

function remember(key: string, quantile: number): number {
  if (quantiles.size >= MAX_CACHED) quantiles.clear()
  quantiles.set(key, quantile)
  return quantile
}

// Where the expansion below is within 1e-8 of the exact quantile: the farther in the tail, the more degrees of
// freedom it needs (against SciPy, within 3e-9 from df ≈ 8·z²; z = 3.5, p ≈ 0.9998, needs 107, not 100).
function cornishFisherFits(z: number, df: number): boolean {
  return df >= 100 && df >= 12 * z * z
}

/** Student's t quantile from the normal one, Cornish–Fisher expansion to 1/df⁴ (Abramowitz & Stegun 26.7.5). */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z
  const g1 = (z2 * z + z) / 4
  const g2 = ((5 * z2 + 16) * z2 * z + 3 * z) / 96
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 * z - 15 * z) / 384
  const g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 * z - 945 * z) / 92160
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
}
