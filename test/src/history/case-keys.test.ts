import { expect, test } from 'vitest'
import { caseKey, caseKeysOf, casesByKey, groupKey, type CaseScore } from '../../../src/history/run-record.js'

const score = (caseId: string, metric: string, value: number, extra: Partial<CaseScore> = {}): CaseScore => ({ suite: 'qa.test.ts', test: `case ${caseId}`, caseId, metric, score: value, pass: value >= 0.5, trials: 1, ...extra })

test('caseKeysOf gives each score its groupKey and caseKey, in order, and the same lists again for the same array', () => {
  const cases = [score('a', 'exact', 1), score('a', 'judge', 0.5, { variant: 'long' }), score('b', 'exact', 0)]
  const keys = caseKeysOf(cases)
  expect(keys.groups).toEqual(cases.map((each) => groupKey(each)))
  expect(keys.cases).toEqual(cases.map((each) => caseKey(each)))
  expect(caseKeysOf(cases)).toBe(keys)
})

test('caseKeysOf keys a list again when it grew since', () => {
  const cases = [score('a', 'exact', 1)]
  caseKeysOf(cases)
  cases.push(score('b', 'exact', 0))
  expect(caseKeysOf(cases).cases).toEqual([caseKey(cases[0] as CaseScore), caseKey(cases[1] as CaseScore)])
})

test('casesByKey indexes a run by caseKey once (the last score of a key wins) and shares the index', () => {
  const first = score('a', 'exact', 0.2)
  const last = score('a', 'exact', 0.9)
  const cases = [first, score('b', 'exact', 1), last]
  const index = casesByKey(cases)
  expect(index.size).toBe(2)
  expect(index.get(caseKey(first))).toBe(last)
  expect(casesByKey(cases)).toBe(index)
  expect(casesByKey([...cases])).not.toBe(index)
})
