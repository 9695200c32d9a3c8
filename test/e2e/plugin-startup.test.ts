// The plugin entry is loaded by the main Vitest process before any worker starts: what it loads is on every
// run's critical path (issue 17). Checked on the build (`npm run build` first), in a fresh Node process.
import { execFile } from 'node:child_process'
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

  test('the reporters load their code, zod included, when asked (so the check above can see it)', async () => {
    const { after } = await loadedFiles(`
const reporters = []
const fake = { config: { root: process.cwd(), reporters }, projects: [], onTestsRerun() {} }
await llmEvals().configureVitest({ vitest: fake, project: { config: { setupFiles: [] }, provide() {} } })
await Promise.all(reporters.map((reporter) => reporter.load()))
if (reporters.map((reporter) => reporter.reporter?.constructor.name).join() !== 'ScoreAnnotationsReporter,ScoreHistoryReporter') throw new Error('not loaded')
`)
    expect(packages(after)).toContain('zod')
    expect(ours(after)).toContain('chunks/reporter.js')
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
