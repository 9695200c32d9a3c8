// What a new user of the packed package reads: option errors that point at docs they have and guess the
// option they meant, an end-of-run list that tells suites with the same case names apart, and returned
// scores annotated with their threshold. Runs the build (`npm run build` first).
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

/** A project with the package copied in as npm installs it (package.json `files`: dist, docs/*.md). */
function installedApp(): string {
  // Inside the repo, so the copy's own dependencies (zod…) resolve from the repo's node_modules.
  const base = join(repoRoot, 'test', 'e2e', '.tmp')
  mkdirSync(base, { recursive: true })
  const app = mkdtempSync(join(base, 'installed-'))
  const installed = join(app, 'node_modules', 'vitest-llm-evals')
  cpSync(join(repoRoot, 'dist'), join(installed, 'dist'), { recursive: true })
  mkdirSync(join(installed, 'docs'))
  for (const page of readdirSync(join(repoRoot, 'docs')).filter((name) => name.endsWith('.md'))) cpSync(join(repoRoot, 'docs', page), join(installed, 'docs', page))
  cpSync(join(repoRoot, 'package.json'), join(installed, 'package.json'))
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
  return app
}

describe('an option error in a project that installed the package', () => {
  let app: string
  beforeAll(() => {
    app = installedApp()
    writeFileSync(join(app, 'a.test.ts'), "import { test } from 'vitest'\ntest('a', () => {})\n")
    writeFileSync(
      join(app, 'vitest.config.ts'),
      `import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'
export default defineConfig({ plugins: [llmEvals({ histroy: { file: 'h.jsonl' }, report: { htlm: 'r.html' }, gate: { tolerance: '5%' } } as never)] })
`,
    )
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  test('names the installed docs file, which exists, guesses the misspelt options at every depth and shows a wrong value', async () => {
    const run = await runVitestIn(app, cleanEnv({ CI: 'true' }))
    expect(run.code).not.toBe(0)
    expect(run.output).toContain('[vitest-llm-evals] Invalid llmEvals() options:')
    expect(run.output).toContain('unknown option `histroy`; allowed here: cassettes, judge, history, report, gate, labels, annotations, pricing; did you mean `history`?')
    expect(run.output).toContain('unknown option `report.htlm`; allowed here: html, json, stepSummary, live; did you mean `report.html`?')
    expect(run.output).toContain('`gate.tolerance`: expected a number from 0 to 1, received "5%"')
    expect(run.output).toContain('See the options in node_modules/vitest-llm-evals/docs/configuration.md.')
    expect(existsSync(join(app, 'node_modules/vitest-llm-evals/docs/configuration.md'))).toBe(true)
  })
})

describe("the README's no-key example, pasted into a project that installed the package", () => {
  let app: string
  beforeAll(() => {
    app = installedApp()
    const section = readFileSync(join(repoRoot, 'README.md'), 'utf8').split('## Try it without an API key')[1]?.split('\n## ')[0] ?? ''
    // Each block starts with a comment naming its file.
    for (const [, file, code] of section.matchAll(/```ts\n\/\/ (\S+)\n([\s\S]*?)```/g)) writeFileSync(join(app, file ?? ''), `// ${file}\n${code}`)
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  test('runs with no API key and prints the scores it shows', async () => {
    expect(existsSync(join(app, 'vitest.config.ts')) && existsSync(join(app, 'first-eval.test.ts'))).toBe(true)
    const run = await runVitestIn(app, cleanEnv())
    expect(run.code, run.output).toBe(0)
    expect(run.output).toMatch(/similarity:rouge-l\s+0\.900\s+0\.00–1\.00/)
    expect(run.output).toMatch(/instructions\s+1\.000\s+0\.34–1\.00/)
    expect(run.output).toContain('LLM evals: 4 scores (0 below threshold) · cassettes [auto]: 0 replayed, 0 recorded')
  })
})

describe('the llm-evals bin of the installed package', () => {
  let app: string
  beforeAll(() => {
    app = installedApp()
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))
  const bin = (...args: string[]) => spawnSync(process.execPath, [join(app, 'node_modules', 'vitest-llm-evals', 'dist', 'src', 'cli', 'bin.js'), ...args], { cwd: app, env: cleanEnv(), encoding: 'utf8' })

  test('a misspelt command says the one meant and lists the commands, with a non-zero exit code', () => {
    const run = bin('histroy')
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('[vitest-llm-evals] Unknown command "histroy"; did you mean `llm-evals history`?')
    expect(run.stderr).toContain('  history           Table of recent runs from the score history')
  })

  test('notes point at the docs as installed', () => {
    const run = bin('import', 'promptfoo', join(repoRoot, 'test', 'fixtures', 'importers', 'promptfoo', 'promptfooconfig.yaml'), '--out', 'evals')
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toContain('(node_modules/vitest-llm-evals/docs/judges.md).')
    expect(existsSync(join(app, 'node_modules/vitest-llm-evals/docs/judges.md'))).toBe(true)
  })
})

/** `vitest run` in a folder that is not a fixture copy, as FixtureProject.run does it. */
function runVitestIn(dir: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', fail)
    child.on('close', (code) => done({ code, output }))
  })
}

describe('two suites with the same case names', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = fixture('same-names')
  })
  afterAll(() => project.remove())

  test('the end-of-run list names each case by file and suite; returned scores are annotated with their threshold', async () => {
    const run = await project.run(['--reporter=default', '--reporter=junit', '--outputFile.junit=junit.xml'], cleanEnv())
    expect(run.code, run.output).toBe(0)
    expect(run.stdout).toContain(
      'LLM evals: 5 scores (3 below threshold: bots.test.ts > support bot > greeting · brevity 0.00, bots.test.ts > sales bot > greeting · brevity 0.10, more.test.ts > support bot > greeting · brevity 0.20)',
    )
    const junit = project.read('junit.xml')
    expect(junit).toContain('<property name="llm-evals" value="brevity 0.1 ✗ (needs ≥ 0.5)">')
    expect(junit).toContain('<property name="llm-evals" value="brevity 1 ✓ (≥ 0.5)">')
  })
})
