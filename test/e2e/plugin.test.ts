import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

const summaryLines = (output: string) => output.split('\n').filter((line) => line.startsWith('LLM evals:'))

describe('the plugin in an existing config with projects', () => {
  let server: ModelServer
  let project: FixtureProject

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('projects')
    const run = await project.run([], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef' }))
    expect(run.output).toContain('Tests  4 passed')
  })

  afterAll(async () => {
    project?.remove()
    await server?.close()
  })

  test('adds the setup file to every project, including one that does not extend the root config', () => {
    expect(readdirSync(project.path('unit', '__cassettes__')).sort()).toEqual(['one.test.ts.cassette.json', 'two.test.ts.cassette.json'])
    expect(readdirSync(project.path('evals', '__cassettes__')).sort()).toEqual(['one.test.ts.cassette.json', 'two.test.ts.cassette.json'])
  })

  test('adds its reporter once, also beside a reporter given on the command line', async () => {
    const run = await project.run(['--reporter=dot'], cleanEnv({ CI: 'true' }))
    expect(run.output).toContain('4 passed')
    expect(summaryLines(run.output)).toEqual(['LLM evals: 0 scores (0 below threshold) · cassettes [replay]: 4 replayed, 0 recorded'])
  })

  test('works with --project', async () => {
    const run = await project.run(['--project', 'evals'], cleanEnv({ CI: 'true' }))
    expect(run.output).toContain('Tests  2 passed')
    expect(summaryLines(run.output)).toEqual(['LLM evals: 0 scores (0 below threshold) · cassettes [replay]: 2 replayed, 0 recorded'])
  })

  test('works with --shard: the shards together replay every test', async () => {
    const first = await project.run(['--shard=1/2'], cleanEnv({ CI: 'true' }))
    const second = await project.run(['--shard=2/2'], cleanEnv({ CI: 'true' }))
    expect(first.code).toBe(0)
    expect(second.code).toBe(0)
    const replayed = (output: string) => Number(/(\d+) replayed/.exec(output)?.[1])
    expect(replayed(first.output) + replayed(second.output)).toBe(4)
  })

  test('an unknown or wrong option stops the run at start-up with a message naming it (and --config works)', async () => {
    writeFileSync(
      project.path('bad.config.ts'),
      `import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'
export default defineConfig({ plugins: [llmEvals({ cassettes: { mode: 'recrod', dri: 'x' } } as never)] })
`,
    )
    const run = await project.run(['--config', 'bad.config.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).not.toBe(0)
    expect(run.output).toContain('[vitest-llm-evals] Invalid llmEvals() options:')
    expect(run.output).toContain('`cassettes.mode`: expected one of "replay", "auto", "record", "passthrough", received "recrod"; did you mean "record"?')
    expect(run.output).toContain('unknown option `cassettes.dri`; allowed here: mode, dir, hosts, redact, normalizeRequest, maxInlineBytes')
    // The message says what to fix: no internal stack (Node prints a stack-less error in brackets) (Vite's, Vitest's, the library's frames) or hook details after it.
    expect(run.output).not.toMatch(/^\s+at /m)
    expect(run.output).not.toContain("hook: 'config'")
    const message = run.output.slice(run.output.indexOf('ConfigError: '))
    expect(message.trimEnd().split('\n').at(-1)).toMatch(/^See the options in .*configuration\.md\.\]?$/)
  })

  test('an un-awaited matcher fails its test under the plugin, also when the test has a cassette miss', async () => {
    writeFileSync(
      project.path('guard.config.ts'),
      `import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'
export default defineConfig({ plugins: [llmEvals({ history: false, report: false })], test: { include: ['guard/*.test.ts'] } })
`,
    )
    mkdirSync(project.path('guard'), { recursive: true })
    writeFileSync(
      project.path('guard', 'guard.test.ts'),
      `import OpenAI from 'openai'
import { expect, test } from 'vitest'
test('awaited', async () => {
  await expect('same').toBeSimilarTo('same')
})
test('not awaited', () => {
  void expect('same').toBeSimilarTo('same')
})
test('not awaited, and a request with no recording that the app swallows', async () => {
  void expect('same').toBeSimilarTo('same')
  await new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'never recorded' }] }).catch(() => undefined)
})
`,
    )
    const run = await project.run(['--config', 'guard.config.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('Tests  2 failed | 1 passed')
    expect(run.output).toContain('FAIL  guard/guard.test.ts > not awaited')
    expect(run.output.match(/\[vitest-llm-evals\] \`expect\(output\)\.toBeSimilarTo\(…\)\` was not awaited/g)).toHaveLength(2)
    // The test's own line is the call site shown.
    expect(run.output).toMatch(/guard\.test\.ts:7:\d+/)
    // Both problems of the last test are reported: the guard's error, caused by the cassette miss.
    expect(run.output).toContain('No recording for POST https://api.openai.com/v1/chat/completions')
  })
})
