import { describe, expect, test } from 'vitest'
import { meanInterval, normalQuantile, pairedBootstrap, seededRandom, signTest, studentTQuantile } from '../../../../src/metrics/index.js'

/** Normal draws from the seeded generator (Box-Muller), so the test data is the same on every run. */
function normalDraws(count: number, mean: number, sd: number, seed: number): number[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, () => mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()))
}

describe('signTest', () => {
  test('matches the binomial table: 9 of 10 discordant pairs worse', () => {
    // P(X >= 9 | n = 10, p = 1/2) = (C(10,9) + C(10,10)) / 2^10 = 11 / 1024.
    expect(signTest(9, 1)).toEqual({ n: 10, worse: 9, better: 1, pWorse: expect.closeTo(11 / 1024, 14), pTwoSided: expect.closeTo(22 / 1024, 14), exact: true })
  })

  test('matches the binomial table: 15 of 20', () => {
    // (15504 + 4845 + 1140 + 190 + 20 + 1) / 2^20
    expect(signTest(15, 5).pWorse).toBeCloseTo(21700 / 1048576, 12)
    expect(signTest(5, 15).pWorse).toBeCloseTo(1 - 6196 / 1048576, 12)
  })

  test('five drops out of five is the fewest that can reach p < 0.05 one-sided', () => {
    expect(signTest(5, 0).pWorse).toBeCloseTo(1 / 32, 14)
    expect(signTest(4, 0).pWorse).toBeCloseTo(1 / 16, 14)
  })

  test('no discordant pairs: nothing changed, p = 1', () => {
    expect(signTest(0, 0)).toMatchObject({ n: 0, pWorse: 1, pTwoSided: 1 })
  })

  test('large n neither overflows nor underflows, and the normal approximation past the limit agrees with the exact tail', () => {
    const exact = signTest(5500, 4500)
    expect(exact.pWorse).toBeGreaterThan(0)
    expect(exact.pWorse).toBeLessThan(1e-20)
    const atLimit = signTest(50_100, 49_900)
    const past = signTest(50_101, 49_900)
    expect(atLimit.exact).toBe(true)
    expect(past.exact).toBe(false)
    expect(past.pWorse).toBeCloseTo(atLimit.pWorse, 2)
  })

  test('rejects counts that are not whole numbers', () => {
    expect(() => signTest(1.5, 2)).toThrow('[vitest-llm-evals] signTest needs whole counts')
  })
})

describe('quantiles', () => {
  test('normal and t quantiles match published tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8)
    expect(normalQuantile(0.005)).toBeCloseTo(-2.5758293035489, 8)
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062047361747, 6)
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.22813885198627, 8)
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.01504837333302, 8)
    expect(studentTQuantile(0.025, 30)).toBeCloseTo(-2.04227245630124, 8)
    // Large df (hundreds to thousands of cases: the Cornish–Fisher expansion), against SciPy's t.ppf.
    expect(studentTQuantile(0.975, 99)).toBeCloseTo(1.9842169515864174, 8)
    expect(studentTQuantile(0.975, 100)).toBeCloseTo(1.9839715185235518, 8)
    expect(studentTQuantile(0.999, 100)).toBeCloseTo(3.173739493738783, 7)
    expect(studentTQuantile(0.975, 999)).toBeCloseTo(1.9623414611334493, 8)
    expect(studentTQuantile(0.975, 4999)).toBeCloseTo(1.9604386466615247, 8)
    expect(studentTQuantile(0.995, 1e6)).toBeCloseTo(2.5758342201053344, 8)
    expect(studentTQuantile(0.5, 7)).toBe(0)
  })
})

describe('meanInterval', () => {
  test('pass/fail scores: the Wilson intervals of Newcombe (1998), table I', () => {
    const of = (passes: number, n: number) => meanInterval([...Array<number>(passes).fill(1), ...Array<number>(n - passes).fill(0)])
    expect(of(81, 263)).toMatchObject({ method: 'wilson', low: expect.closeTo(0.2553, 4), high: expect.closeTo(0.3662, 4) })
    expect(of(15, 148)).toMatchObject({ low: expect.closeTo(0.0624, 4), high: expect.closeTo(0.1605, 4) })
    expect(of(0, 20)).toMatchObject({ low: 0, high: expect.closeTo(0.1611, 4) })
    expect(of(1, 29)).toMatchObject({ low: expect.closeTo(0.0061, 4), high: expect.closeTo(0.1718, 4) })
  })

  test('continuous scores: the t interval, clamped to 0..1', () => {
    // mean 0.8, sd 0.1, t(0.975, 2) = 4.3027: 0.8 ± 0.2484
    expect(meanInterval([0.7, 0.8, 0.9])).toMatchObject({ method: 't', mean: expect.closeTo(0.8, 12), low: expect.closeTo(0.5516, 4), high: 1 })
    expect(meanInterval([0.4, 0.5, 0.6, 0.5, 0.5], 0.9)).toMatchObject({ low: expect.closeTo(0.5 - 2.13184678632665 * Math.sqrt(0.005 / 5), 8) })
  })

  test('one case is the whole range; no case has no interval', () => {
    expect(meanInterval([0.4])).toMatchObject({ low: 0, high: 1 })
    expect(meanInterval([])).toBeUndefined()
  })
})

describe('pairedBootstrap', () => {
  test('every pair changed by the same amount (or not at all): the interval is that amount, exactly', () => {
    const same = Array.from({ length: 5000 }, (_, i) => (i % 7) / 7)
    expect(pairedBootstrap(same, same)).toEqual({ n: 5000, difference: 0, low: 0, high: 0, confidence: 0.95, resamples: expect.any(Number), pNoDrop: 1, pDropBeyond: 0 })
    const lower = same.map((score) => score - 0.25)
    const dropped = pairedBootstrap(same, lower, { tolerance: 0.1 })
    expect(dropped.low).toBeCloseTo(-0.25, 12)
    expect(dropped.high).toBeCloseTo(-0.25, 12)
    expect([dropped.pNoDrop, dropped.pDropBeyond]).toEqual([0, 1])
    // One pair different: the resampling runs, and the interval has width.
    const one = [...same.slice(0, 49), 1]
    const result = pairedBootstrap(same.slice(0, 50), one)
    expect(result.high).toBeGreaterThan(result.low)
  })

  test('on normal-ish differences the interval agrees with the paired t interval', () => {
    const before = normalDraws(200, 0.7, 0.1, 1)
    const shift = normalDraws(200, -0.05, 0.1, 2)
    const after = before.map((value, index) => value + (shift[index] as number))
    const result = pairedBootstrap(before, after)
    const differences = after.map((value, index) => value - (before[index] as number))
    const mean = differences.reduce((sum, value) => sum + value, 0) / differences.length
    const sd = Math.sqrt(differences.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (differences.length - 1))
    const half = studentTQuantile(0.975, 199) * (sd / Math.sqrt(200))
    expect(result.difference).toBeCloseTo(mean, 12)
    expect(result.low).toBeCloseTo(mean - half, 2)
    expect(result.high).toBeCloseTo(mean + half, 2)
    expect(result.high).toBeLessThan(0)
    expect(result.pNoDrop).toBeLessThan(0.001)
  })

  test('the same inputs and seed give the same interval; another seed a close one', () => {
    const before = normalDraws(40, 0.6, 0.2, 3)
    const after = normalDraws(40, 0.6, 0.2, 4)
    expect(pairedBootstrap(before, after)).toEqual(pairedBootstrap(before, after))
    const other = pairedBootstrap(before, after, { seed: 7 })
    expect(other.low).not.toBe(pairedBootstrap(before, after).low)
    expect(other.low).toBeCloseTo(pairedBootstrap(before, after).low, 1)
  })

  test('the same change on every pair has a zero-width interval at that change', () => {
    expect(pairedBootstrap([0.9, 0.8, 0.7], [0.7, 0.6, 0.5])).toMatchObject({ difference: expect.closeTo(-0.2, 12), low: expect.closeTo(-0.2, 12), high: expect.closeTo(-0.2, 12), pNoDrop: 0, pDropBeyond: 1 })
  })

  test('pDropBeyond is how sure the drop exceeds the tolerance', () => {
    const before = Array<number>(50).fill(0.8)
    const after = normalDraws(50, 0.7, 0.05, 5)
    expect(pairedBootstrap(before, after, { tolerance: 0.05 }).pDropBeyond).toBeGreaterThan(0.99)
    expect(pairedBootstrap(before, after, { tolerance: 0.15 }).pDropBeyond).toBeLessThan(0.01)
  })

  test('rejects mismatched lengths, no pairs and out-of-range options', () => {
    expect(() => pairedBootstrap([1], [1, 2])).toThrow('as many scores after as before')
    expect(() => pairedBootstrap([], [])).toThrow('at least one pair')
    expect(() => pairedBootstrap([1], [1], { confidence: 1 })).toThrow('confidence must be between 0 and 1')
    expect(() => pairedBootstrap([1], [1], { resamples: 10 })).toThrow('resamples must be a whole number from 100 to 100000')
  })
})
