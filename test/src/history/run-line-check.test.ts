// Reading a history loads no zod for lines this library wrote: a hand-written check stands in for the zod
// schema. It must accept only what the schema accepts, and give the same data (issue 17).
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, test } from 'vitest'
import { historyRunLine, historyRunSchema, isWrittenRunLine } from '../../../src/history/run-record.js'
import { singleDamages } from '../../support/mutations.js'

const pair = (input: number, output: number) => ({ input, output })
const tokens = () => ({ app: pair(10, 2), judge: pair(3, 1), simulator: pair(0, 0), replayed: 4, live: 12 })
const run = () => ({
  v: 1,
  id: 'r-1',
  time: '2026-12-06T14:00:00.000Z',
  git: { commit: 'abc', branch: 'main' },
  versions: { vitest: '4.1.0', library: '0.1.0', node: '22.23.3' },
  cassetteMode: 'replay',
  totals: { tests: 2, scores: 2, failedScores: 0, replayed: 1, recorded: 0, tokens: tokens(), costUsd: 0.01 },
  groups: [{ suite: 'a.test.ts', metric: 'similarity', variant: 'v1', mean: 0.9, passRate: 1, cases: 2, trials: 2, flaky: 0, interval: { low: 0.8, high: 1 } }],
  suites: [{ suite: 'a.test.ts', tests: 2, tokens: tokens(), costUsd: 0.01, latencyMs: 5 }],
  partial: { shardCount: 3, missingShards: [3], shardCounts: [2, 3], duplicatedFiles: 1, commits: ['1111111', '2222222'], unsharded: true, blobReports: 2 },
  cases: [{ suite: 'a.test.ts', test: 'c1', metric: 'similarity', score: 0.9, pass: true, trials: 1 }],
})

describe('the hand-written history line check', () => {
  const damaged = singleDamages(run())

  test('accepts the lines the library writes, without the schema', () => {
    expect(isWrittenRunLine(run())).toBe(true)
    expect(isWrittenRunLine({ ...run(), suites: undefined })).toBe(true)
    expect(isWrittenRunLine({ ...run(), partial: undefined })).toBe(true)
  })

  test('a damaged partial mark (read by the reports and llm-evals baseline) is refused, with where', () => {
    for (const partial of [true, {}, { shardCount: 3 }, { shardCount: 3, missingShards: ['3'] }, { shardCount: 0, missingShards: [] }]) {
      expect(isWrittenRunLine({ ...run(), partial })).toBe(false)
      expect(historyRunSchema.safeParse({ ...run(), partial }).error?.issues[0]?.path[0]).toBe('partial')
    }
  })

  test('never accepts what the zod schema refuses, and gives its data, for every single damage of a line', () => {
    const wrong = damaged.flatMap(([name, value]) => {
      const bySchema = historyRunLine().safeParse(value)
      const fast = isWrittenRunLine(value)
      const same = historyRunSchema.safeParse(value).success === bySchema.success
      return (fast && !(bySchema.success && isDeepStrictEqual(historyRunSchema.safeParse(value).data, bySchema.data))) || !same ? [name] : []
    })
    expect(damaged.length).toBeGreaterThan(1000)
    expect(wrong).toEqual([])
  })

  test('hands odd lines to zod, which explains them', () => {
    const cut = { ...run(), totals: { ...run().totals, costUsd: Number.POSITIVE_INFINITY } }
    const checked = historyRunSchema.safeParse(cut)
    expect(checked.success).toBe(false)
    expect(checked.error?.issues[0]?.path).toEqual(['totals', 'costUsd'])
    // A key zod drops (tokens are a strict shape): accepted by zod, which drops it.
    const extra = { ...run(), totals: { ...run().totals, tokens: { ...tokens(), cached: 3 } } }
    expect(isWrittenRunLine(extra)).toBe(false)
    expect(historyRunSchema.safeParse(extra).data?.totals.tokens).toEqual(tokens())
  })

  test('a damage of every kind is covered', () => {
    const outcomes = damaged.map(([, value]) => [isWrittenRunLine(value), historyRunLine().safeParse(value).success])
    expect(outcomes).toContainEqual([true, true])
    expect(outcomes).toContainEqual([false, false])
    expect(outcomes).toContainEqual([false, true]) // stricter than zod: those take zod's path
  })
})
