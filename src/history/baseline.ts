import { existsSync, readFileSync } from 'node:fs'
import { writeFileAtomic } from '../atomic-files.js'
import { ConfigError } from '../errors/index.js'
import type { HistoryRun } from './run-record.js'

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

/**
 * The baseline run among `runs` (oldest first, not including the current run): the pinned run when
 * one is pinned, else the newest run on `branch`, else none.
 */
export function selectBaseline(runs: readonly HistoryRun[], choice: BaselineChoice): HistoryRun | undefined {
  if (choice.runId) return runs.find((run) => run.id === choice.runId)
  if (choice.branch) {
    for (let index = runs.length - 1; index >= 0; index--) if (runs[index]?.git?.branch === choice.branch) return runs[index]
  }
  return undefined
}
