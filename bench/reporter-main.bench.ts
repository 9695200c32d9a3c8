/**
 * What the main process does for a run's scores, without Vitest around it (issue 17): per finished test (the
 * running summary, its secret scan, the score annotations) and at the end of the run (comparison with history,
 * the history line, the HTML report, summary.json), for N cases shaped like the peers workload's (one
 * `toBeSimilarTo` record, an output, a case id), with a history of earlier runs of the same suite. Prints the
 * median of `rounds` of each phase, total and per case. Pure CPU and local files: it needs nothing else.
 *
 *   npm exec -- node --experimental-transform-types --expose-gc bench/reporter-main.bench.ts   (also run by `npm run bench`) [cases=5000] [rounds=5] [historyRuns=10]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import '../test/support/ts-specifiers.ts'
import { collectedCase } from './support/collected-case.ts'

const { RunningSummary } = await import('../reporters/running-summary.ts')
const { scoreAnnotations } = await import('../reporters/score-annotations.ts')
const { finishRun } = await import('../reporters/history-store.ts')
const { DEFAULT_PRICES } = await import('../reporters/pricing.ts')

const cases = Number(process.argv[2] ?? 5000)
const rounds = Number(process.argv[3] ?? 5)
const historyRuns = Number(process.argv[4] ?? 10)
const options = { pricing: DEFAULT_PRICES, maxTextChars: 2000 }

const collected = (i: number) => collectedCase(i)

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? NaN
const dir = mkdtempSync(join(tmpdir(), 'llm-evals-reporter-bench-'))
const files = { root: dir, history: join(dir, 'history.jsonl'), html: join(dir, 'report.html'), json: join(dir, 'summary.json'), retention: { caseScores: 200, caseDetails: 20 } }
const time: Record<string, number[]> = {}
const cpu: Record<string, number[]> = {}
const timed = async <T>(name: string, work: () => T | Promise<T>): Promise<T> => {
  const started = performance.now()
  const used = process.cpuUsage()
  const result = await work()
  const { user, system } = process.cpuUsage(used)
  ;(time[name] ??= []).push(performance.now() - started)
  ;(cpu[name] ??= []).push((user + system) / 1000)
  return result
}
try {
  for (let run = 0; run < historyRuns + rounds; run++) {
    const tests = Array.from({ length: cases }, (_, i) => collected(i))
    globalThis.gc?.()
    const running = new RunningSummary(options, [])
    await timed('per test: summary + secret scan', async () => {
      for (const test of tests) running.add(test as never)
      await running.secrets()
    })
    await timed('per test: score annotations', () => {
      for (const test of tests) scoreAnnotations(test.meta.evals as never, '/app/ours-each.test.ts', [])
    })
    const summary = running.finish()
    await timed('end: finishRun (compare, history, html, json)', () =>
      finishRun(summary, { time: new Date(Date.now() + run * 1000), vitestVersion: '4.1.0', env: {}, git: {} }, files as never, { tolerance: 0.05, write: true }, { warn: () => {} }),
    )
    if (run < historyRuns) for (const name of Object.keys(time)) (time[name]?.pop(), cpu[name]?.pop())
  }
  console.log(`${cases} cases, history of ${historyRuns} earlier runs, median of ${rounds}:`)
  for (const [name, values] of Object.entries(time)) {
    const used = median(cpu[name] ?? [])
    console.log(`  ${name.padEnd(48)} ${median(values).toFixed(1).padStart(8)} ms  ${((median(values) * 1000) / cases).toFixed(1).padStart(6)} µs/case  cpu ${used.toFixed(1).padStart(8)} ms`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
