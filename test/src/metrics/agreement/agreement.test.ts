import { describe, expect, test } from 'vitest'
import {
  agreementStats,
  averageRanks,
  classMetrics,
  cohenKappa,
  confusionMatrix,
  failureAgreement,
  kendallTauB,
  spearman,
  wilsonInterval,
  type AgreementLabel,
  type LabelPair,
} from '../../../../src/metrics/agreement/index.js'

/** Pairs from a table: `table[h][a]` cases with human label `labels[h]` and grader label `labels[a]`. */
function pairsFrom(labels: AgreementLabel[], table: number[][]): LabelPair[] {
  return table.flatMap((row, h) => row.flatMap((count, a) => Array.from({ length: count }, () => ({ human: labels[h] as AgreementLabel, automated: labels[a] as AgreementLabel }))))
}

// Ordinal 3-point table used below; hand computation:
// rows (human) 3,4,3; columns (grader) 3,4,3; n = 10.
// unweighted: po = 6/10, pe = (9+16+9)/100 = .34, kappa = .26/.66
// linear (w = 1, .5, 0): po = (6 + 4·.5)/10 = .8, pe = (34 + 48·.5)/100 = .58, kappa = .22/.42
// quadratic (w = 1, .75, 0): po = (6 + 4·.75)/10 = .9, pe = (34 + 48·.75)/100 = .70, kappa = .2/.3
const ORDINAL = pairsFrom([1, 2, 3], [
  [2, 1, 0],
  [1, 2, 1],
  [0, 1, 2],
])

describe('confusionMatrix', () => {
  test('counts human labels in rows and grader labels in columns', () => {
    const matrix = confusionMatrix([
      { human: 'fail', automated: 'pass' },
      { human: 'fail', automated: 'fail' },
      { human: 'pass', automated: 'pass' },
      { human: 'pass', automated: 'pass' },
    ])
    expect(matrix).toEqual({ labels: ['fail', 'pass'], counts: [[1, 1], [0, 2]], n: 4 })
  })

  test('orders numeric labels as a scale and keeps given labels that never occur', () => {
    expect(confusionMatrix([{ human: 10, automated: 2 }]).labels).toEqual([2, 10])
    expect(confusionMatrix([{ human: 'b', automated: 'b' }], ['c', 'b', 'a']).counts).toEqual([[0, 0, 0], [0, 1, 0], [0, 0, 0]])
  })

  test('rejects a label outside the given labels', () => {
    expect(() => confusionMatrix([{ human: 'maybe', automated: 'pass' }], ['fail', 'pass'])).toThrow('label "maybe" is not one of the labels ["fail","pass"]')
  })
})

describe('cohenKappa', () => {
  test('matches the worked example on Wikipedia (20/5/10/15 of 50: kappa 0.4)', () => {
    const matrix = confusionMatrix(pairsFrom(['yes', 'no'], [[20, 5], [10, 15]]), ['yes', 'no'])
    expect(cohenKappa(matrix)).toBeCloseTo(0.4, 12)
  })

  test('weights near misses on an ordinal scale (values computed by hand)', () => {
    const matrix = confusionMatrix(ORDINAL)
    expect(cohenKappa(matrix)).toBeCloseTo(0.26 / 0.66, 12)
    expect(cohenKappa(matrix, 'linear')).toBeCloseTo(0.22 / 0.42, 12)
    expect(cohenKappa(matrix, 'quadratic')).toBeCloseTo(2 / 3, 12)
  })

  test('is 1 for perfect agreement, negative below chance, null when undefined', () => {
    expect(cohenKappa(confusionMatrix(pairsFrom(['a', 'b'], [[3, 0], [0, 2]])))).toBe(1)
    expect(cohenKappa(confusionMatrix(pairsFrom(['a', 'b'], [[0, 2], [2, 0]])))).toBe(-1)
    expect(cohenKappa(confusionMatrix(pairsFrom(['a'], [[4]])))).toBeNull()
    expect(cohenKappa(confusionMatrix([]))).toBeNull()
  })
})

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3 (Wilson score).
  test.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i matches Newcombe 1998: %f to %f', (successes, n, low, high) => {
    const interval = wilsonInterval(successes, n)
    expect(interval?.value).toBeCloseTo(successes / n, 12)
    expect(interval?.low).toBeCloseTo(low, 4)
    expect(interval?.high).toBeCloseTo(high, 4)
  })

  test('is null for no cases and rejects impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull()
    expect(() => wilsonInterval(3, 2)).toThrow('0 <= successes <= n, got 3 of 2')
  })
})

describe('pass/fail agreement', () => {
  // caught 6, missed 2, false failures 1, passed 11 (n = 20); by hand:
  // MCC = (6·11 − 1·2) / sqrt(7·8·12·13) = 64 / sqrt(8736); kappa: po = .85, pe = (8·7 + 12·13)/400 = .53 → .32/.47
  const pairs = pairsFrom(['fail', 'pass'], [[6, 2], [1, 11]])

  test('reports failure recall, false-failure rate, prevalence and MCC', () => {
    const stats = failureAgreement(confusionMatrix(pairs, ['pass', 'fail']))
    expect(stats).toMatchObject({ caught: 6, missed: 2, falseFailures: 1, passed: 11, prevalence: 0.4, failureRecall: 0.75 })
    expect(stats.falseFailureRate).toBeCloseTo(1 / 12, 12)
    expect(stats.mcc).toBeCloseTo(64 / Math.sqrt(8736), 12)
  })

  test('agreementStats puts it together with accuracy and kappa', () => {
    const stats = agreementStats(pairs)
    expect(stats.n).toBe(20)
    expect(stats.accuracy?.value).toBe(0.85)
    expect(stats.kappa).toBeCloseTo(0.32 / 0.47, 12)
    expect(stats.failures?.failureRecall).toBe(0.75)
    expect(stats.weightedKappa).toBeUndefined()
    expect(stats.spearman).toBeUndefined()
  })

  test('MCC is null when a margin is empty', () => {
    expect(failureAgreement(confusionMatrix(pairsFrom(['fail', 'pass'], [[0, 0], [1, 3]]), ['fail', 'pass'])).mcc).toBeNull()
  })

  test('works when every case got the same label', () => {
    const stats = agreementStats(pairsFrom(['pass'], [[5]]))
    expect(stats.failures).toMatchObject({ passed: 5, prevalence: 0, failureRecall: null, falseFailureRate: 0 })
    expect(stats.kappa).toBeNull()
  })
})

describe('classMetrics', () => {
  test('precision, recall and F1 one-versus-rest', () => {
    const metrics = classMetrics(confusionMatrix(ORDINAL))
    expect(metrics[1]).toEqual({ label: 2, support: 4, precision: 0.5, recall: 0.5, f1: 0.5 })
    expect(metrics[0]?.precision).toBeCloseTo(2 / 3, 12)
    expect(classMetrics(confusionMatrix([{ human: 'a', automated: 'b' }]))).toEqual([
      { label: 'a', support: 1, precision: null, recall: 0, f1: null },
      { label: 'b', support: 0, precision: 0, recall: null, f1: null },
    ])
  })
})

describe('rank correlation', () => {
  // Checked against scipy.stats.spearmanr / kendalltau (tau-b).
  test('without ties: spearman 1 − 6·2/(4·15) = 0.8, tau 4/6', () => {
    expect(spearman([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12)
    expect(kendallTauB([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(2 / 3, 12)
  })

  test('with ties: average ranks and tau-b', () => {
    expect(averageRanks([1, 2, 2, 3])).toEqual([1, 2.5, 2.5, 4])
    expect(spearman([1, 2, 2, 3], [1, 1, 2, 3])).toBeCloseTo(3.75 / 4.5, 12)
    expect(kendallTauB([1, 2, 2, 3], [1, 1, 2, 3])).toBeCloseTo(0.8, 12)
  })

  test('null when a list is constant or too short; lists must pair up', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull()
    expect(kendallTauB([1], [2])).toBeNull()
    expect(() => spearman([1, 2], [1])).toThrow('same length, got 2 and 1')
  })

  test('agreementStats adds weighted kappa and rank correlations for numeric scales', () => {
    const stats = agreementStats(ORDINAL)
    expect(stats.weightedKappa?.linear).toBeCloseTo(0.22 / 0.42, 12)
    expect(stats.weightedKappa?.quadratic).toBeCloseTo(2 / 3, 12)
    expect(stats.spearman).not.toBeNull()
    expect(stats.kendallTauB).not.toBeNull()
    expect(stats.failures).toBeUndefined()
  })
})
