import { describe, expect, test } from 'vitest'
import { branchBaselines, selectBaseline } from '../../../src/history/baseline.js'
import { groupKey } from '../../../src/history/run-record.js'
import { historyRun } from '../../reporters/fixtures.js'

const main = { git: { branch: 'main', commit: 'aaaaaaa' } }
const feature = { git: { branch: 'feature', commit: 'bbbbbbb' } }

describe('selectBaseline', () => {
  test('a pinned run wins, whatever it scored', () => {
    const runs = [historyRun('r1', { rouge: 0.9 }, main), historyRun('r2', {}, { ...main, cases: [] })]
    expect(selectBaseline(runs, { runId: 'r2', branch: 'main' })?.id).toBe('r2')
  })

  test('on a branch: the newest run with scores, not a newer run whose cases all await a human label', () => {
    const runs = [historyRun('r1', { rouge: 0.9 }, main), historyRun('r2', {}, { ...main, cases: [] }), historyRun('r3', { rouge: 0.8 }, feature)]
    expect(selectBaseline(runs, { branch: 'main' })?.id).toBe('r1')
    expect(selectBaseline([runs[1]!], { branch: 'main' })).toBeUndefined()
  })
})

describe('branchBaselines', () => {
  test('for each suite metric, the newest run on the branch that scored it', () => {
    const runs = [historyRun('r1', { rouge: 0.9, bleu: 0.8 }, main), historyRun('r2', { rouge: 0.7 }, main), historyRun('r3', {}, { ...main, cases: [] }), historyRun('r4', { bleu: 0.1 }, feature)]
    const keys = new Set(historyRun('x', { rouge: 0, bleu: 0, meteor: 0 }).groups.map(groupKey))
    const found = branchBaselines(runs, 'main', keys)
    const byMetric = Object.fromEntries([...found].map(([key, { run, mean }]) => [key.split('\u0000')[1], [run.id, mean]]))
    expect(byMetric).toEqual({ bleu: ['r1', 0.8], rouge: ['r2', 0.7] })
  })
})
