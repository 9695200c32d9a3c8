/**
 * The HTML report in a browser (issue 16): a report of 5,000 cases x 3 metrics with 200 runs of history, as
 * the built library's `ScoreHistoryReporter` writes it, opened in headless Chromium (playwright-core; the
 * browser test/support/chromium.ts finds):
 *
 *   npm run build && npm exec -- node --expose-gc bench/report-page.bench.ts
 *
 * The history: 198 earlier runs written from a line the reporter itself wrote (group means drifting; per-case
 * detail as the default retention keeps it), then two real runs of the reporter (bench/support/report-cases.ts:
 * outputs changed for ~20% of cases, regressions, failures, flaky cases, a suite with two variants). Measures
 * the file size, the time to render it in Node, and over 5 page loads (medians) navigation start to interactive
 * and to `load`, the JS heap, and the time a search, a filter and opening a case take (bench/support/page-timing.ts).
 * Targets: size < 10 MB, interactive < 1 s, search < 100 ms. Skips (exit 0) when no Chromium is found.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import '../test/support/ts-specifiers.ts'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { SEARCH_QUERY, SUITES, TESTS, testCases } from './support/report-cases.ts'
import { measurePageLoad, type PageSample } from './support/page-timing.ts'

// test/support is TypeScript run as is: map its `.js` specifiers to the `.ts` files.
const { findChromium, launchChromium } = await import('../test/support/chromium.ts')

const repo = resolve(import.meta.dirname, '..')
const dist = (path: string) => pathToFileURL(join(repo, 'dist', path)).href
const { ScoreHistoryReporter, compareRuns, renderHtml } = (await import(dist('reporters/index.js'))) as typeof import('../reporters/index.js')
const { readHistory } = (await import(dist('src/index.js'))) as typeof import('../src/index.js')

const RUNS = 200
const LOADS = 5
// A page that takes tens of seconds per load (the page before the redesign) gets fewer loads.
const BROWSER_BUDGET_MS = 90_000
const RENDERS = 3
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

/** Ends run `run` of the 5,000 tests with the reporter, writing history and HTML report as a user's run does; returns its milliseconds. */
async function reportRun(root: string, run: number, history: { file: string; keepCaseScores?: number; keepCaseDetails?: number }): Promise<number> {
  const reporter = new ScoreHistoryReporter({ history, report: { html: join(root, 'report.html'), json: false, stepSummary: false } })
  const quiet = () => {}
  reporter.onInit({ config: { root, watch: false }, logger: { log: quiet, warn: quiet, error: quiet }, version: '5.1.2' } as never)
  for (const testCase of testCases(root, run)) reporter.onTestCaseResult(testCase as never)
  const started = performance.now()
  await reporter.onTestRunEnd([])
  return performance.now() - started
}

type Line = Record<string, unknown> & { groups: { mean: number }[]; caseTable: { fields: Record<string, unknown> } }

/**
 * 200 runs of history ending with two real runs of the reporter: the first of them is written alone, and its
 * line is the template of the 198 runs put before it. Returns the report file and the last run's end-of-run time.
 */
async function buildReport(dir: string): Promise<{ html: string; history: string; endOfRunMs: number }> {
  const root = join(dir, 'project')
  const history = join(root, '.evals', 'history.jsonl')
  mkdirSync(join(root, '.evals'), { recursive: true })
  await reportRun(root, RUNS - 2, { file: history })
  const written = readFileSync(history, 'utf8')
  const template = JSON.parse(written) as Line
  // As the default retention leaves them: case scores for 200 runs, their detail (src/history/case-table.ts
  // CASE_DETAIL_FIELDS) for the last 20. A line left with any detail field would be rewritten by every append.
  const detail = JSON.stringify(template.caseTable)
  const detailFields = ['output', 'reason', 'input', 'expected', 'trace', 'conversation']
  const scoresOnly = JSON.stringify({ ...template.caseTable, fields: Object.fromEntries(Object.entries(template.caseTable.fields).filter(([field]) => !detailFields.includes(field))) })
  const lines: string[] = []
  for (let index = 0; index < RUNS - 2; index++) {
    const { caseTable: _table, ...fields } = template
    const groups = fields.groups.map((group) => ({ ...group, mean: Math.min(1, Math.max(0, group.mean + 0.08 * Math.sin(index * 0.07 + group.mean * 9))) }))
    const time = new Date(Date.parse(String(fields.time)) - (RUNS - 2 - index) * 3_600_000).toISOString()
    const run = { ...fields, id: `run-${String(index).padStart(3, '0')}`, time, git: { commit: index.toString(16).padStart(40, 'a'), branch: 'main' }, groups }
    lines.push(`${JSON.stringify(run).slice(0, -1)},"caseTable":${RUNS - 1 - index < 20 ? detail : scoresOnly}}`)
  }
  writeFileSync(history, `${lines.join('\n')}\n${written}`)
  const endOfRunMs = await reportRun(root, RUNS - 1, { file: history })
  return { html: join(root, 'report.html'), history, endOfRunMs }
}

/** Renders the report from the history as the reporter does (read, compare, render), timing only `renderHtml`. */
function renderTimes(history: string): number[] {
  const runs = readHistory(history, undefined, (_run, newer) => newer < 2)
  const current = runs.at(-1)
  if (!current) throw new Error(`No runs in ${history}`)
  const comparison = compareRuns(current, runs.slice(0, -1), undefined, { tolerance: 0.05, recent: 12 })
  return Array.from({ length: RENDERS }, () => {
    const started = performance.now()
    renderHtml({ runs, comparison, gateFailures: [] })
    return performance.now() - started
  })
}

// Skipped, not failed, without a browser (also under CI: `npm run bench` runs every benchmark).
const browser = findChromium()
if (!browser || (browser.kind === 'executable' && !existsSync(browser.executablePath))) {
  console.log(`SKIPPED: bench/report-page.bench.ts needs headless Chromium: ${browser ? `CHROMIUM_PATH is ${process.env.CHROMIUM_PATH}, which does not exist` : 'none found'}. Install Google Chrome or Chromium, or set CHROMIUM_PATH to one (the npm-shipped Chromium of @sparticuz/chromium runs only on Linux x64).`)
  process.exit(0)
}

const dir = mkdtempSync(join(tmpdir(), 'report-page-bench-'))
try {
  console.log(`HTML report of ${TESTS.toLocaleString('en-US')} tests x 3 metrics (${SUITES.length} suites, one with 2 variants), ${RUNS} runs of history`)
  const started = performance.now()
  const report = await buildReport(dir)
  const bytes = statSync(report.html).size
  // The case data is gzipped JSON in base64: its size before compression says how compressible the text was.
  const embedded = /id="report-data" data-encoding="gzip\+base64">([A-Za-z0-9+/=]*)</.exec(readFileSync(report.html, 'utf8'))?.[1]
  const jsonBytes = embedded ? gunzipSync(Buffer.from(embedded, 'base64')).length : undefined
  const historyBytes = statSync(report.history).size
  console.log(`  history (${(historyBytes / 1024 / 1024).toFixed(0)} MB) and report built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const renders = renderTimes(report.history)

  const context = await launchChromium(browser, join(dir, 'profile'))
  const samples: PageSample[] = []
  try {
    const url = pathToFileURL(report.html).href
    const browserStarted = performance.now()
    for (let load = 0; load < LOADS; load++) {
      const loadStarted = performance.now()
      samples.push(await measurePageLoad(context, url, SEARCH_QUERY))
      const spent = performance.now() - browserStarted
      if (spent + (performance.now() - loadStarted) > BROWSER_BUDGET_MS) break
    }
  } finally {
    await context.close()
  }
  const first = samples[0] as PageSample
  const of = (pick: (sample: PageSample) => number | undefined) => {
    const values = samples.map(pick).filter((value): value is number => value !== undefined)
    return values.length ? median(values) : undefined
  }
  const ms = (value: number | undefined) => (value === undefined ? 'n/a' : value < 0 ? 'timed out' : `${value.toFixed(0)} ms`)
  const verdict = (value: number | undefined, limit: number) => (value === undefined ? 'n/a' : value >= 0 && value < limit ? 'PASS' : 'FAIL')
  const interactive = of((sample) => sample.interactiveMs)
  const search = of((sample) => sample.searchMs)
  const rows: [string, string, string, string][] = [
    ['HTML file size', `${(bytes / 1024 / 1024).toFixed(2)} MB`, '< 10 MB', verdict(bytes / 1024 / 1024, 10)],
    ...(jsonBytes === undefined ? [] : [['  of which case data, as JSON before gzip', `${(jsonBytes / 1024 / 1024).toFixed(2)} MB`, '', ''] as [string, string, string, string]]),
    ['render HTML in Node (renderHtml, median of 3)', ms(median(renders)), '', ''],
    ['end of run in Node (reporter: summarize, scan, compare, append history, write HTML)', ms(report.endOfRunMs), '', ''],
    [`navigation start → interactive${first.readySignal ? ' (dataset.ready)' : ' (= load: no dataset.ready)'}`, ms(interactive), '< 1,000 ms', verdict(interactive, 1000)],
    ['navigation start → load', ms(of((sample) => sample.loadMs)), '', ''],
    ['JS heap used after load (after GC)', `${((of((sample) => sample.heapBytes) ?? 0) / 1024 / 1024).toFixed(0)} MB`, '', ''],
    ['DOM nodes after load', String(of((sample) => sample.domNodes)), '', ''],
    [`search "${SEARCH_QUERY}" → #shown updated, next frame drawn`, ms(search), '< 100 ms', verdict(search, 100)],
    ['filter "failing" → #shown updated, next frame drawn', ms(of((sample) => sample.filterMs)), '', ''],
    ['open a case → detail shown, next frame drawn', ms(of((sample) => sample.expandMs)), '', ''],
  ]
  const width = rows.map((row) => row.map((cell) => cell.length)).reduce((max, row) => max.map((each, at) => Math.max(each, row[at] ?? 0)))
  const loads = samples.length < LOADS ? `${samples.length} page load${samples.length === 1 ? '' : 's'} (not ${LOADS}: another would pass the ${BROWSER_BUDGET_MS / 1000} s budget)` : `${LOADS} page loads`
  console.log(`  medians of ${loads} in headless Chromium; search shows "${first.searchShown ?? 'n/a'}", filter "${first.filterShown ?? 'n/a'}"`)
  for (const row of [['measure', 'value', 'target', ''] as const, ...rows]) console.log(`  ${row.map((cell, at) => (at === 1 ? cell.padStart(width[at] ?? 0) : cell.padEnd(width[at] ?? 0))).join('  ')}`)
} finally {
  // KEEP_BENCH_REPORT=1 keeps the report and history to look at.
  if (process.env.KEEP_BENCH_REPORT) console.log(`  kept: ${dir}`)
  else rmSync(dir, { recursive: true, force: true })
}
