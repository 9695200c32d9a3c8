import { describe, expect, test } from 'vitest'
import { mean, passAtK, passHatK, trialStatistics, variance } from '../../../../src/metrics/trials/index.js'

// Exact binomials with BigInt, to check the product forms against the textbook definitions.
function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n
  let result = 1n
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i)
  return result
}
const ratio = (a: bigint, b: bigint) => Number((a * 10n ** 15n) / b) / 1e15

describe('mean and variance', () => {
  test('known answers', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5)
    expect(mean([])).toBe(0)
    expect(variance([2, 4, 4, 4, 5, 5, 7, 9])).toBe(4)
    expect(variance([0.7])).toBe(0)
  })
})

describe('passAtK (Chen et al. 2021)', () => {
  test('hand-computed values', () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12)
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12) // 1 - C(3,2)/C(5,2) = 1 - 3/10
    expect(passAtK(5, 0, 3)).toBe(0)
    expect(passAtK(5, 3, 3)).toBe(1) // fewer than k failures: some draw always passes
  })

  test('matches 1 - C(n-c,k)/C(n,k) for large n without overflow', () => {
    for (const [n, c, k] of [[200, 13, 10], [200, 1, 100], [100, 50, 7], [30, 29, 2]] as const) {
      expect(passAtK(n, c, k)).toBeCloseTo(1 - ratio(choose(n - c, k), choose(n, k)), 10)
    }
  })

  test('rejects impossible counts, naming them', () => {
    expect(() => passAtK(3, 4, 1)).toThrow('trials=3, passed=4, k=1')
    expect(() => passAtK(3, 1, 5)).toThrow(RangeError)
  })
})

describe('passHatK', () => {
  test('hand-computed values and the binomial definition', () => {
    expect(passHatK(5, 2, 2)).toBeCloseTo(0.1, 12)
    expect(passHatK(4, 4, 4)).toBe(1)
    expect(passHatK(4, 3, 4)).toBe(0)
    expect(passHatK(10, 3, 1)).toBeCloseTo(0.3, 12)
    expect(passHatK(60, 45, 8)).toBeCloseTo(ratio(choose(45, 8), choose(60, 8)), 12)
  })
})

describe('trialStatistics', () => {
  test('summarises a flaky case', () => {
    expect(trialStatistics([{ score: 1, pass: true }, { score: 0.2, pass: false }])).toEqual({
      trials: 2, passes: 1, mean: 0.6, min: 0.2, max: 1, variance: expect.closeTo(0.16, 12), k: 2, passAtK: 1, passHatK: 0, flaky: true,
    })
  })

  test('a steady case is not flaky; k can be chosen', () => {
    const stats = trialStatistics([{ score: 1, pass: true }, { score: 1, pass: true }, { score: 1, pass: true }], 1)
    expect(stats).toMatchObject({ passes: 3, variance: 0, k: 1, passAtK: 1, passHatK: 1, flaky: false })
  })
})
