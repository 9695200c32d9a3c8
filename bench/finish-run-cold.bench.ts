/**
 * The end of a run (`finishRun`: compare with history, append the history line, report.html, summary.json) as a
 * real run does it: once, in a fresh process, its code not yet optimized by V8 (issue 17). `reporter-main.bench.ts`
 * measures it hot. Workload as there (N cases shaped like the peers workload's, one `toBeSimilarTo` record each).
 *
 *   node --experimental-transform-types bench/finish-run-cold.bench.ts setup <dir> [cases=1000] [historyRuns=10]
 *     writes <dir>/history.jsonl: `historyRuns` earlier runs of the same suite
 *   node --experimental-transform-types bench/finish-run-cold.bench.ts run <dir> [cases=1000] [out] [root]
 *     copies that history to a fresh directory, preloads it as the reporter does while tests run (not with
 *     PRELOAD=0), runs one finishRun and prints `{"cpuMs":…,"wallMs":…}` (the CPU
 *     of this process, user + system, during the call). With `out`, the written files are copied there. `root`:
 *     the checkout whose code runs (default this one), to run an older version alternately with this one.
 *
 * Random bytes (run id, page nonce) are fixed, so two versions' outputs on the same input can be compared byte
 * for byte. Repeat `run` in many processes and take the median: `bench/finish-run-cold.sh`.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import '../test/support/ts-specifiers.ts'
import { collectedCase } from './support/collected-case.ts'

const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
crypto.randomBytes = ((size: number) => Buffer.alloc(size, 7)) as typeof crypto.randomBytes
syncBuiltinESMExports()

const [mode = 'run', dir = '', casesArg = '1000', fourth, fifth] = process.argv.slice(2)
const cases = Number(casesArg)
const root = resolve(mode === 'run' && fifth ? fifth : join(import.meta.dirname, '..'))
const load = (path: string) => import(pathToFileURL(join(root, path)).href)
const { RunningSummary } = await load('reporters/running-summary.ts')
const { finishRun } = await load('reporters/history-store.ts')
const { DEFAULT_PRICES } = await load('reporters/pricing.ts')
const { preloadHistory } = await load('src/history/history-scan.ts')

// VARY=1 (for output comparisons): scores, outputs and suites change from run to run, so rows regress, improve and fail.
const vary = process.env['VARY'] === '1'
const collected = (i: number, run: number) => collectedCase(i, run, vary)

async function summaryOf(run: number) {
  const running = new RunningSummary({ pricing: DEFAULT_PRICES, maxTextChars: 2000 }, [])
  for (let i = 0; i < cases; i++) running.add(collected(i, run) as never)
  await running.secrets()
  return running.finish()
}

const filesIn = (at: string) => ({ root: at, history: join(at, 'history.jsonl'), baseline: join(at, 'baseline.json'), html: join(at, 'report.html'), json: join(at, 'summary.json'), retention: { caseScores: 200, caseDetails: 20 } })
const end = (summary: unknown, at: string, run: number) => finishRun(summary, { time: new Date(Date.UTC(2026, 11, 1) + run * 60_000), vitestVersion: '4.1.0', env: {}, git: {} }, filesIn(at), { tolerance: 0.05, write: true }, { warn: () => {} })

if (mode === 'setup') {
  mkdirSync(dir, { recursive: true })
  const historyRuns = Number(fourth ?? 10)
  for (let run = 0; run < historyRuns; run++) end(await summaryOf(run), dir, run)
} else {
  const at = mkdtempSync(join(tmpdir(), 'llm-evals-finish-cold-'))
  try {
    copyFileSync(join(dir, 'history.jsonl'), join(at, 'history.jsonl'))
    const summary = await summaryOf(1000)
    // As the reporter does while the tests run (PRELOAD=0: not): the end then uses what was read, if the file is
    // unchanged. A file changed within 20 ms is not vouched for by its times: the copy is left to settle first.
    if (process.env['PRELOAD'] !== '0') {
      await new Promise((resolve) => setTimeout(resolve, 50))
      preloadHistory(join(at, 'history.jsonl'))
    }
    const cpu = process.cpuUsage()
    const wall = performance.now()
    end(summary, at, 1000)
    const used = process.cpuUsage(cpu)
    console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall }))
    if (fourth) {
      mkdirSync(fourth, { recursive: true })
      for (const name of ['history.jsonl', 'report.html', 'summary.json']) copyFileSync(join(at, name), join(fourth, name))
    }
  } finally {
    rmSync(at, { recursive: true, force: true })
  }
}
