// The plugin entry is loaded by the main Vitest process before any worker starts: what it loads is on every
// run's critical path (issue 17). Checked on the build (`npm run build` first), in a fresh Node process.
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { cleanEnv, fixture, repoRoot } from './run-fixture.js'

const distUrl = `${pathToFileURL(join(repoRoot, 'dist')).href}/`
const dist = (path: string) => distUrl + path

/** Imports the built plugin in a new Node process, runs `then` there, and returns the files loaded at each step. */
async function loadedFiles(then: string): Promise<{ plugin: string[]; after: string[] }> {
  const script = `
import { registerHooks } from 'node:module'
let loaded = []
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })
const { llmEvals } = await import(${JSON.stringify(dist('src/plugin.js'))})
const pluginFiles = loaded
loaded = []
${then}
console.log(JSON.stringify({ plugin: pluginFiles, after: loaded }))
`
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot })
  return JSON.parse(stdout) as { plugin: string[]; after: string[] }
}

const ours = (files: string[]) => files.filter((url) => url.startsWith(distUrl)).map((url) => url.slice(distUrl.length).replace(/-[\w-]{8}\.js$/, '.js'))
const packages = (files: string[]) => [...new Set(files.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]).filter(Boolean))]

describe('importing vitest-llm-evals/plugin', () => {
  test('loads neither zod nor the reporters: only the plugin and the few modules it shares with the worker', async () => {
    const { plugin, after } = await loadedFiles(`
const fake = { config: { root: process.cwd(), reporters: [] }, projects: [], onTestsRerun() {} }
const project = { config: { setupFiles: [] }, provide() {} }
await llmEvals({ history: false, report: false, cassettes: { mode: 'replay' } }).configureVitest({ vitest: fake, project })
`)
    expect(packages(plugin)).toEqual([])
    expect(ours(plugin).sort()).toEqual(['chunks/plugin.js', 'chunks/shared.js', 'src/plugin.js'])
    // Options checked and reporters added: still nothing more.
    expect(after.filter((url) => !url.startsWith('node:'))).toEqual([])
  })

  test('the reporters load their code when asked (so the check above can see it), and still no zod', async () => {
    const { after } = await loadedFiles(`
const reporters = []
const fake = { config: { root: process.cwd(), reporters }, projects: [], onTestsRerun() {} }
await llmEvals().configureVitest({ vitest: fake, project: { config: { setupFiles: [] }, provide() {} } })
await Promise.all(reporters.map((reporter) => reporter.load()))
if (reporters.map((reporter) => reporter.reporter?.constructor.name).join() !== 'ScoreAnnotationsReporter,ScoreHistoryReporter') throw new Error('not loaded')
`)
    expect(packages(after)).not.toContain('zod')
    expect(ours(after)).toContain('chunks/reporter.js')
  })

  test("reading the usage reports at the end of a run with cassettes loads neither the worker's code nor Vitest's test API", async () => {
    const chunk = readdirSync(join(repoRoot, 'dist', 'chunks')).find((name) => name.startsWith('cassette-usage-'))
    const { after } = await loadedFiles(`
const { usageReportsOf } = await import(${JSON.stringify(dist('chunks/'))} + ${JSON.stringify(chunk)})
if (typeof usageReportsOf !== 'function') throw new Error('not the usage reports chunk')
`)
    expect(ours(after)).toContain('chunks/cassette-usage.js')
    expect(ours(after).filter((file) => /^chunks\/(worker-setup|session)\.js$/.test(file))).toEqual([])
    expect(packages(after).filter((name) => /^(vitest|chai|@vitest\/.*|msw|@mswjs\/.*)$/.test(name!))).toEqual([])
  })

  test('unusual options load the options schema, and a wrong one fails with its message', async () => {
    const { after } = await loadedFiles(`
const plugin = llmEvals({ cassettes: { mdoe: 'replay' } })
const error = await plugin.config().then(() => undefined, (error) => error)
if (!String(error?.message).includes('unknown option \`cassettes.mdoe\`; allowed here: mode, dir')) throw new Error('no clear error: ' + error)
`)
    expect(packages(after)).toContain('zod')
    expect(ours(after)).toContain('chunks/plugin-options.js')
    expect(ours(after)).not.toContain('chunks/reporter.js')
  })
})

describe('importing vitest-llm-evals in a worker', () => {
  // Every test file's worker pays it: zod alone was half of it (~55 ms). It loads with the first schema needed.
  test('loads no zod, nor do reading a history the library wrote and checking usual IFEval instructions; explaining a bad one loads it', async () => {
    const history = join(mkdtempSync(join(tmpdir(), 'llm-evals-startup-')), 'history.jsonl')
    const tokens = { app: { input: 1, output: 1 }, judge: { input: 0, output: 0 }, replayed: 0, live: 2 }
    const totals = { tests: 1, scores: 1, failedScores: 0, replayed: 0, recorded: 0, tokens, costUsd: 0 }
    const groups = [{ suite: 'a.test.ts', metric: 'm', mean: 1, passRate: 1, cases: 1, trials: 1, flaky: 0 }]
    const cases = [{ suite: 'a.test.ts', test: 't', metric: 'm', score: 1, pass: true, trials: 1 }]
    writeFileSync(history, `${JSON.stringify({ v: 1, id: 'r1', time: '2026-12-06T14:00:00.000Z', versions: { node: 'v22' }, totals, groups, suites: [], cases })}\n`)
    const script = `
import { registerHooks } from 'node:module'
let loaded = []
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })
await import('vitest')
loaded = []
const api = await import(${JSON.stringify(dist('src/index.js'))})
const atImport = loaded
loaded = []
const runs = api.readHistory(${JSON.stringify(history)}, (warning) => { throw new Error(warning.message) })
if (runs.length !== 1) throw new Error('history not read back')
const afterHistory = loaded
loaded = []
const { checkInstruction } = await import(${JSON.stringify(dist('src/metrics/index.js'))})
checkInstruction('a, b', { id: 'punctuation:no_comma' })
checkInstruction('a b', { id: 'length_constraints:number_words', num_words: 3, relation: 'less than' })
const afterCheck = loaded
loaded = []
try { checkInstruction('a', { id: 'length_constraints:number_words', num_words: -1, relation: 'less than' }) } catch (error) { if (!/num_words/.test(error.message)) throw error }
console.log(JSON.stringify({ atImport, afterHistory, afterCheck, afterBadCheck: loaded }))
`
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot })
    const { atImport, afterHistory, afterCheck, afterBadCheck } = JSON.parse(stdout) as Record<string, string[]>
    expect(ours(atImport!)).toContain('chunks/library.js')
    expect(packages(atImport!)).not.toContain('zod')
    expect(packages(afterHistory!)).not.toContain('zod')
    expect(packages(afterCheck!)).not.toContain('zod')
    expect(packages(afterBadCheck!)).toContain('zod')
  })
})

describe('the reporters, loaded while the worker starts', () => {
  test('are there before the first result: the verbose reporter prints each test with its score annotations', async () => {
    const project = fixture('annotations')
    try {
      const result = await project.run(['--reporter=verbose'], cleanEnv())
      expect(result.code, result.output).toBe(0)
      // Printed by Vitest's verbose reporter as it gets each test's result, so only if the annotations were added first.
      expect(result.stdout).toMatch(/✓ scores\.test\.ts > matchers > similar[^\n]*\n\s*\n[^\n]*scores\.test\.ts:18:\d+ llm-evals\n\s*↳ similarity:rouge-l 0\.833 ✓ \(≥ 0\.7\)/)
      expect(result.stdout).toContain('LLM evals:')
    } finally {
      project.remove()
    }
  })
})
