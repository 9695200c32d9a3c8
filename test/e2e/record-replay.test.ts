import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

const OPENAI_KEY = 'sk-proj-livekey0123456789abcdef'
const ANTHROPIC_KEY = 'sk-ant-api03-livekey0123456789'

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex')
const cassetteFiles = (project: FixtureProject) => readdirSync(project.path('__cassettes__')).filter((name) => name.endsWith('.json')).sort()
const cassetteHashes = (project: FixtureProject) => cassetteFiles(project).map((name) => hashOf(project.read('__cassettes__', name)))

describe('record then replay real SDK traffic', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: { code: number | null; output: string }

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('sdk-calls')
    recorded = await project.run(
      [],
      cleanEnv({
        OPENAI_BASE_URL: server.openaiBaseURL,
        ANTHROPIC_BASE_URL: server.anthropicBaseURL,
        OPENAI_API_KEY: OPENAI_KEY,
        ANTHROPIC_API_KEY: ANTHROPIC_KEY,
        RESULTS_FILE: project.path('recorded.jsonl'),
      }),
    )
    await server.close()
  })

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('auto mode records every call style to one cassette per test file', () => {
    expect(recorded.output).toContain('Tests  10 passed')
    expect(cassetteFiles(project)).toEqual(['anthropic.test.ts.cassette.json', 'openai.test.ts.cassette.json'])
    const openai = JSON.parse(project.read('__cassettes__', 'openai.test.ts.cassette.json')) as { entries: { test: string; response: { chunks?: string[] } }[] }
    expect(openai.entries.map((entry) => entry.test)).toContain('chat completions > repeated identical requests')
    const streamed = openai.entries.find((entry) => entry.test === 'chat completions > stream: true')
    expect(streamed?.response.chunks?.length).toBeGreaterThan(2)
  })

  test('no key value and no auth header reaches disk', () => {
    for (const name of cassetteFiles(project)) {
      const text = project.read('__cassettes__', name)
      expect(text).not.toContain(OPENAI_KEY)
      expect(text).not.toContain(ANTHROPIC_KEY)
      expect(text).not.toMatch(/authorization|x-api-key|x-stainless/i)
    }
  })

  test('replay with the endpoint gone and no keys gives byte-for-byte the same results, and writes nothing', async () => {
    const before = cassetteHashes(project)
    const replayed = await project.run([], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replayed.output).toContain('Tests  10 passed')
    expect(replayed.output).toMatch(/cassettes \[replay\]: 11 replayed, 0 recorded/)
    expect(project.read('replayed.jsonl').split('\n').sort()).toEqual(project.read('recorded.jsonl').split('\n').sort())
    expect(cassetteHashes(project)).toEqual(before)
  })

  test('replay also works while the base URLs still point at the dead endpoint', async () => {
    const replayed = await project.run([], cleanEnv({ CI: 'true', OPENAI_BASE_URL: server.openaiBaseURL, ANTHROPIC_BASE_URL: server.anthropicBaseURL }))
    expect(replayed.output).toContain('Tests  10 passed')
  })

  test('a never-recorded request fails with the request, test, cassette, nearest recording and command; the cassette is untouched', async () => {
    const before = cassetteHashes(project)
    const file = project.path('openai.test.ts')
    const source = readFileSync(file, 'utf8')
    writeFileSync(file, source.replace("ask('hello')", "ask('hello there')"))
    try {
      const run = await project.run([], cleanEnv({ CI: 'true' }))
      expect(run.code).toBe(1)
      expect(run.output).toContain('[vitest-llm-evals] No recording for POST https://api.openai.com/v1/chat/completions (cassette mode: replay).')
      expect(run.output).toContain('Test:     chat completions > plain')
      expect(run.output).toContain('Cassette: __cassettes__/openai.test.ts.cassette.json')
      expect(run.output).toContain('body.messages[0].content: recorded "hello", received "hello there"')
      expect(run.output).toContain('To record it: LLM_EVALS_CASSETTES=auto npx vitest run openai.test.ts')
      expect(run.output).toContain('Tests  1 failed | 9 passed')
      // The run's last line counts the miss too, and says where to see it.
      expect(run.output).toMatch(/LLM evals: .*cassettes \[replay\]: \d+ replayed, 0 recorded, 1 missing \(`npx llm-evals cassettes check` lists them\)/)
      expect(cassetteHashes(project)).toEqual(before)
    } finally {
      writeFileSync(file, source)
    }
  })

  test('a miss fails the test even when the app swallows the error', async () => {
    writeFileSync(
      project.path('swallow.test.ts'),
      `import OpenAI from 'openai'
import { test } from 'vitest'
test('swallows', async () => {
  try {
    await new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'never recorded' }] })
  } catch {
    // the app falls back silently
  }
})
`,
    )
    const run = await project.run(['swallow.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('CassetteMissError')
    expect(run.output).toContain('Nothing was recorded for POST /v1/chat/completions in this cassette.')
    expect(project.exists('__cassettes__', 'swallow.test.ts.cassette.json')).toBe(false)
  })

  test('auto mode without a key replays what exists and explains what it cannot record', async () => {
    writeFileSync(project.path('nokey.test.ts'), project.read('swallow.test.ts').replace("'swallows'", "'needs a key'"))
    const run = await project.run(['nokey.test.ts'], cleanEnv())
    expect(run.code).toBe(1)
    expect(run.output).toContain('(cassette mode: auto)')
    expect(run.output).toContain('It could not be recorded: OPENAI_API_KEY is not set.')
  })
})

describe('record then replay an app that uses node:http instead of fetch', () => {
  let server: ModelServer
  let other: Server
  let otherURL: string
  let project: FixtureProject

  beforeAll(async () => {
    server = await startModelServer()
    other = createServer((_request, response) => response.end('pong'))
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done))
    otherURL = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
    project = fixture('node-http')
  })

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
    other?.close()
  })

  test('records the node:http call, lazily imported http, parallel identical calls; replays them all with the model endpoint gone', async () => {
    const recorded = await project.run([], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: OPENAI_KEY, OTHER_SERVICE_URL: otherURL, RESULTS_FILE: project.path('recorded.jsonl') }))
    expect(recorded.output).toContain('Tests  5 passed')
    const entries = (file: string) => (JSON.parse(project.read('__cassettes__', `${file}.cassette.json`)) as { entries: { test: string; request: { path: string } }[] }).entries
    expect(entries('client.test.ts').map((entry) => [entry.test, entry.request.path])).toEqual([['a chat completion over node:http(s)', '/v1/chat/completions']])
    expect(entries('lazy-http.test.ts').map((entry) => entry.test)).toEqual(['node:http imported after the first model call still reaches other services'])
    // Three parallel calls, three recordings; the aborted request was never sent.
    expect(entries('parallel.test.ts').map((entry) => entry.test)).toEqual(Array(3).fill('identical requests in parallel each get their own recording'))
    await server.close()

    const replayed = await project.run([], cleanEnv({ CI: 'true', OTHER_SERVICE_URL: otherURL, RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replayed.output).toContain('Tests  5 passed')
    expect(replayed.output).toMatch(/cassettes \[replay\]: 5 replayed, 0 recorded/)
    const sorted = (file: string) => project.read(file).trim().split('\n').sort()
    expect(sorted('replayed.jsonl')).toEqual(sorted('recorded.jsonl'))
  })

  test("recording beside the app's own msw server fails the test with a message saying why and what to do", async () => {
    writeFileSync(
      project.path('own-msw.test.ts'),
      `import OpenAI from 'openai'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, test } from 'vitest'
const mocks = setupServer()
beforeAll(() => mocks.listen({ onUnhandledRequest: 'bypass' }))
afterAll(() => mocks.close())
test('records a call', async () => {
  await new OpenAI({ maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'not recorded yet' }] })
})
`,
    )
    const run = await project.run(['own-msw.test.ts'], cleanEnv({ OPENAI_API_KEY: OPENAI_KEY }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('msw could not start to record model calls in this worker')
    expect(run.output).toContain('Replaying works beside it; to record, run the recording without your own msw server')
  })
})
