// Review of studentTQuantile (e3fc8c0, 1f2e922): "within 1e-8 of the exact quantile, never a hang or NaN for any
// valid p, df". Expected values are SciPy 1.17's stats.t.ppf (Boost, ~1e-15).
import { describe, expect, test } from 'vitest'
import { studentTQuantile } from '../../src/metrics/index.js'
import { studentTCdf } from '../../src/metrics/paired/distributions.js'

const within = (actual: number, expected: number, tolerance = 1e-8) => expect(Math.abs(actual - expected) / Math.max(1, Math.abs(expected))).toBeLessThan(tolerance)

describe('studentTQuantile at the edges', () => {
  test('a tiny p is a valid p (1 - p rounded it to 1 and threw a RangeError naming p=1)', () => {
    within(studentTQuantile(1e-20, 5), -15683.925454365775)
    within(studentTQuantile(1e-12, 30), -11.397217523311413)
  })

  test('p just above 0.5: the CDF was flat for t < 1.5e-8 (df/(df+t²) rounded to 1), so the answer was 1.49e-8, not 2.7e-10', () => {
    within(studentTQuantile(0.5000000001, 3), 2.7206993286106727e-10, 1e-12)
    expect(studentTQuantile(0.5000000001, 3)).toBeLessThan(1e-9)
  })

  test('many degrees of freedom far in the tail: Cornish–Fisher was off by 3e-8 to 7e-6 at df = 100', () => {
    within(studentTQuantile(0.9999, 100), 3.861599790950091)
    within(studentTQuantile(0.99999, 100), 4.4784269029939034)
    within(studentTQuantile(1 - 1e-10, 100), 7.083375464183689)
    within(studentTQuantile(1e-10, 150), -6.828178213655794)
  })

  test('a quantile past 1.3e154 (t² overflowed, so the CDF read 1 there and the answer stopped at 1.34e154)', () => {
    // Near df → 0 the tail is ≈ x^(df/2) / 2 with x = df/t², so p = 0.99 at df = 0.01 is t ≈ 1e169.
    const t = studentTQuantile(0.99, 0.01)
    expect(t).toBeGreaterThan(1e168)
    expect(t).toBeLessThan(1e170)
    within(studentTCdf(t, 0.01), 0.99, 1e-12)
  })

  test('a quantile past the largest double is infinity (a subnormal df made π/sin(πx) overflow: 4.5e-13 came out)', () => {
    expect(studentTQuantile(0.975, 1e-320)).toBe(Number.POSITIVE_INFINITY)
    expect(studentTQuantile(0.6, 5e-324)).toBe(Number.POSITIVE_INFINITY)
    // Cauchy: t = -1 / (π p) = -6.4e322 for p = 5e-324.
    expect(studentTQuantile(5e-324, 1)).toBe(Number.NEGATIVE_INFINITY)
    within(studentTQuantile(1e-300, 1), -1 / (Math.PI * 1e-300))
  })

  test('never NaN, never a hang, odd in p, for weird p and df', () => {
    const ps = [1e-300, 1e-100, 1e-17, 0.3, 0.4999999999, 0.5000000001, 0.975, 1 - 1e-10, 1 - 2 ** -53]
    const dfs = [5e-324, 1e-320, 1e-300, 1e-3, 0.05, 0.5, 1, 2, 99, 100, 101, 1e4, 1e300, Number.POSITIVE_INFINITY]
    const started = performance.now()
    for (const p of ps) {
      for (const df of dfs) {
        const t = studentTQuantile(p, df)
        expect(Number.isNaN(t), `p=${p}, df=${df}`).toBe(false)
        if (p < 0.5) expect(t, `p=${p}, df=${df}`).toBeLessThan(0)
      }
    }
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
