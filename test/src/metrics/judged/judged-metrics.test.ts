import { describe, expect, test } from 'vitest'
import {
  averagePrecision,
  categoryScores,
  checkSampleCount,
  combinePairwiseOrders,
  expectedRubricScore,
  FACTUALITY_SCORES,
  majorityVote,
  mean,
  medianIndex,
  normalizeRubricScore,
  scoreClaims,
  scoreReferenceComparison,
  scoreTokenAlternatives,
} from '../../../../src/metrics/judged/index.js'

describe('scoreReferenceComparison', () => {
  test('uses the usual 5-way mapping and fails only a contradiction by default', () => {
    const results = Object.keys(FACTUALITY_SCORES).map((category) => scoreReferenceComparison(category as never))
    expect(results.map(({ category, score, pass }) => [category, score, pass])).toEqual([
      ['subset', 0.4, true],
      ['superset', 0.6, true],
      ['same', 1, true],
      ['contradicts', 0, false],
      ['irrelevant-difference', 1, true],
    ])
  })

  test('complete fails a subset, strict fails a superset', () => {
    expect(scoreReferenceComparison('subset', { complete: true })).toEqual({ category: 'subset', score: 0.4, pass: false, failing: ['contradicts', 'subset'] })
    expect(scoreReferenceComparison('superset', { strict: true }).pass).toBe(false)
    expect(scoreReferenceComparison('superset', { complete: true }).pass).toBe(true)
  })

  test('score overrides apply; an unknown category or out-of-range score is a ConfigError', () => {
    expect(scoreReferenceComparison('subset', { scores: { subset: 0.5 } }).score).toBe(0.5)
    expect(() => categoryScores(FACTUALITY_SCORES, { wrong: 1 }, 'toBeFactual')).toThrow(/`scores.wrong` is not a category; the categories are subset, superset/)
    expect(() => categoryScores(FACTUALITY_SCORES, { same: 2 }, 'toBeFactual')).toThrow(/`scores.same` must be a number within 0..1, got 2/)
  })
})

describe('scoreClaims', () => {
  const claims = [
    { claim: 'a', verdict: 'supported' },
    { claim: 'b', verdict: 'not-in-context' },
    { claim: 'c', verdict: 'supported' },
    { claim: 'd', verdict: 'supported' },
  ] as const

  test('scores the supported share and passes at the threshold', () => {
    expect(scoreClaims(claims, { supported: 'supported', veto: 'contradicted', threshold: 0.75 })).toEqual({ score: 0.75, pass: true, supported: 3, total: 4, failing: [1], vetoed: [] })
    expect(scoreClaims(claims, { supported: 'supported', threshold: 1 }).pass).toBe(false)
  })

  test('one vetoing label fails whatever the share', () => {
    const result = scoreClaims([...claims, { claim: 'e', verdict: 'contradicted' }], { supported: 'supported', veto: 'contradicted', threshold: 0 })
    expect(result).toMatchObject({ pass: false, vetoed: [4], failing: [1, 4] })
  })

  test('no claims scores 1 (nothing unsupported was said)', () => {
    expect(scoreClaims([], { supported: 'supported', threshold: 1 })).toMatchObject({ score: 1, pass: true, total: 0 })
  })
})

describe('rubric scores', () => {
  test('normalises a score on its scale to 0..1', () => {
    expect(normalizeRubricScore(4, [1, 5])).toBe(0.75)
    expect(normalizeRubricScore(7, [0, 10])).toBe(0.7)
    expect(normalizeRubricScore(9, [1, 5])).toBe(1)
  })

  test('weights the candidate scores by probability, ignoring tokens off the scale', () => {
    const alternatives = [
      { token: '4', logprob: Math.log(0.6) },
      { token: '5', logprob: Math.log(0.3) },
      { token: 'x', logprob: Math.log(0.05) },
      { token: '9', logprob: Math.log(0.05) },
    ]
    expect(expectedRubricScore(alternatives, [1, 5])).toBeCloseTo((4 * 0.6 + 5 * 0.3) / 0.9, 12)
    expect(expectedRubricScore([{ token: 'yes', logprob: 0 }], [1, 5])).toBeUndefined()
  })

  test('finds the alternatives of the token holding the score value', () => {
    const top = [
      { token: '4', logprob: -0.2 },
      { token: '3', logprob: -1.8 },
    ]
    const pieces = ['{"', 'steps', '":[],"', 'reasoning', '":"', 'score', ' 2', '","', 'score', '":', '4', '}']
    const tokens = pieces.map((token) => ({ token, logprob: -0.01, top: token === '4' ? top : [] }))
    expect(scoreTokenAlternatives(tokens, 'score')).toEqual(top)
    const split = ['{"score":', '1', '0}'].map((token) => ({ token, logprob: 0, top: [] }))
    expect(scoreTokenAlternatives(split, 'score')).toBeUndefined()
  })
})

describe('pairwise', () => {
  test('agreeing orders decide; disagreeing orders are a tie', () => {
    expect(combinePairwiseOrders('A', 'B')).toBe('win')
    expect(combinePairwiseOrders('B', 'A')).toBe('loss')
    expect(combinePairwiseOrders('A', 'A')).toBe('tie')
    expect(combinePairwiseOrders('B', 'B')).toBe('tie')
    expect(combinePairwiseOrders('tie', 'tie')).toBe('tie')
    expect(combinePairwiseOrders('A', 'tie')).toBe('tie')
  })
})

describe('averagePrecision', () => {
  test('matches hand-computed values', () => {
    expect(averagePrecision([true, false, true])).toBeCloseTo((1 + 2 / 3) / 2, 12)
    expect(averagePrecision([false, true])).toBe(0.5)
    expect(averagePrecision([true, true, false])).toBe(1)
    expect(averagePrecision([false, false])).toBe(0)
  })
})

describe('samples', () => {
  test('majority vote; a tie goes to the lowest score', () => {
    expect(majorityVote(['same', 'contradicts', 'same'], FACTUALITY_SCORES)).toBe('same')
    expect(majorityVote(['same', 'contradicts', 'subset'], FACTUALITY_SCORES)).toBe('contradicts')
  })

  test('median index, mean, and odd sample counts only', () => {
    expect(medianIndex([0.5, 1, 0])).toBe(0)
    expect(medianIndex([1, 0, 0.2, 0.9, 0.3])).toBe(4)
    expect(mean([1, 0.5])).toBe(0.75)
    expect(checkSampleCount(3, 'toBeFactual')).toBe(3)
    expect(() => checkSampleCount(2, 'toBeFactual')).toThrow(/`samples` must be a positive odd integer \(1, 3, 5…\), got 2/)
  })
})
