import { readFileSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

interface Entry { test: string; call: number; response: { status: number; json?: unknown } }
const entries = (project: FixtureProject, file: string) =>
  (JSON.parse(project.read('__cassettes__', `${file}.cassette.json`)) as { entries: Entry[] }).entries
const contents = (project: FixtureProject, file: string) =>
  entries(project, file).map((entry) => [entry.test, (entry.response.json as { choices?: { message: { content: string } }[] })?.choices?.[0]?.message.content])

describe('cassette modes', () => {
  let server: ModelServer
  let project: FixtureProject
  const liveEnv = (extra: NodeJS.ProcessEnv = {}) =>
    cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef', ...extra })

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('modes')
    server.enqueue({ path: '/v1/embeddings', status: 429, retryAfter: 0 })
    const run = await project.run([], liveEnv({ RESULTS_FILE: project.path('recorded.jsonl') }))
    expect(run.output).toContain('Tests  7 passed')
  })

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('concurrent tests each get their own recordings, in order, on replay', async () => {
    const recorded = entries(project, 'concurrent.test.ts')
    expect(recorded).toHaveLength(12)
    for (const name of ['a', 'b', 'c', 'd']) {
      expect(recorded.filter((entry) => entry.test === `concurrent tests > case ${name}`).map((entry) => entry.call)).toEqual([0, 1, 2])
    }
    const replay = await project.run(['concurrent.test.ts'], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replay.output).toContain('Tests  4 passed')
    const lines = (file: string) => readFileSync(project.path(file), 'utf8').split('\n').filter((line) => line.includes('concurrent')).sort()
    expect(lines('replayed.jsonl')).toEqual(lines('recorded.jsonl'))
  })

  test('a retried request is stored once, with its final outcome', () => {
    expect(server.requests.filter((request) => request.path === '/v1/embeddings')).toHaveLength(2)
    const stored = entries(project, 'retry.test.ts')
    expect(stored.map((entry) => [entry.call, entry.response.status])).toEqual([[0, 200]])
  })

  test('record re-records only the tests that run; a filtered run prunes nothing', async () => {
    const before = contents(project, 'lifecycle.test.ts')
    const run = await project.run(['lifecycle.test.ts', '-t', 'first'], liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(run.output).toContain('1 passed')
    const after = contents(project, 'lifecycle.test.ts')
    expect(after.find(([name]) => name === 'second')).toEqual(before.find(([name]) => name === 'second'))
    expect(after.find(([name]) => name === 'first')).not.toEqual(before.find(([name]) => name === 'first'))
    // Re-recording numbers the test's calls from 0 again, so cassettes do not churn run after run.
    expect(entries(project, 'lifecycle.test.ts').map((entry) => [entry.test, entry.call])).toEqual([
      ['first', 0],
      ['second', 0],
    ])
  })

  test('a full record run prunes the recordings of tests that no longer exist', async () => {
    const file = project.path('lifecycle.test.ts')
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^test\('second'.*$/m, ''))
    const run = await project.run(['lifecycle.test.ts'], liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(run.output).toContain('1 passed')
    expect(contents(project, 'lifecycle.test.ts').map(([name]) => name)).toEqual(['first'])
  })

  test('auto mode never prunes', async () => {
    const file = project.path('lifecycle.test.ts')
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^test\('first'.*$/m, "test('third', async () => keep('third', await ask('third')))"))
    await project.run(['lifecycle.test.ts'], liveEnv())
    expect(contents(project, 'lifecycle.test.ts').map(([name]) => name)).toEqual(['first', 'third'])
  })

  test('passthrough neither reads nor writes cassettes', async () => {
    const before = project.read('__cassettes__', 'lifecycle.test.ts.cassette.json')
    const calls = server.requests.length
    const run = await project.run(['lifecycle.test.ts'], liveEnv({ LLM_EVALS_CASSETTES: 'passthrough' }))
    expect(run.output).toContain('1 passed')
    expect(server.requests.length).toBe(calls + 1)
    expect(project.read('__cassettes__', 'lifecycle.test.ts.cassette.json')).toBe(before)
  })

  test('replay works in both worker pools, and without isolation', async () => {
    for (const args of [['--pool=threads'], ['--pool=forks'], ['--no-isolate', '--maxWorkers=1']]) {
      const run = await project.run([...args, 'concurrent.test.ts', 'retry.test.ts'], cleanEnv({ CI: 'true' }))
      expect(run.output, args.join(' ')).toContain('Tests  5 passed')
      expect(run.output, args.join(' ')).toContain('13 replayed, 0 recorded')
    }
  })

  test('normalizeRequest from the config reaches the workers: requests that differ only in what it removes replay', async () => {
    writeFileSync(
      project.path('normalize.config.ts'),
      `import { defineConfig } from 'vitest/config'
import { llmEvals } from 'vitest-llm-evals/plugin'
export default defineConfig({
  plugins: [llmEvals({ cassettes: { normalizeRequest: (request) => ({ ...request, body: JSON.parse(JSON.stringify(request.body).replace(/order \\d+/g, 'order <n>')) }) } })],
  test: { include: ['order.test.ts'] },
})
`,
    )
    const order = (n: number) => `import OpenAI from 'openai'
import { test } from 'vitest'
test('order', async () => {
  await new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'where is order ${n}?' }] })
})
`
    writeFileSync(project.path('order.test.ts'), order(123))
    const recorded = await project.run(['--config', 'normalize.config.ts'], liveEnv())
    expect(recorded.output).toContain('1 recorded')
    writeFileSync(project.path('order.test.ts'), order(456))
    const replayed = await project.run(['--config', 'normalize.config.ts'], cleanEnv({ CI: 'true' }))
    expect(replayed.output).toContain('1 passed')
    expect(replayed.output).toContain('1 replayed, 0 recorded')
  })

  test('a write that would contain a live key is refused and no recording is written', async () => {
    const key = 'gateway-key-a1b2c3d4e5'
    writeFileSync(
      project.path('echo.test.ts'),
      `import OpenAI from 'openai'
import { test } from 'vitest'
test('echo', async () => {
  await new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'echo' }] })
})
`,
    )
    server.enqueue({ path: '/v1/chat/completions', content: `your key is ${key}` })
    const run = await project.run(['echo.test.ts'], liveEnv({ OPENAI_API_KEY: key }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('SecretLeakError')
    expect(run.output).toMatch(/Refused to write .*echo\.test\.ts\.cassette\.json: it would contain the value of OPENAI_API_KEY/)
    // No recording is written: only the mark of the refused call (no request, no response, no key), which a replay in CI reads to say why it misses.
    const stored = project.read('__cassettes__', 'echo.test.ts.cassette.json')
    expect(JSON.parse(stored)).toMatchObject({ entries: [], unrecorded: [{ test: 'echo', reason: 'refused' }] })
    expect(stored).not.toContain(key)
  })
})
