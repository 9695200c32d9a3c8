import { describe, expect, test } from 'vitest'
import { describeMergedShards, isIncomplete, mergedShards, missingShardsMessage } from '../../reporters/merged-shards.js'
import { isWholeRun, selectBaseline } from '../../src/history/baseline.js'
import { historyRun } from './fixtures.js'

describe('mergedShards', () => {
  test('names the shards whose test files are not in the merge', () => {
    const shards = mergedShards([{ index: 1, count: 3 }, { index: 1, count: 3 }, { index: 2, count: 3 }])
    expect(shards).toEqual({ count: 3, merged: [1, 2], missing: [3] })
    expect(isIncomplete(shards)).toBe(true)
    expect(describeMergedShards(shards!)).toBe('merged 2 of 3 shards: shard 3/3 missing')
    expect(describeMergedShards(mergedShards([{ index: 2, count: 4 }])!)).toBe('merged 1 of 4 shards: shards 1/4, 3/4, 4/4 missing')
  })

  test('a whole merge, or blob reports without marks (no --shard, an older version), is not incomplete', () => {
    expect(isIncomplete(mergedShards([{ index: 2, count: 2 }, { index: 1, count: 2 }]))).toBe(false)
    expect(mergedShards([undefined, undefined])).toBeUndefined()
    expect(mergedShards([{ index: 4, count: 3 }, { index: '1', count: 2 }, null])).toBeUndefined()
  })

  test('blob reports of runs split differently are said, against the largest count', () => {
    const shards = mergedShards([{ index: 1, count: 2 }, { index: 2, count: 3 }, { index: 3, count: 3 }])
    expect(isIncomplete(shards)).toBe(true)
    expect(describeMergedShards(shards!)).toBe('merged 3 of 3 shards; the blob reports come from runs split differently (--shard=…/2 and --shard=…/3)')
  })
})

describe('missingShardsMessage', () => {
  const shards = { count: 3, merged: [1, 2], missing: [3] }

  test('says what is missing, what the history line is, and how the gate treats it', () => {
    expect(missingShardsMessage(shards, 'blob-reports', { historyLine: true, gate: 'fails' })).toBe(
      '[vitest-llm-evals] merged 2 of 3 shards: shard 3/3 missing. Their blob reports are not in blob-reports (a shard job that failed before uploading its blob report, or an artifact not downloaded): their suites are not in this report. The history line is marked partial (`partial` in the history file): its suites are compared as usual, but it is never the default baseline. Rerun the missing shards and merge again; to pass a partial merge, set `gate: { allowMissingShards: true }` in llmEvals() options.',
    )
  })

  test('without a history line, or a gate, it says neither', () => {
    const text = missingShardsMessage(shards, undefined, { historyLine: false, gate: 'off' })
    expect(text).not.toContain('history line')
    expect(text).toContain('Their blob reports are not (a shard job')
    expect(text).toMatch(/No `gate` is set, so the run is not failed for it; with `gate` set, a partial merge fails the run\.$/)
    expect(missingShardsMessage(shards, 'b', { historyLine: true, gate: 'allowed' })).toMatch(/gate\.allowMissingShards is set: the run is not failed for it\.$/)
  })
})

describe('a partial merge in history', () => {
  test('is never the baseline by branch, nor a whole run; pinned by id it still is', () => {
    const partial = historyRun('r2', { rouge: 0.5 }, { git: { branch: 'main' }, partial: { shardCount: 3, missingShards: [3] } })
    const runs = [historyRun('r1', { rouge: 0.9 }, { git: { branch: 'main' } }), partial]
    expect(isWholeRun(partial)).toBe(false)
    expect(selectBaseline(runs, { branch: 'main' })?.id).toBe('r1')
    expect(selectBaseline(runs, { runId: 'r2' })?.id).toBe('r2')
  })
})
