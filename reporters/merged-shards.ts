// Vitest does not tell a `--merge-reports` run how many shards there were: it merges whatever blob reports it
// finds. So each shard run marks its test files (the file task's meta, which the blob report keeps) with its
// `--shard=index/count`, and the merge counts the marks: a shard whose blob report is missing (its job failed
// to upload it, say) is named instead of leaving a history line that looks whole.
import { relative, resolve } from 'node:path'
import type { TestModule, Vitest } from 'vitest/node'
import type { HistoryRun } from '../src/history/run-record.js'
import { emptyShardsOf, type EmptyShard } from './empty-shards.js'

export { markEmptyShard } from './empty-shards.js'

/** The key of the mark on a file task's meta (`file.meta.llmEvalsShard`). */
export const SHARD_META_KEY = 'llmEvalsShard'

/** A shard run's `--shard=index/count`, as its test files carry it. */
export interface ShardMark {
  index: number
  count: number
  /** The commit the shard ran on (CI's or git's), when known: blob reports of two commits are of two runs. */
  commit?: string
}

/** What a merge was made of: the shards found and those missing, when the blob reports were marked. */
export interface MergedShards {
  /** The number of shards the runs were split into (the largest, when blob reports disagree). */
  count: number
  merged: number[]
  missing: number[]
  /** Shard counts of the blob reports, when they disagree (blobs of two different runs). */
  counts?: number[]
  /** Test files merged more than once (a shard's blob report twice, or blob reports of two runs): counted twice. */
  duplicated?: number
  /** The commits of the blob reports (short), when they disagree: blob reports of two runs. */
  commits?: string[]
  /**
   * No test file is marked (runs without `--shard`), yet some are in two blob reports (`duplicated`): one job's blob
   * report uploaded twice, or two jobs that ran the same files. `count` is then 1, the whole run.
   */
  unsharded?: true
  /** How many blob reports were merged, when known. */
  blobReports?: number
  /**
   * Of `missing`, how many ran no test file: their blob reports are there but do not say which shards they were (no
   * mark: an earlier version, or a Vitest whose blob report no longer keeps it), so which are missing is unknown.
   */
  ranEmpty?: number
}

const isMark = (value: unknown): value is ShardMark => {
  const mark = value as Partial<ShardMark> | undefined
  return typeof mark === 'object' && mark !== null && Number.isSafeInteger(mark.index) && Number.isSafeInteger(mark.count) && (mark.count as number) > 0 && (mark.index as number) >= 1 && (mark.index as number) <= (mark.count as number)
}

/**
 * Marks a shard run's test file with its shard, and the commit once it is known. Idempotent: the worker's last
 * update of the file replaces its meta.
 */
export function markShard(module: TestModule, shard: ShardMark | undefined, commit?: string): void {
  if (!shard) return
  const meta = module.meta() as Record<string, unknown>
  const mark = meta[SHARD_META_KEY]
  if (!isMark(mark) || (commit !== undefined && mark.commit === undefined)) meta[SHARD_META_KEY] = { index: shard.index, count: shard.count, ...(commit === undefined ? {} : { commit }) }
}

/** A merged test file: its shard mark (if any) and which file of which project it is. */
export interface MergedFile {
  mark: unknown
  /** The project's name and the file's path: a file run by two of `test.projects` is two test files. */
  file: string
  /** Vitest's blob label (`VITEST_BLOB_LABEL`, e.g. one per OS of a matrix): each label is a run of its own shards. */
  label?: string
}

/**
 * The shards a merge holds, from the marks of its test files; undefined when none is marked (blob reports of runs
 * without `--shard`, or of a version that did not mark them). `blobReports`: how many blob reports were merged. A
 * shard that ran no test file (`--passWithNoTests`, more shards than test files) has nothing to mark, but its blob
 * report is there: blob reports beyond those of the marked shards account for missing shards. Pure.
 *
 * @example
 * mergedShards([{ mark: { index: 1, count: 3 }, file: 'a.test.ts' }, { mark: { index: 2, count: 3 }, file: 'b.test.ts' }], 2) // { count: 3, merged: [1, 2], missing: [3] }
 */
export function mergedShards(files: Iterable<MergedFile>, blobReports?: number, emptyShards: Iterable<EmptyShard> = []): MergedShards | undefined {
  // The shards seen, per blob label.
  const seen = new Map<string, Set<number>>()
  const counts = new Set<number>()
  const commits = new Set<string>()
  const names = new Set<string>()
  let duplicated = 0
  let unmarked = false
  for (const { mark, file, label = '' } of files) {
    const name = `${label}\0${file}`
    if (names.has(name)) duplicated++
    names.add(name)
    if (!isMark(mark)) {
      unmarked = true
      continue
    }
    if (!seen.has(label)) seen.set(label, new Set())
    seen.get(label)?.add(mark.index)
    counts.add(mark.count)
    if (typeof mark.commit === 'string') commits.add(mark.commit.slice(0, 7))
  }
  // Unmarked blob reports are of runs without --shard: whole runs each, so a file in two is a run merged twice.
  // A shard known to have run with no test file is there, not missing: its blob report was read.
  for (const { mark, label = '' } of emptyShards) {
    if (!isMark(mark)) continue
    if (!seen.has(label)) seen.set(label, new Set())
    seen.get(label)?.add(mark.index)
    counts.add(mark.count)
    // A blob report left from a run of another commit (a stale `.vitest-reports`) is no shard of this run.
    if (typeof mark.commit === 'string') commits.add(mark.commit.slice(0, 7))
  }
  if (counts.size === 0) return duplicated ? { count: 1, merged: [1], missing: [], duplicated, unsharded: true, ...(blobReports === undefined ? {} : { blobReports }) } : undefined
  const count = Math.max(...counts)
  const all = Array.from({ length: count }, (_, at) => at + 1)
  const shardsSeen = [...seen.values()]
  const lacking = shardsSeen.reduce((sum, indexes) => sum + count - indexes.size, 0)
  // Each marked shard is one blob report, unmarked files one more (at least); a duplicate may be another.
  const empty = blobReports === undefined || duplicated > 0 || counts.size > 1 || commits.size > 1 ? 0 : blobReports - shardsSeen.reduce((sum, indexes) => sum + indexes.size, 0) - (unmarked ? 1 : 0)
  const missing = lacking <= empty ? [] : all.filter((index) => shardsSeen.some((indexes) => !indexes.has(index)))
  const found: MergedShards = { count, merged: all.filter((index) => !missing.includes(index)), missing }
  if (missing.length && empty > 0) found.ranEmpty = empty
  if (counts.size > 1) found.counts = [...counts].sort((a, b) => a - b)
  if (duplicated) found.duplicated = duplicated
  if (commits.size > 1) found.commits = [...commits].sort()
  return found
}

/**
 * The marks of a merge's test files, with their project and path. A file type-checked too (`typecheck.include`
 * matching a test file) is two test modules of one run, its type tests (`meta().typecheck`) and its runtime tests.
 */
export function shardMarksOf(modules: ReadonlyArray<TestModule>): MergedFile[] {
  return modules.map((module) => {
    const meta = module.meta() as Record<string, unknown>
    const label = meta['__vitest_label__']
    // As Vitest's own state tells them apart.
    const kind = meta['typecheck'] === true ? 'typecheck\0' : ''
    return { mark: meta[SHARD_META_KEY], file: `${module.project.name}\0${kind}${module.moduleId}`, ...(typeof label === 'string' ? { label } : {}) }
  })
}

/** True when the merge lacks a shard, mixes blob reports of runs split differently, or has a test file twice. */
export function isIncomplete(shards: MergedShards | undefined): shards is MergedShards {
  return shards !== undefined && (shards.missing.length > 0 || shards.counts !== undefined || shards.duplicated !== undefined || shards.commits !== undefined || shards.unsharded !== undefined)
}

/** A `--merge-reports` run's shards, when some are missing (undefined for any other run, or a whole merge). */
export function incompleteMerge(vitest: Vitest, modules: ReadonlyArray<TestModule>): MergedShards | undefined {
  if (!vitest.config.mergeReports) return undefined
  // The blob reports Vitest read (one time each), empty ones too: not a public API, so only used when it is there.
  // Not when they hold errors: a shard whose run failed before its first test file (a global setup that threw)
  // leaves a blob report with no test file but that error, and is missing, not empty.
  const blobs = (vitest.state as { blobs?: { executionTimes?: unknown; errors?: unknown } }).blobs
  const counted = Array.isArray(blobs?.executionTimes) && !(Array.isArray(blobs.errors) && blobs.errors.length > 0)
  const shards = mergedShards(shardMarksOf(modules), counted ? (blobs?.executionTimes as unknown[]).length : undefined, emptyShardsOf(vitest))
  return isIncomplete(shards) ? shards : undefined
}

/** The folder of blob reports a merge read, relative to the root (Vitest resolves it from the working directory). */
export function mergedDirectory(vitest: Vitest): string | undefined {
  const folder = vitest.config.mergeReports as unknown
  return typeof folder === 'string' ? relative(vitest.config.root, resolve(process.cwd(), folder)) || '.' : undefined
}

/**
 * One line saying what the merge lacks, e.g. `merged 2 of 3 shards: shard 3/3 missing`.
 *
 * @example
 * describeMergedShards({ count: 3, merged: [1, 2], missing: [3] }) // 'merged 2 of 3 shards: shard 3/3 missing'
 */
export function describeMergedShards(shards: MergedShards): string {
  const missing = shards.missing.map((index) => `${index}/${shards.count}`)
  const ranEmpty = shards.ranEmpty ?? 0
  // Shards that ran no test file are among those lacking, unnamed: say how many of them are missing, not which.
  const unknown = `: ${missing.length - ranEmpty} of shards ${missing.join(', ')} missing, ${ranEmpty === 1 ? 'one' : ranEmpty} ran no test file (${ranEmpty === 1 ? 'its blob report is' : 'their blob reports are'} there, without saying which shard${ranEmpty === 1 ? ' it was' : 's they were'})`
  const lacks = !missing.length ? '' : ranEmpty ? unknown : `: shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} missing`
  const mixed = shards.counts ? `; the blob reports come from runs split differently (${shards.counts.map((count) => `--shard=…/${count}`).join(' and ')})` : ''
  const twice = shards.duplicated ? `; ${shards.duplicated === 1 ? '1 test file is' : `${shards.duplicated} test files are`} in more than one blob report, so ${shards.duplicated === 1 ? 'its' : 'their'} cases are counted twice` : ''
  const commits = shards.commits ? `; the blob reports come from runs of different commits (${shards.commits.join(' and ')})` : ''
  if (shards.unsharded) return `merged ${shards.blobReports === undefined ? 'blob reports' : `${shards.blobReports} blob reports`} of runs without --shard${twice}`
  return `merged ${shards.merged.length} of ${shards.count} shards${lacks}${mixed}${commits}${twice}`
}

/**
 * The gate's line for an incomplete merge.
 *
 * @example
 * partialMergeFailure(shards) // 'merged 2 of 3 shards: shard 3/3 missing: the merge is partial'
 */
export function partialMergeFailure(shards: MergedShards): string {
  return `${describeMergedShards(shards)}: the merge is partial`
}

/** A history line's `partial` as the merge found it, e.g. to say it again in a report made later. */
export function mergedShardsOfRun(partial: NonNullable<HistoryRun['partial']>): MergedShards {
  const missing = partial.missingShards
  const merged = Array.from({ length: partial.shardCount }, (_, at) => at + 1).filter((index) => !missing.includes(index))
  return { count: partial.shardCount, merged, missing, ...(partial.shardCounts ? { counts: partial.shardCounts } : {}), ...(partial.duplicatedFiles ? { duplicated: partial.duplicatedFiles } : {}), ...(partial.commits ? { commits: partial.commits } : {}), ...(partial.unsharded ? { unsharded: true } : {}), ...(partial.blobReports ? { blobReports: partial.blobReports } : {}), ...(partial.ranEmpty ? { ranEmpty: partial.ranEmpty } : {}) }
}

/** What the run does with an incomplete merge: whether it writes a history line, and what the gate makes of it. */
export interface PartialMergeOutcome {
  historyLine: boolean
  gate: 'fails' | 'allowed' | 'off'
}

/**
 * What to tell the user of an incomplete merge: what is missing, what the history and the gate do with the run, and
 * how to fix it.
 *
 * @example
 * logger.warn(missingShardsMessage(shards, 'blob-reports', { historyLine: true, gate: 'fails' }))
 */
export function missingShardsMessage(shards: MergedShards, blobDirectory: string | undefined, outcome: PartialMergeOutcome): string {
  const where = blobDirectory ? ` in ${blobDirectory}` : ''
  // Shards that ran no test file but do not say which (see `ranEmpty`) are not counted as missing here.
  const absent = shards.missing.length - (shards.ranEmpty ?? 0)
  const missing = absent > 0
    ? ` ${absent === 1 ? 'Its blob report is' : 'Their blob reports are'} not${where} (a shard job that failed before uploading its blob report, or an artifact not downloaded): ${absent === 1 ? 'its' : 'their'} suites are not in this report.`
    : ''
  const mixed = shards.unsharded
    ? ' Merge the blob report of one run only (one job\'s blob report uploaded twice, or two jobs that ran the same test files without --shard?).'
    : shards.counts || shards.duplicated || shards.commits ? ' Merge the blob reports of one run only, one per shard (a folder left from an earlier run, or a blob report copied twice?).' : ''
  const lacking = missing + mixed
  const history = outcome.historyLine ? ' The history line is marked partial (`partial` in the history file): its suites are compared as usual, but it is never the default baseline.' : ''
  const gate =
    outcome.gate === 'fails'
      ? ` ${absent > 0 ? `Rerun the missing shard${absent === 1 ? '' : 's'} and merge again` : 'Merge again'}; to pass a partial merge, set \`gate: { allowMissingShards: true }\` in llmEvals() options.`
      : outcome.gate === 'allowed'
        ? ' gate.allowMissingShards is set: the run is not failed for it.'
        : ' No `gate` is set, so the run is not failed for it; with `gate` set, a partial merge fails the run.'
  return `[vitest-llm-evals] ${describeMergedShards(shards)}.${lacking}${history}${gate}`
}
