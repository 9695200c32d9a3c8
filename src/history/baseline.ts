import { existsSync, readFileSync } from 'node:fs'
import { writeFileAtomic } from '../atomic-files.js'
import { ConfigError } from '../errors/index.js'
import { groupKey, type HistoryRun } from './run-record.js'

/** Where the baseline comes from: a pinned run id (`llm-evals baseline set`) or the newest run on a branch. */
export interface BaselineChoice {
  /** Run id pinned in the baseline file. */
  runId?: string
  /** Newest run of this git branch (used when no run is pinned). */
  branch?: string
}

/** The run pinned in a baseline file, or undefined when there is none. */
export function readPinnedBaseline(file: string): string | undefined {
  if (!existsSync(file)) return undefined
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { runId?: unknown }
    if (typeof value.runId === 'string') return value.runId
  } catch {
    // fall through to the error below
  }
  throw new ConfigError(`The baseline file ${file} is not valid. Pin a run again with \`llm-evals baseline set [run-id]\` or delete the file.`)
}

/** Pins `run` as the baseline (written atomically). */
export function writePinnedBaseline(file: string, run: HistoryRun): void {
  writeFileAtomic(file, `${JSON.stringify({ runId: run.id, time: run.time, commit: run.git?.commit ?? null, setAt: new Date().toISOString() }, null, 2)}\n`)
}

/** False for a run whose cases all await a human label: it has no suite metric to compare with. */
export function hasScores(run: HistoryRun): boolean {
  return run.groups.length > 0
}

/**
 * Whether a run may be a baseline without being named: it has scores, and it is not a partial merge (a
 * `--merge-reports` run that lacked some shards, see `HistoryRun.partial`). A run pinned by its id may be either.
 */
export function isWholeRun(run: HistoryRun): boolean {
  return hasScores(run) && !run.partial
}

/**
 * The baseline run among `runs` (oldest first, not including the current run): the pinned run when
 * one is pinned, else the newest whole run on `branch` (see {@link isWholeRun}), else none.
 */
export function selectBaseline(runs: readonly HistoryRun[], choice: BaselineChoice): HistoryRun | undefined {
  if (choice.runId) return runs.find((run) => run.id === choice.runId)
  if (choice.branch) {
    for (let index = runs.length - 1; index >= 0; index--) {
      const run = runs[index] as HistoryRun
      if (run.git?.branch === choice.branch && isWholeRun(run)) return run
    }
  }
  return undefined
}

/**
 * For each suite metric of `keys` (see `groupKey`), the newest whole run on `branch` that scored it, and its mean
 * there: the baseline of each suite metric when no run is pinned, so a run on the branch that left a suite
 * out (a file filter, a labelling round) does not leave that suite without one.
 *
 * @example
 * branchBaselines(runs, 'main', new Set(current.groups.map(groupKey))).get(key) // { run, mean: 0.9 }
 */
export function branchBaselines(runs: readonly HistoryRun[], branch: string, keys: ReadonlySet<string>): Map<string, { run: HistoryRun; mean: number }> {
  const found = new Map<string, { run: HistoryRun; mean: number }>()
  for (let index = runs.length - 1; index >= 0 && found.size < keys.size; index--) {
    const run = runs[index] as HistoryRun
    // A partial merge is no baseline by branch (see `isWholeRun`), of the whole run nor of a suite metric.
    if (run.git?.branch !== branch || run.partial) continue
    for (const group of run.groups) {
      const key = groupKey(group)
      if (keys.has(key) && !found.has(key)) found.set(key, { run, mean: group.mean })
    }
  }
  return found
}
