/**
 * The README's pictures of the HTML report: `docs/report.png` (1280x800, the first screen) and
 * `docs/report-mobile.png` (390 px wide), taken in headless Chromium (test/support/chromium.ts finds it) from
 * the report of the examples:
 *
 *   npm run docs:screenshot
 *
 * A report of a single run shows no change, so the script runs the examples (replaying their cassettes), turns
 * that run into a history (14 earlier daily runs with drifting means, and a previous run where a few cases
 * scored differently with another output), then runs the examples again: the report compares the new run with
 * it, as after a prompt change. It replaces the examples' `.evals/` (the output of `npm run examples`).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import '../test/support/ts-specifiers.ts'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import type { CaseScore, HistoryRun } from '../src/index.js'

// test/support is TypeScript run as is: map its `.js` specifiers to the `.ts` files.
const { chromiumFor, resolveChromium } = await import('../test/support/chromium.ts')

const repo = resolve(import.meta.dirname, '..')
const evals = join(repo, 'examples', '.evals')
const history = join(evals, 'history.jsonl')
const { readHistory } = (await import(pathToFileURL(join(repo, 'dist', 'src', 'index.js')).href)) as typeof import('../src/index.js')

function runExamples(): void {
  const run = spawnSync(process.execPath, [join(repo, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'examples/vitest.config.ts'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] })
  if (run.status !== 0) throw new Error(`The examples failed (exit ${run.status}): run \`npm run examples\` to see why.`)
}

const DAY = 86_400_000
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1)
const shifted = (run: HistoryRun, days: number) => new Date(Date.parse(run.time) - days * DAY).toISOString()

/** The run before `run`: two cases scored higher then and two lower, each with another output; group means follow. */
function previousOf(run: HistoryRun): HistoryRun {
  // Test files finish in any order: pick by name, so every run of the script changes the same cases.
  const name = (score: CaseScore) => `${score.suite}\u0000${score.test}\u0000${score.metric}`
  const withOutput = (run.cases ?? []).filter((score) => score.output && score.score > 0.3 && score.score < 0.95).sort((a, b) => name(a).localeCompare(name(b)))
  const changed = new Map<string, number>()
  for (const [at, score] of withOutput.slice(0, 4).entries()) changed.set(`${score.suite}\u0000${score.test}\u0000${score.metric}`, at < 2 ? Math.min(1, score.score + 0.35) : Math.max(0, score.score - 0.3))
  const tests = new Set([...changed.keys()].map((key) => key.split('\u0000').slice(0, 2).join('\u0000')))
  const cases = (run.cases ?? []).map((score): CaseScore => {
    const before = changed.get(`${score.suite}\u0000${score.test}\u0000${score.metric}`)
    const other = tests.has(`${score.suite}\u0000${score.test}`) && score.output ? { output: `${score.output.split(/(?<=[.!?])\s+/).slice(0, -1).join(' ')} Please contact our support team for anything else.`.trim() } : {}
    return { ...score, ...other, ...(before === undefined ? {} : { score: before, pass: before >= (score.threshold ?? 0) }) }
  })
  const groups = run.groups.map((group) => {
    const scores = cases.filter((score) => score.suite === group.suite && score.metric === group.metric && score.variant === group.variant && !(score as { awaitingLabel?: boolean }).awaitingLabel)
    const touched = scores.some((score) => changed.has(`${score.suite}\u0000${score.test}\u0000${score.metric}`))
    const { interval: _interval, ...rest } = group
    return touched ? { ...rest, mean: mean(scores.map((score) => score.score)) } : group
  })
  const git = run.git && { ...run.git, commit: createHash('sha1').update('previous run').digest('hex') }
  return { ...run, id: `${run.id}-previous`, time: shifted(run, 1), ...(git ? { git } : {}), groups, cases }
}

/** 14 daily runs before `previous`, aggregates only, their means drifting towards today's. */
function earlierRuns(previous: HistoryRun): HistoryRun[] {
  return Array.from({ length: 14 }, (_, index) => {
    const age = 14 - index
    const { cases: _cases, ...aggregates } = previous
    const groups = previous.groups.map((group, at) => {
      const drift = Math.max(-group.mean, Math.min(1 - group.mean, -0.012 * age * Math.cos(at) + 0.03 * Math.sin(age * 1.7 + at)))
      const interval = group.interval && { low: Math.max(0, group.interval.low + drift), high: Math.min(1, group.interval.high + drift) }
      return { ...group, mean: group.mean + drift, ...(interval ? { interval } : {}) }
    })
    const commit = createHash('sha1').update(`earlier run ${age}`).digest('hex')
    return { ...aggregates, id: `${previous.id}-${age}`, time: shifted(previous, age), ...(previous.git ? { git: { ...previous.git, commit } } : {}), groups }
  })
}

rmSync(evals, { recursive: true, force: true })
runExamples()
const first = readHistory(history).at(-1)
if (!first) throw new Error(`The examples wrote no history to ${history}.`)
const previous = previousOf(first)
writeFileSync(history, `${[...earlierRuns(previous), previous].map((run) => JSON.stringify(run)).join('\n')}\n`)
runExamples()

const source = chromiumFor('the report screenshots')
if (!source) throw new Error('No Chromium: install Chrome or Chromium, or set CHROMIUM_PATH.')
const { executablePath, env, args } = await resolveChromium(source)
const browser = await chromium.launch({ executablePath, args, env: { ...process.env, ...env }, headless: true })
try {
  mkdirSync(join(repo, 'docs'), { recursive: true })
  for (const [file, viewport, deviceScaleFactor] of [['report.png', { width: 1280, height: 800 }, 1], ['report-mobile.png', { width: 390, height: 844 }, 2]] as const) {
    const page = await browser.newPage({ viewport, deviceScaleFactor })
    await page.goto(pathToFileURL(join(evals, 'report.html')).href, { waitUntil: 'load' })
    // The redesigned page says when it is interactive; the page before it is complete at `load`.
    if ((await page.locator('#report-data').count()) > 0) await page.waitForFunction(`document.documentElement.dataset.ready === 'true'`)
    await page.screenshot({ path: join(repo, 'docs', file) })
    const width = (await page.evaluate('document.documentElement.scrollWidth')) as number
    console.log(`docs/${file}: ${viewport.width}x${viewport.height}${width > viewport.width ? ` (the page is ${width} px wide: it overflows)` : ''}`)
    await page.close()
  }
} finally {
  await browser.close()
}
