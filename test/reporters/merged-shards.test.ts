import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test, vi } from 'vitest'
import type { TestModule, Vitest } from 'vitest/node'
import { emptyShardsOf, markEmptyShard } from '../../reporters/empty-shards.js'
import { describeMergedShards, isIncomplete, mergedShards, mergedShardsOfRun, missingShardsMessage, shardMarksOf } from '../../reporters/merged-shards.js'
import { isWholeRun, selectBaseline } from '../../src/history/baseline.js'
import { compareRuns } from '../../reporters/compare.js'
import { historyRun } from './fixtures.js'

// A merged test file of shard `index`/`count` (`file`: which one; each file once unless a test says otherwise).
let next = 0
const marked = (index: number, count: number, file = `f${next++}.test.ts`) => ({ mark: { index, count }, file })
const unmarked = (mark: unknown, file = `f${next++}.test.ts`) => ({ mark, file })

describe('mergedShards', () => {
  test('names the shards whose test files are not in the merge', () => {
    const shards = mergedShards([marked(1, 3), marked(1, 3), marked(2, 3)])
    expect(shards).toEqual({ count: 3, merged: [1, 2], missing: [3] })
    expect(isIncomplete(shards)).toBe(true)
    expect(describeMergedShards(shards!)).toBe('merged 2 of 3 shards: shard 3/3 missing')
    expect(describeMergedShards(mergedShards([marked(2, 4)])!)).toBe('merged 1 of 4 shards: shards 1/4, 3/4, 4/4 missing')
  })

  test('a whole merge, or blob reports without marks (no --shard, an older version), is not incomplete', () => {
    expect(isIncomplete(mergedShards([marked(2, 2), marked(1, 2)]))).toBe(false)
    expect(mergedShards([unmarked(undefined), unmarked(undefined)])).toBeUndefined()
    expect(mergedShards([unmarked({ index: 4, count: 3 }), unmarked({ index: '1', count: 2 }), unmarked(null)])).toBeUndefined()
  })

  test('blob reports of runs without --shard with a test file in two (a run merged twice) are said: whole runs, so counted twice', () => {
    const file = (name: string) => ({ mark: undefined, file: name })
    const shards = mergedShards([file('a.test.ts'), file('b.test.ts'), file('a.test.ts'), file('b.test.ts')], 2)
    expect(shards).toEqual({ count: 1, merged: [1], missing: [], duplicated: 2, unsharded: true, blobReports: 2 })
    expect(isIncomplete(shards)).toBe(true)
    expect(describeMergedShards(shards!)).toBe('merged 2 blob reports of runs without --shard; 2 test files are in more than one blob report, so their cases are counted twice')
    expect(mergedShardsOfRun({ shardCount: 1, missingShards: [], duplicatedFiles: 2, unsharded: true, blobReports: 2 })).toEqual(shards)
    // Runs over different files (one job per folder) are one whole run.
    expect(mergedShards([file('a.test.ts'), file('b.test.ts')], 2)).toBeUndefined()
  })

  test('blob reports of runs split differently are said, against the largest count', () => {
    const shards = mergedShards([marked(1, 2), marked(2, 3), marked(3, 3)])
    expect(isIncomplete(shards)).toBe(true)
    expect(describeMergedShards(shards!)).toBe('merged 3 of 3 shards; the blob reports come from runs split differently (--shard=…/2 and --shard=…/3)')
  })

  test('a shard that ran no test file is not missing when its (empty) blob report was merged', () => {
    // --passWithNoTests --shard=5/5 over 4 test files: five blob reports, the fifth with no test file to mark.
    const files = [marked(1, 5), marked(2, 5), marked(3, 5), marked(4, 5)]
    expect(isIncomplete(mergedShards(files, 5))).toBe(false)
    // Four blob reports of five shards: one is missing, whichever ran no file.
    expect(mergedShards(files, 4)).toEqual({ count: 5, merged: [1, 2, 3, 4], missing: [5] })
    // An unmarked blob report (a run without --shard) is no empty shard.
    expect(mergedShards([...files, unmarked(undefined)], 5)?.missing).toEqual([5])
  })

  test('a shard whose blob report says it ran no test file is not missing beside a missing one: only the missing one is named', () => {
    // --shard=i/4 over 2 test files: shards 3 and 4 ran none; shard 2's blob report is missing.
    const files = [marked(1, 4)]
    expect(mergedShards(files, 3, [{ mark: { index: 3, count: 4 } }, { mark: { index: 4, count: 4 } }])).toEqual({ count: 4, merged: [1, 3, 4], missing: [2] })
    // Without the empty shards' marks (blob reports of an earlier version, or a Vitest that no longer keeps them), the
    // count cannot tell which: none is named missing for sure, the number missing is said.
    const unknown = mergedShards(files, 3)
    expect(unknown).toMatchObject({ missing: [2, 3, 4], ranEmpty: 2 })
    expect(describeMergedShards(unknown!)).toBe('merged 1 of 4 shards: 1 of shards 2/4, 3/4, 4/4 missing, 2 ran no test file (their blob reports are there, without saying which shards they were)')
    expect(missingShardsMessage(unknown!, 'blob-reports', { historyLine: true, gate: 'fails' })).toContain(': 1 of shards 2/4, 3/4, 4/4 missing, 2 ran no test file (their blob reports are there, without saying which shards they were). Its blob report is not in blob-reports')
    expect(describeMergedShards(mergedShards([marked(1, 3)], 2)!)).toBe('merged 1 of 3 shards: 1 of shards 2/3, 3/3 missing, one ran no test file (its blob report is there, without saying which shard it was)')
    // Per blob label: an empty shard of one label is not another label's.
    const labelled = [{ ...marked(1, 2), label: 'linux' }, { ...marked(1, 2), label: 'win' }]
    expect(mergedShards(labelled, 3, [{ mark: { index: 2, count: 2 }, label: 'linux' }])).toEqual({ count: 2, merged: [1], missing: [2] })
  })

  test('an empty shard run leaves its mark where its blob report keeps the projects\' externals, and the merge reads it back', async () => {
    const cache = new Map<string, unknown>([['/app/node_modules/x/index.js', 'file:///app/node_modules/x/index.js']])
    const vitest = (shard: { index: number; count: number } | undefined, mergeReports?: string) => ({ version: '5.1.2', config: { shard, mergeReports, mergeReportsLabel: 'linux' }, projects: [{ _resolver: { externalizeCache: cache } }] }) as unknown as Vitest
    vi.stubEnv('GITHUB_SHA', '')
    vi.stubEnv('CI_COMMIT_SHA', '')
    try {
      await markEmptyShard(vitest({ index: 3, count: 4 }), ['a.test.ts'])
      await markEmptyShard(vitest(undefined), [])
      expect(cache.size).toBe(1)
      // In CI: decided at once, with CI's commit (Vitest not kept waiting).
      vi.stubEnv('GITHUB_SHA', '1111111aaaa')
      expect(markEmptyShard(vitest({ index: 3, count: 4 }), [])).toBeUndefined()
    } finally {
      vi.unstubAllEnvs()
    }
    expect([...cache.values()].every((value) => typeof value === 'string')).toBe(true)
    expect(emptyShardsOf(vitest(undefined, 'blob-reports'))).toEqual([{ mark: { index: 3, count: 4, commit: '1111111aaaa' }, label: 'linux' }])
  })

  test('an empty shard\'s mark carries git\'s commit outside CI, and a stale one of another commit makes the merge partial', async () => {
    const cache = new Map<string, unknown>()
    const root = mkdtempSync(join(tmpdir(), 'llm-evals-empty-shard-'))
    const vitest = { version: '5.1.2', config: { shard: { index: 2, count: 2 }, root }, projects: [{ _resolver: { externalizeCache: cache } }] } as unknown as Vitest
    vi.stubEnv('GITHUB_SHA', '')
    vi.stubEnv('CI_COMMIT_SHA', '')
    try {
      execFileSync('git', ['init', '-q'], { cwd: root })
      execFileSync('git', ['-c', 'user.email=a@b.c', '-c', 'user.name=a', 'commit', '-q', '--allow-empty', '-m', 'x'], { cwd: root })
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()
      // Outside CI the mark waits for git (Vitest awaits onTestRunStart, long before the blob reporter writes).
      const marked = markEmptyShard(vitest, [])
      expect(marked).toBeInstanceOf(Promise)
      await marked
      expect(emptyShardsOf(vitest)).toEqual([{ mark: { index: 2, count: 2, commit: head } }])
    } finally {
      vi.unstubAllEnvs()
      rmSync(root, { recursive: true, force: true })
    }
    // Shard 2's blob report is missing from this run; one left from a run of another commit says shard 2 ran empty.
    const stale = mergedShards([{ mark: { index: 1, count: 2, commit: '1111111aaaa' }, file: 'a.test.ts' }], 2, [{ mark: { index: 2, count: 2, commit: '2222222bbbb' } }])
    expect(isIncomplete(stale)).toBe(true)
    expect(describeMergedShards(stale!)).toContain('the blob reports come from runs of different commits (1111111 and 2222222)')
    // The same commit: the empty shard is this run's.
    expect(isIncomplete(mergedShards([{ mark: { index: 1, count: 2, commit: '1111111aaaa' }, file: 'a.test.ts' }], 2, [{ mark: { index: 2, count: 2, commit: '1111111aaaa' } }]))).toBe(false)
  })

  test('on Vitest 4, whose onTestRunStart gets every test file (its pool shards them after), the shard is found empty by sharding them as the run\'s sequencer does', async () => {
    const specifications = ['a.test.ts', 'b.test.ts']
    // A sequencer as Vitest's: shard i of n gets files [i-1] only, so shard 3/3 of 2 files gets none.
    class Sequencer {
      constructor(readonly vitest: { config: { shard: { index: number } } }) {}
      async shard(files: string[]) {
        return files.slice(this.vitest.config.shard.index - 1, this.vitest.config.shard.index)
      }
    }
    const run = (version: string, index: number, sequencer: unknown = Sequencer) => {
      const cache = new Map<string, unknown>()
      const vitest = { version, config: { shard: { index, count: 3 }, sequence: { sequencer } }, projects: [{ _resolver: { externalizeCache: cache } }] } as unknown as Vitest
      return Promise.resolve(markEmptyShard(vitest, specifications)).then(() => emptyShardsOf(vitest).map((shard) => shard.mark))
    }
    expect(await run('4.1.12', 3)).toEqual([{ index: 3, count: 3 }])
    expect(await run('4.1.12', 2)).toEqual([])
    // Vitest 5 hands the hook its shard's files: some, so not empty, whatever a second sharding would say.
    expect(await run('5.1.2', 3)).toEqual([])
    // A sequencer that cannot tell (throws, or no shard method): no mark, the shard is counted as before.
    expect(await run('4.1.12', 3, class { shard(): never { throw new Error('no') } })).toEqual([])
    expect(await run('4.1.12', 3, class {})).toEqual([])
  })

  test('a test file type-checked too (typecheck.include matching it) is two test modules of one run, not a file merged twice', () => {
    const module = (pool: string, project = '') => ({ moduleId: '/app/a.test.ts', project: { name: project }, meta: () => (pool === 'typecheck' ? { typecheck: true } : {}) }) as unknown as TestModule
    expect(mergedShards(shardMarksOf([module('forks'), module('typecheck')]), 1)).toBeUndefined()
    // The same runtime tests twice are still a run merged twice.
    expect(mergedShards(shardMarksOf([module('forks'), module('typecheck'), module('forks'), module('typecheck')]), 2)).toMatchObject({ unsharded: true, duplicated: 2 })
    expect(mergedShards(shardMarksOf([module('forks', 'node'), module('forks', 'browser')]), 1)).toBeUndefined()
  })

  test('blob reports of runs of different commits are said: a stale blob report of the same split is no shard of this run', () => {
    const at = (index: number, commit: string | undefined) => ({ mark: { index, count: 2, ...(commit ? { commit } : {}) }, file: `f${next++}.test.ts` })
    const shards = mergedShards([at(1, '1111111aaaa'), at(2, '2222222bbbb')], 2)
    expect(isIncomplete(shards)).toBe(true)
    expect(describeMergedShards(shards!)).toBe('merged 2 of 2 shards; the blob reports come from runs of different commits (1111111 and 2222222)')
    // A mark without a commit (git unknown) is no other commit.
    expect(isIncomplete(mergedShards([at(1, '1111111aaaa'), at(2, undefined)], 2))).toBe(false)
  })

  test('a test file in two blob reports (a shard merged twice) is said: its cases would be counted twice', () => {
    const shards = mergedShards([marked(1, 2, 'a.test.ts'), marked(1, 2, 'a.test.ts'), marked(2, 2, 'b.test.ts')], 3)
    expect(isIncomplete(shards)).toBe(true)
    expect(shards?.missing).toEqual([])
    expect(describeMergedShards(shards!)).toBe('merged 2 of 2 shards; 1 test file is in more than one blob report, so its cases are counted twice')
    // The copy does not stand in for a missing shard.
    expect(mergedShards([marked(1, 3, 'a.test.ts'), marked(1, 3, 'a.test.ts'), marked(2, 3, 'b.test.ts')], 3)?.missing).toEqual([3])
    // The same file under two blob labels (VITEST_BLOB_LABEL: an OS matrix, each label sharded) is two test files.
    const labelled = (label: string, index: number, file: string) => ({ ...marked(index, 2, file), label })
    const matrix = [labelled('linux', 1, 'a.test.ts'), labelled('linux', 2, 'b.test.ts'), labelled('win', 1, 'a.test.ts'), labelled('win', 2, 'b.test.ts')]
    expect(isIncomplete(mergedShards(matrix, 4))).toBe(false)
    // ... and each label's shards are counted on their own: win's shard 2 is missing though linux has its.
    expect(mergedShards(matrix.slice(0, 3), 3)).toEqual({ count: 2, merged: [1], missing: [2] })
    // The same file in two projects is two test files.
    expect(isIncomplete(mergedShards([marked(1, 1, 'a\0x.test.ts'), marked(1, 1, 'b\0x.test.ts')], 1))).toBe(false)
  })
})

describe('missingShardsMessage', () => {
  const shards = { count: 3, merged: [1, 2], missing: [3] }

  test('says what is missing, what the history line is, and how the gate treats it', () => {
    expect(missingShardsMessage(shards, 'blob-reports', { historyLine: true, gate: 'fails' })).toBe(
      '[vitest-llm-evals] merged 2 of 3 shards: shard 3/3 missing. Its blob report is not in blob-reports (a shard job that failed before uploading its blob report, or an artifact not downloaded): its suites are not in this report. The history line is marked partial (`partial` in the history file): its suites are compared as usual, but it is never the default baseline. Rerun the missing shard and merge again; to pass a partial merge, set `gate: { allowMissingShards: true }` in llmEvals() options.',
    )
  })

  test('a merge that lacks no shard (blob reports of two runs) is not told to rerun missing shards', () => {
    const text = missingShardsMessage({ count: 2, merged: [1, 2], missing: [], duplicated: 1 }, 'blob-reports', { historyLine: true, gate: 'fails' })
    expect(text).not.toContain('missing')
    expect(text).toContain('Merge the blob reports of one run only, one per shard')
    expect(text).toMatch(/ Merge again; to pass a partial merge, set `gate: \{ allowMissingShards: true \}` in llmEvals\(\) options\.$/)
  })

  test('without a history line, or a gate, it says neither', () => {
    const text = missingShardsMessage(shards, undefined, { historyLine: false, gate: 'off' })
    expect(text).not.toContain('history line')
    expect(text).toContain('Its blob report is not (a shard job')
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

  test('is no suite metric\'s baseline on history.baselineBranch either: the whole run before it is', () => {
    const partial = historyRun('r2', { rouge: 0.5 }, { git: { branch: 'main' }, partial: { shardCount: 3, missingShards: [3] } }, 6)
    const runs = [historyRun('r1', { rouge: 0.9 }, { git: { branch: 'main' } }, 6), partial]
    const current = historyRun('r3', { rouge: 0.5 }, { git: { branch: 'feature' } }, 6)
    const comparison = compareRuns(current, runs, selectBaseline(runs, { branch: 'main' }), { tolerance: 0.05, recent: 12, baselineBranch: 'main' })
    expect(comparison.baselineRun?.id).toBe('r1')
    expect(comparison.rows[0]).toMatchObject({ baseline: 0.9, reference: { kind: 'baseline', mean: 0.9 }, regressed: true })
    expect(comparison.rows[0]?.reference?.run.id).toBe('r1')
  })
})
