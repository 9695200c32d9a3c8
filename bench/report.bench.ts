/**
 * Benchmark of the score history reporter on a large history, through the built library's public entries
 * (the reporter from `vitest-llm-evals/reporter`, the `llm-evals` bin), as users run them:
 *
 *   npm run build && npm exec -- node bench/report.bench.ts
 *
 * Builds a history of 1,000 runs x 500 cases (2 metrics each, 10 suites; 300-char outputs and reasons)
 * from lines the reporter itself wrote, then times, each in a fresh process: (1) the terminal summary of a
 * new run (the reporter in watch mode: summarize 500 tests + read history + compare + render, no writes),
 * (2) the end of a run (the same plus appending to the history and writing the HTML report), (3)
 * `llm-evals report` (read + compare + render HTML), and reports the peak memory of that process and the
 * history size per run. Three histories: the default retention (case scores kept for 200 runs, detail for
 * 20), case scores kept for all 1,000 runs (worst case), and that worst case as version 0.1.0 wrote it
 * (one object per case score; the first append rewrites part of it as case tables). Target: each step
 * < 2 s, memory < 500 MB.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
type ReporterModule = typeof import('../reporters/index.js')
const { ScoreHistoryReporter } = (await import(pathToFileURL(join(repo, 'dist', 'reporters', 'index.js')).href)) as ReporterModule
const bin = join(repo, 'dist', 'src', 'cli', 'bin.js')

const RUNS = 1000
const CASES = 500
const SUITES = 10
const text = (seed: number) => `Output ${seed}: ${'lorem ipsum dolor sit amet '.repeat(11)}`.slice(0, 300)

/** A run's 500 finished tests as Vitest hands them to a reporter; scores drift with `run`. */
function testCases(root: string, run: number) {
  const modules = Array.from({ length: SUITES }, (_, index) => ({ type: 'module', moduleId: join(root, `suite-${index}.test.ts`) }))
  return Array.from({ length: CASES }, (_, index) => {
    const score = (metric: number) => Math.abs(Math.sin(run * 0.01 + index + metric))
    const evals = [0, 1].map((metric) => ({ metric: metric ? 'factual' : 'similarity:rouge-l', score: score(metric), pass: score(metric) > 0.3, threshold: 0.3, reason: text(index + metric), caseId: `case-${index}`, attempt: { retry: 0, repeat: 0 } }))
    const calls = [{ role: 'app', source: 'replayed', model: 'gpt-4o-mini', inputTokens: 400, outputTokens: 120, latencyMs: 800 }]
    const module = modules[index % SUITES]
    const meta = { evals, output: text(index), cassette: { replayed: 1, recorded: 0, calls } }
    return { module, parent: { type: 'suite', name: 'evals', parent: module }, fullName: `evals > case ${index}`, result: () => ({ state: 'passed' }), diagnostic: () => ({ flaky: false }), meta: () => meta }
  })
}

/** Ends one run of 500 tests with the reporter (watch mode writes nothing, as the terminal summary step). */
function reportRun(root: string, run: number, history: { file: string; keepCaseScores: number; keepCaseDetails: number }, watch: boolean): void {
  const reporter = new ScoreHistoryReporter({ history, report: { html: join(root, 'report.html'), json: join(root, 'summary.json'), stepSummary: false } })
  const quiet = () => {}
  reporter.onInit({ config: { root, watch }, logger: { log: quiet, warn: quiet, error: quiet }, version: '5.1.2' } as never)
  for (const testCase of testCases(root, run)) reporter.onTestCaseResult(testCase as never)
  reporter.onTestRunEnd([])
}

type Line = Record<string, unknown> & { groups: { mean: number }[] }

/** The lines the reporter writes for one run: with case detail, with case scores only, aggregates only; and the run as a 0.1.0 line. */
function templateLines(scratch: string): { detail: Line; scores: Line; aggregates: Line; legacy: Line } {
  const written = (name: string, keepCaseScores: number, keepCaseDetails: number) => {
    const root = join(scratch, name)
    mkdirSync(root, { recursive: true })
    reportRun(root, 0, { file: join(root, 'history.jsonl'), keepCaseScores, keepCaseDetails }, false)
    return { line: JSON.parse(readFileSync(join(root, 'history.jsonl'), 'utf8')) as Line, run: (JSON.parse(readFileSync(join(root, 'summary.json'), 'utf8')) as { run: Line }).run }
  }
  const detail = written('detail', 1, 1)
  return { detail: detail.line, scores: written('scores', 1, 0).line, aggregates: written('aggregates', 0, 0).line, legacy: detail.run }
}

/** Writes 1,000 runs, newest last, with per-case data as the retention leaves it; returns the bytes of each line. */
function buildHistory(file: string, templates: ReturnType<typeof templateLines>, keepCaseScores: number, legacy: boolean): number[] {
  const withoutDetail = legacy ? { ...templates.legacy, cases: (templates.legacy.cases as Record<string, unknown>[]).map(({ output: _o, reason: _r, input: _i, ...score }) => score) } : templates.scores
  const { cases: _cases, ...legacyAggregates } = templates.legacy
  const lines: string[] = []
  for (let index = 0; index < RUNS; index++) {
    const newer = RUNS - 1 - index
    const template = newer < 20 ? (legacy ? templates.legacy : templates.detail) : newer < keepCaseScores ? withoutDetail : legacy ? (legacyAggregates as Line) : templates.aggregates
    // Only identity and group means change between runs here; per-case data is the template's (the size is what matters).
    const { cases, caseTable, ...fields } = template
    const run = { ...fields, id: `run-${String(index).padStart(4, '0')}`, time: new Date(Date.UTC(2025, 0, 1) + index * 3_600_000).toISOString(), groups: fields.groups.map((group) => ({ ...group, mean: Math.abs(Math.sin(index * 0.05 + group.mean)) })) }
    const git = { commit: 'f'.repeat(40), branch: 'main' }
    // Per-case data is last; 0.1.0's retention rewrote lines older than 20 runs with `git` after the cases.
    const line = legacy && newer >= 20 ? { ...run, ...(cases ? { cases } : {}), git } : { ...run, git, ...(cases ? { cases } : {}), ...(caseTable ? { caseTable } : {}) }
    lines.push(JSON.stringify(line))
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
  return lines.map((line) => Buffer.byteLength(line) + 1)
}

function time(action: () => void): number {
  const started = performance.now()
  action()
  return performance.now() - started
}

async function measure(dir: string, file: string, keepCaseScores: number, step: string): Promise<string> {
  const history = { file, keepCaseScores, keepCaseDetails: 20 }
  let ms: number
  if (step === 'summary') ms = time(() => reportRun(dir, RUNS, history, true))
  else if (step === 'end') ms = time(() => reportRun(dir, RUNS, history, false))
  else {
    process.argv = [process.argv[0] ?? 'node', bin, 'report', '--root', dir, '--file', file, '--out', join(dir, 'cli-report.html')]
    const started = performance.now()
    const log = console.log
    console.log = () => {}
    await import(pathToFileURL(bin).href)
    console.log = log
    ms = performance.now() - started
  }
  return JSON.stringify({ ms, rss: process.resourceUsage().maxRSS / 1024 })
}

const STEPS = [
  ['summary', 'terminal summary (reporter, watch mode: summarize 500 tests + read history + compare + render)'],
  ['end', 'end of run (the same + append to history + HTML report written)'],
  ['report', '`llm-evals report` (load + read + compare + render HTML)'],
] as const

const [mode, measureDir, measureFile, keep, step] = process.argv.slice(2)
if (mode === '--measure' && measureDir && measureFile && keep && step) {
  console.log(await measure(measureDir, measureFile, Number(keep), step))
} else {
  const dir = mkdtempSync(join(tmpdir(), 'report-bench-'))
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
  try {
    const templates = templateLines(join(dir, 'templates'))
    const configurations = [
      { keepCaseScores: 200, legacy: false, label: ' (default retention)' },
      { keepCaseScores: RUNS, legacy: false, label: ' (worst case)' },
      { keepCaseScores: RUNS, legacy: true, label: ', written by 0.1.0 (one object per case score); each step on a fresh copy' },
    ]
    for (const { keepCaseScores, legacy, label } of configurations) {
      console.log(`per-case scores kept for ${keepCaseScores} runs${label}:`)
      let peak = 0
      let after = 0
      const built = join(dir, 'built.jsonl')
      const bytes = buildHistory(built, templates, keepCaseScores, legacy)
      for (const [step, description] of STEPS) {
        // Every step starts from the same history, in a fresh process (building it does not count towards memory).
        const file = join(dir, 'history.jsonl')
        copyFileSync(built, file)
        const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', dir, file, String(keepCaseScores), step], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
        const { ms, rss } = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { ms: number; rss: number }
        peak = Math.max(peak, rss)
        if (step === 'end') after = statSync(file).size
        console.log(`  ${description}: ${ms.toFixed(0)} ms, peak RSS ${rss.toFixed(0)} MB`)
      }
      const total = bytes.reduce((sum, each) => sum + each, 0)
      console.log(`  peak memory of any step (max RSS): ${peak.toFixed(0)} MB`)
      console.log(`  history: ${mb(total)} for ${RUNS} runs (${mb(after)} after the end-of-run append); per run: ${kb(bytes.at(-1) ?? 0)} with case detail, ${kb(bytes[RUNS - 21] ?? 0)} with case scores, ${kb(bytes[0] ?? 0)} ${keepCaseScores >= RUNS ? 'oldest' : 'aggregates only'}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
