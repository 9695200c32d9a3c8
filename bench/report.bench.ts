/**
 * Benchmark of the score history reporter on a large history. A plain script on the built output:
 *
 *   npm run build && npm exec -- node bench/report.bench.ts
 *
 * Builds a history of 1,000 runs x 500 cases (2 metrics each, 10 suites; 300-char outputs and
 * reasons) with the default retention, then times (1) the terminal summary of a new run (summarize
 * 500 tests + read history + compare + render), (2) appending it, (3) the HTML report
 * (`llm-evals report`: read + compare + render), and reports peak memory (the default retention runs first, so its figure is its own) and history
 * size per run.
 * The same is repeated with per-case scores kept for all 1,000 runs (worst case). Target: each
 * step < 2 s, memory < 500 MB.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const load = async <T>(path: string) => (await import(pathToFileURL(join(repo, 'dist', path)).href)) as T
const { summarizeRun } = await load<typeof import('../reporters/summarize.js')>('reporters/summarize.js')
const { compareWithHistory, finishRun } = await load<typeof import('../reporters/history-store.js')>('reporters/history-store.js')
const { renderTerminal } = await load<typeof import('../reporters/render-terminal.js')>('reporters/render-terminal.js')
const { run: reportCommand } = await load<typeof import('../src/cli/report-command.js')>('src/cli/report-command.js')
const { applyRetention, formatRunLine } = await load<typeof import('../src/history/history-file.js')>('src/history/history-file.js')
const { DEFAULT_PRICES } = await load<typeof import('../reporters/pricing.js')>('reporters/pricing.js')
type CollectedCase = import('../reporters/summarize.js').CollectedCase
type HistoryRun = import('../src/history/run-record.js').HistoryRun

const RUNS = 1000
const CASES = 500
const SUITES = 10
const text = (seed: number) => `Output ${seed}: ${'lorem ipsum dolor sit amet '.repeat(11)}`.slice(0, 300)

/** The tests of one run, as the reporter collects them; scores drift with `run`. */
function collected(run: number): CollectedCase[] {
  return Array.from({ length: CASES }, (_, index) => {
    const score = (metric: number) => Math.abs(Math.sin(run * 0.01 + index + metric))
    const evals = [0, 1].map((metric) => ({ metric: metric ? 'factual' : 'similarity:rouge-l', score: score(metric), pass: score(metric) > 0.3, threshold: 0.3, reason: text(index + metric), caseId: `case-${index}`, attempt: { retry: 0, repeat: 0 } }))
    const calls = [{ role: 'app' as const, source: 'replayed' as const, model: 'gpt-4o-mini', inputTokens: 400, outputTokens: 120, latencyMs: 800 }]
    return { module: `suite-${index % SUITES}.test.ts`, describe: 'evals', test: `evals > case ${index}`, state: 'passed' as const, flaky: false, meta: { evals, output: text(index), cassette: { replayed: 1, recorded: 0, calls } } }
  })
}

function buildHistory(file: string, keepCaseScores: number): { bytes: number[] } {
  const options = { pricing: DEFAULT_PRICES, maxTextChars: 2000 }
  const template = summarizeRun(collected(0), options)
  const retention = { caseScores: keepCaseScores, caseDetails: 20 }
  const lines: string[] = []
  const bytes: number[] = []
  for (let index = 0; index < RUNS; index++) {
    // Only group means change between runs here; case detail is the template's (the size is what matters).
    const groups = template.groups.map((group) => ({ ...group, mean: Math.abs(Math.sin(index * 0.05 + group.mean)) }))
    const run: HistoryRun = { v: 1, id: `run-${String(index).padStart(4, '0')}`, time: new Date(Date.UTC(2025, 0, 1) + index * 3_600_000).toISOString(), git: { commit: 'f'.repeat(40), branch: 'main' }, versions: { vitest: '5.1.2', library: '0.1.0', node: process.versions.node }, ...template, groups }
    const line = formatRunLine(applyRetention(run, RUNS - 1 - index, retention) ?? run)
    lines.push(line)
    bytes.push(Buffer.byteLength(line) + 1)
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
  return { bytes }
}

function time<T>(action: () => T): [T, number] {
  const started = performance.now()
  const result = action()
  return [result, performance.now() - started]
}

async function measure(dir: string, file: string, keepCaseScores: number): Promise<string[]> {
  const files = { root: dir, history: file, baseline: join(dir, 'baseline.json'), retention: { caseScores: keepCaseScores, caseDetails: 20 }, html: join(dir, 'report.html') }
  const [, terminalMs] = time(() => {
    const summary = summarizeRun(collected(RUNS), { pricing: DEFAULT_PRICES, maxTextChars: 2000 })
    const { comparison } = compareWithHistory(summary, files, undefined, 0.05, { warn: () => {} })
    return renderTerminal(summary, comparison, { color: false })
  })
  const summary = summarizeRun(collected(RUNS), { pricing: DEFAULT_PRICES, maxTextChars: 2000 })
  const [, finishMs] = time(() => finishRun(summary, { time: new Date(), env: {} }, files, { tolerance: 0.05, write: true }, { warn: () => {} }))
  const started = performance.now()
  await reportCommand(['--root', dir, '--file', file, '--out', join(dir, 'cli-report.html')], () => {})
  const reportMs = performance.now() - started
  const htmlBytes = statSync(join(dir, 'cli-report.html')).size
  return [
    `  terminal summary (summarize ${CASES} tests + read history + compare + render): ${terminalMs.toFixed(0)} ms`,
    `  end of run incl. append + HTML report written: ${finishMs.toFixed(0)} ms`,
    `  llm-evals report (read + compare + render HTML, ${(htmlBytes / 1024 / 1024).toFixed(1)} MB): ${reportMs.toFixed(0)} ms`,
    `  peak memory of the process doing the above (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  ]
}

// Each measurement runs in a fresh process, so building the history does not count towards its memory.
const [mode, measureDir, measureFile, keep] = process.argv.slice(2)
if (mode === '--measure' && measureDir && measureFile && keep) {
  console.log((await measure(measureDir, measureFile, Number(keep))).join('\n'))
} else {
  const dir = mkdtempSync(join(tmpdir(), 'report-bench-'))
  const kb = (value: number) => `${(value / 1024).toFixed(1)} KB`
  try {
    for (const keepCaseScores of [200, RUNS]) {
      const file = join(dir, `history-${keepCaseScores}.jsonl`)
      const { bytes } = buildHistory(file, keepCaseScores)
      console.log(`per-case scores kept for ${keepCaseScores} runs${keepCaseScores === 200 ? ' (default retention)' : ' (worst case)'}:`)
      console.log(`  history file: ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB for ${RUNS} runs; per run: ${kb(bytes.at(-1) ?? 0)} with case detail, ${kb(bytes[RUNS - 21] ?? 0)} with case scores, ${kb(bytes[0] ?? 0)} ${keepCaseScores >= RUNS ? 'oldest' : 'aggregates only'}`)
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', dir, file, String(keepCaseScores)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
      console.log(child.stdout.trimEnd())
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
