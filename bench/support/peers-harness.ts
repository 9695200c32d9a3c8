/**
 * The harness rows of the peers benchmark: every style at every N, a warm-up run each (transform caches),
 * then `rounds` rounds with the style order rotated by one each round, so no style always runs first
 * (after a cold page cache) or last. Medians of wall time and of peak RSS.
 *
 * Our styles write `.evals/` (history and HTML report, on by default). So that no run pays for the history
 * the runs before it left (a 5,000-case run adds ~600 KB), every timed run of ours starts with a history
 * holding exactly one earlier run of the same suite (its warm-up): the state of a CI job with a previous run
 * to compare with.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PeersProject } from './peers-project.ts'
import { cleanEnv } from './peers-project.ts'
import { median, timedVitestRun, type RunResult } from './peers-run.ts'
import { STYLES, writeStyles } from './peers-styles.ts'

export interface HarnessRow {
  cases: number
  /** Median ms and median peak MiB per style key. */
  ms: Record<string, number>
  peakMiB: Record<string, number>
}

export async function runHarnessRows(project: PeersProject, sizes: number[], rounds: number): Promise<HarnessRow[]> {
  const env = cleanEnv()
  const evals = join(project.dir, '.evals')
  const rows: HarnessRow[] = []
  for (const cases of sizes) {
    const configs = writeStyles(project.dir, cases)
    const seeds: Record<string, string> = {}
    const run = (key: string): Promise<RunResult> => {
      rmSync(evals, { recursive: true, force: true })
      const seed = seeds[key]
      if (seed !== undefined) {
        mkdirSync(evals)
        writeFileSync(join(evals, 'history.jsonl'), seed)
      }
      return timedVitestRun(project.vitest, project.dir, configs[key]!, env, cases)
    }
    for (const style of STYLES) {
      await run(style.key)
      if (style.ours && existsSync(join(evals, 'history.jsonl'))) seeds[style.key] = readFileSync(join(evals, 'history.jsonl'), 'utf8')
    }
    const results: Record<string, RunResult[]> = Object.fromEntries(STYLES.map((style) => [style.key, []]))
    for (let round = 0; round < rounds; round++) {
      for (let index = 0; index < STYLES.length; index++) {
        const style = STYLES[(index + round) % STYLES.length]!
        results[style.key]!.push(await run(style.key))
      }
      process.stdout.write(`  N=${cases}: round ${round + 1}/${rounds} done\n`)
    }
    rows.push({
      cases,
      ms: Object.fromEntries(STYLES.map((style) => [style.key, median(results[style.key]!.map((result) => result.ms))])),
      peakMiB: Object.fromEntries(STYLES.map((style) => [style.key, median(results[style.key]!.map((result) => result.peakMiB))])),
    })
  }
  return rows
}
