// A shard run with no test file (`--passWithNoTests`, more shards than test files) has no file to mark with its shard
// (merged-shards.ts), so it marks its blob report instead, and the merge reads the mark back. Apart from the
// merge's counting, so that the plugin's reporter stand-in (lazy-reporters.ts), which sets the mark, loads little.
import type { Vitest } from 'vitest/node'
import { ciCommit, gitInfoLater } from '../src/history/git.js'

// Where a blob report keeps each project's resolved externals (`project._resolver.externalizeCache`, restored by the
// merge): the one place a shard run with no test file can leave its mark. Not a public API of Vitest (4.1 and 5 have
// it): without it, an empty shard is told by counting blob reports, as before.
const EMPTY_SHARD_ENTRY = '\0vitest-llm-evals:empty-shard:'

function externalCaches(vitest: Vitest): Map<string, unknown>[] {
  return (vitest.projects ?? []).flatMap((project) => {
    const cache = (project as unknown as { _resolver?: { externalizeCache?: unknown } })._resolver?.externalizeCache
    return cache instanceof Map ? [cache as Map<string, unknown>] : []
  })
}

/**
 * The files of this shard, on Vitest 4: its `onTestRunStart` gets every test file and its pool shards them after, so
 * they are sharded here as the pool will (the run's sequencer, `sequence.sequencer`: its `shard` is deterministic, each
 * shard job relies on that). Undefined when that cannot be told: then no mark.
 */
async function shardOf(vitest: Vitest, specifications: readonly unknown[]): Promise<unknown[] | undefined> {
  try {
    const Sequencer = (vitest.config as { sequence?: { sequencer?: unknown } }).sequence?.sequencer
    if (typeof Sequencer !== 'function') return undefined
    const sequencer = new (Sequencer as new (vitest: Vitest) => { shard?: (files: unknown[]) => unknown })(vitest)
    const own = await sequencer.shard?.([...specifications])
    return Array.isArray(own) ? own : undefined
  } catch {
    return undefined
  }
}

function setMark(vitest: Vitest, shard: { index: number; count: number }, commit: string | undefined): void {
  const label = (vitest.config as { mergeReportsLabel?: unknown }).mergeReportsLabel
  const mark = JSON.stringify({ index: shard.index, count: shard.count, ...(commit ? { commit } : {}), ...(typeof label === 'string' && label ? { label } : {}) })
  for (const cache of externalCaches(vitest)) cache.set(`${EMPTY_SHARD_ENTRY}${mark}`, mark)
}

/**
 * Marks with the run's commit, as the test files' shard marks are (merged-shards.ts): an empty shard's blob report left
 * from a run of another commit is then told apart, not counted as this run's shard. CI's commit at once; else git's
 * (a promise: only a shard run with no test file waits for it).
 */
function markWithCommit(vitest: Vitest, shard: { index: number; count: number }): Promise<void> | undefined {
  const ci = ciCommit(process.env)
  const root = vitest.config.root
  if (ci || !root) return void setMark(vitest, shard, ci)
  return gitInfoLater(root, process.env).then(({ commit }) => setMark(vitest, shard, commit))
}

/**
 * Marks the blob report of a shard run with no test file (`--passWithNoTests`, more shards than test files), which has
 * no file to mark: the merge then counts it as run, not missing, even beside a missing blob report. An entry no
 * import resolves; only for a shard run that found no test file (a run that failed before its files is missing).
 * Vitest 5 hands `onTestRunStart` its shard's files; Vitest 4 all of them: a promise then, for the hook to return
 * (Vitest awaits it, long before a blob reporter writes), else undefined (Vitest is not kept waiting) unless the shard
 * is empty outside CI (git's commit is read for the mark).
 */
export function markEmptyShard(vitest: Vitest | undefined, specifications: readonly unknown[]): Promise<void> | undefined {
  // Optional chaining to the config too: a stand-in's tests pass a bare object.
  const shard = vitest?.config?.shard
  if (!vitest || !shard || vitest.config.mergeReports) return undefined
  if (specifications.length === 0) return markWithCommit(vitest, shard)
  if (!(Number.parseInt(String(vitest.version), 10) < 5)) return undefined
  return shardOf(vitest, specifications).then((own) => (own?.length === 0 ? markWithCommit(vitest, shard) : undefined))
}

/** The marks of the empty shards whose blob reports a merge read (see {@link markEmptyShard}). */
export function emptyShardsOf(vitest: Vitest): EmptyShard[] {
  const marks = new Set<string>()
  for (const cache of externalCaches(vitest)) for (const key of cache.keys()) if (typeof key === 'string' && key.startsWith(EMPTY_SHARD_ENTRY)) marks.add(key.slice(EMPTY_SHARD_ENTRY.length))
  return [...marks].flatMap((text) => {
    try {
      const { label, ...mark } = JSON.parse(text) as { label?: unknown }
      return [{ mark, ...(typeof label === 'string' ? { label } : {}) }]
    } catch {
      return []
    }
  })
}

/** A shard that ran no test file, as its blob report says (see {@link markEmptyShard}). */
export interface EmptyShard {
  mark: unknown
  label?: string
}
