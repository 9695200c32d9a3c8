import { describe, expect, test } from 'vitest'
import { compareRuns, gateFailures } from '../../reporters/compare.js'
import { historyRun } from './fixtures.js'

const options = { tolerance: 0.05, recent: 12 }

describe('compareRuns', () => {
  test('deltas vs the previous run and the baseline, recent means ending with this run', () => {
    const history = [historyRun('r1', { rouge: 0.9 }), historyRun('r2', { rouge: 0.8 })]
    const comparison = compareRuns(historyRun('r3', { rouge: 0.7 }), history, history[0], options)
    expect(comparison.rows[0]).toMatchObject({ previous: 0.8, baseline: 0.9, recent: [0.9, 0.8, 0.7], regressed: true })
    expect(comparison.rows[0]?.dropped).toEqual([{ test: 'bot > a', caseId: 'a', from: 0.9, to: 0.7 }])
  })

  test('without a baseline the previous run is the reference; a drop within tolerance is no regression', () => {
    const comparison = compareRuns(historyRun('r2', { rouge: 0.76 }), [historyRun('r1', { rouge: 0.8 })], undefined, options)
    expect(comparison.rows[0]).toMatchObject({ previous: 0.8, regressed: false })
    expect(comparison.rows[0]?.baseline).toBeUndefined()
  })

  test('a metric new in this run has nothing to compare with', () => {
    const comparison = compareRuns(historyRun('r2', { rouge: 0.1, bleu: 0.5 }), [historyRun('r1', { rouge: 0.1 })], undefined, options)
    expect(comparison.rows[1]).toMatchObject({ recent: [0.5], regressed: false })
    expect(comparison.rows[1]?.previous).toBeUndefined()
  })
})

describe('gateFailures', () => {
  test('fails when a suite metric drops more than the tolerance, naming metric, values and worst cases', () => {
    const comparison = compareRuns(historyRun('r2', { rouge: 0.5 }), [historyRun('r1', { rouge: 0.9 })], undefined, options)
    expect(gateFailures(comparison, { failOnRegression: true, tolerance: 0.05 })).toEqual([
      'bot.test.ts > bot · rouge: mean score 0.500 dropped 0.400 vs the previous run (0.900), more than gate.tolerance 0.05; dropped most: a 0.90 → 0.50',
    ])
    expect(gateFailures(comparison, { failOnRegression: false, tolerance: 0.05 })).toEqual([])
  })

  test('fails below an absolute floor, global or per metric', () => {
    const comparison = compareRuns(historyRun('r1', { rouge: 0.5, bleu: 0.9 }), [], undefined, options)
    expect(gateFailures(comparison, { failOnRegression: true, tolerance: 0.05, minScore: 0.6 })).toEqual(['bot.test.ts > bot · rouge: mean score 0.500 is below gate.minScore 0.6'])
    expect(gateFailures(comparison, { failOnRegression: true, tolerance: 0.05, minScore: { bleu: 0.95 } })).toEqual(['bot.test.ts > bot · bleu: mean score 0.900 is below gate.minScore 0.95'])
  })

  test('passes when nothing dropped', () => {
    const comparison = compareRuns(historyRun('r2', { rouge: 0.9 }), [historyRun('r1', { rouge: 0.9 })], undefined, options)
    expect(gateFailures(comparison, { failOnRegression: true, tolerance: 0 })).toEqual([])
  })
})
