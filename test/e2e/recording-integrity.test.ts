// Record once, replay in CI: what a recording run stores must be complete, safe, and replay as recorded,
// across concurrency, trials, redaction, refused recordings, failures and processes sharing a cassette.
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

interface Entry { test: string; repeat: number; call: number; request: { body: unknown }; response: { status: number } }
const LIVE_KEY = 'live-secret-value-0123456789abcdef'

describe('what a recording run stores', () => {
  let server: ModelServer
  let project: FixtureProject
  let recordRun: { output: string; code: number | null }
  const entries = (file: string) => (JSON.parse(project.read('__cassettes__', `${file}.cassette.json`)) as { entries: Entry[] }).entries
  const liveEnv = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_KEY, ...extra })
  const results = (file: string, prefix = '') =>
    readFileSync(project.path(file), 'utf8').split('\n').filter((line) => line.startsWith(`{"name":"${prefix}`)).sort()

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('integrity')
    // Every attempt at the embeddings endpoint is overloaded; the Responses API does not know the model.
    server.enqueue({ path: '/v1/embeddings', status: 503, times: 3, retryAfter: 0 })
    const unknownModel = { message: 'The model `no-such-model` does not exist', type: 'invalid_request_error', code: 'model_not_found' }
    server.enqueue({ path: '/v1/responses', status: 404, error: unknownModel, times: 2 })
    recordRun = await project.run([], liveEnv({ LLM_EVALS_CASSETTES: 'record', RESULTS_FILE: project.path('recorded.jsonl') }))
  }, 120_000)

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('record keeps every trial of cases that run concurrently, and they replay in order', async () => {
    const stored = entries('trials.test.ts')
    expect(stored).toHaveLength(15)
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      expect(stored.filter((entry) => entry.test === `trials > ${id}`).map((entry) => entry.call)).toEqual([0, 1, 2])
    }
    const replay = await project.run(['trials.test.ts'], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replay.output).toContain('Tests  5 passed')
    expect(results('replayed.jsonl')).toEqual(results('recorded.jsonl').filter((line) => /"name":"[a-e]#/.test(line)))
  })

  test('a redacted prompt or test name still replays, and auto does not record it again', async () => {
    const text = project.read('__cassettes__', 'redaction.test.ts.cassette.json')
    for (const secret of ['cust_8f3k2x', 'cust_9q7w1z', 'acme-internal-token', 'sk-abcdefghijklmnopqrstuvwx']) expect(text).not.toContain(secret)
    expect(entries('redaction.test.ts').map((entry) => entry.test).sort()).toEqual([
      'customer lookup',
      'internal token',
      'mentions bearer authentication',
      'orders of [REDACTED]',
      'quotes a key-shaped string',
    ])

    rmSync(project.path('replayed.jsonl'), { force: true })
    const replay = await project.run(['redaction.test.ts'], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replay.output).toContain('Tests  5 passed')
    const recordedNames = ['bearer', 'key-shaped', 'customer', 'internal', 'named']
    const pick = (lines: string[]) => lines.filter((line) => recordedNames.some((name) => line.startsWith(`{"name":"${name}"`)))
    // Redaction changes what is stored, the answer included; the prose "Bearer authentication" is no secret.
    const redacted = pick(results('recorded.jsonl')).map((line) => line.replace(/cust_8f3k2x|acme-internal-token|sk-abcdefghijklmnopqrstuvwx/g, '[REDACTED]'))
    expect(pick(results('replayed.jsonl'))).toEqual(redacted)
    expect(redacted.join('\n')).toContain('Explain Bearer authentication in one line.')

    const calls = server.requests.length
    const auto = await project.run(['redaction.test.ts'], liveEnv())
    expect(auto.output).toContain('Tests  5 passed')
    expect(server.requests.length).toBe(calls)
    expect(project.read('__cassettes__', 'redaction.test.ts.cassette.json')).toBe(text)

    // A full record run prunes tests that no longer exist: a redacted name is still a test that exists.
    const record = await project.run(['redaction.test.ts'], liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(record.output).toContain('Tests  5 passed')
    expect(entries('redaction.test.ts')).toHaveLength(5)
  })

  test("a refused recording keeps the file's other recordings, and no key reaches disk", () => {
    expect(recordRun.output).toContain('SecretLeakError')
    expect(recordRun.output).toContain('OPENAI_API_KEY')
    expect(entries('leak.test.ts').map((entry) => entry.test)).toEqual(['harmless after', 'harmless before'])
    expect(project.read('__cassettes__', 'leak.test.ts.cassette.json')).not.toContain(LIVE_KEY)
    // The summary counts what was written (no retried failure, no refused recording), and the refusal.
    const written = ['trials', 'redaction', 'leak', 'failures', 'query-key'].reduce((sum, file) => sum + entries(`${file}.test.ts`).length, 0)
    expect(recordRun.output).toContain(`cassettes [record]: 0 replayed, ${written} recorded, 1 refused`)
  })

  test('a replay miss whose request holds the live key does not print it', async () => {
    const replay = await project.run(['leak.test.ts', '-t', 'leaks the key'], cleanEnv({ CI: 'true', OPENAI_API_KEY: LIVE_KEY }))
    expect(replay.output).toContain('No recording for POST')
    expect(replay.output).toContain('[REDACTED]')
    expect(replay.output).not.toContain(LIVE_KEY)
    expect(replay.output).not.toContain(LIVE_KEY.slice(-12))
  })

  test('a credential in the query string is neither stored nor part of the key; the rest of the query is', async () => {
    const text = project.read('__cassettes__', 'query-key.test.ts.cassette.json')
    expect(text).not.toContain(LIVE_KEY)
    expect(text).not.toContain('api-key')
    expect(text).toContain('api-version=2025-01-01')
    const replay = await project.run(['query-key.test.ts'], cleanEnv({ CI: 'true', OPENAI_API_KEY: 'another-key-0123456789abcdef', RESULTS_FILE: project.path('query.jsonl') }))
    expect(replay.output).toContain('Tests  1 passed')
    expect(results('query.jsonl')).toEqual(results('recorded.jsonl', 'query-key'))
  })

  test('a final retryable failure is not stored; a replayed API error is the one received, and a test it fails says it is a recording', async () => {
    expect(server.requests.filter((request) => request.path === '/v1/embeddings')).toHaveLength(3)
    expect(entries('failures.test.ts').map((entry) => [entry.test, entry.response.status])).toEqual([
      ['unknown model', 404],
      ['unknown model (not handled) [v2]', 404],
    ])
    const replay = await project.run(['failures.test.ts'], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('failures.jsonl') }))
    expect(replay.output).toContain('2 failed')
    expect(replay.output).toMatch(/No recording for POST https:\/\/api\.openai\.com\/v1\/embeddings/)
    expect(replay.output).toContain('The test was answered with an API error replayed from __cassettes__/failures.test.ts.cassette.json, not returned by the API today:')
    expect(replay.output).toContain('POST /v1/responses: 404, recorded 20')
    expect(replay.output).toContain("LLM_EVALS_CASSETTES=record npx vitest run failures.test.ts -t '(?:^| )unknown model \\(not handled\\) \\[v2\\]$'")
    // The handled error replays byte for byte: its test passes as it did when recorded.
    expect(results('failures.jsonl', 'unknown-model')).toEqual(results('recorded.jsonl', 'unknown-model'))
    expect(replay.output).not.toContain('unknown model > ')
  })
})

describe('Vitest retry, repeats of a run, and refused re-recordings', () => {
  let server: ModelServer
  let project: FixtureProject
  const liveEnv = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_KEY, ...extra })
  const stored = (file: string) =>
    (JSON.parse(project.read('__cassettes__', `${file}.cassette.json`)) as { entries: { test: string; call: number; request: { body: { messages: { content: string }[] } } }[] }).entries
  beforeEach(async () => {
    server = await startModelServer()
    project = fixture('tries')
  })
  afterEach(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  for (const mode of ['record', 'auto']) {
    test(`${mode}: what replays is the passing retry, not the failed try`, async () => {
      for (const content of ['warm', 'Lyon', 'Paris']) server.enqueue({ content })
      const run = await project.run(['vitest-retry.test.ts'], liveEnv({ LLM_EVALS_CASSETTES: mode }))
      expect(run.output).toContain('Tests  2 passed')
      const replay = await project.run(['vitest-retry.test.ts'], cleanEnv({ CI: 'true' }))
      expect(replay.output).toContain('Tests  2 passed')
    })

    test(`${mode}: a 429 retried by the app itself (no SDK retry header) replays in order`, async () => {
      server.enqueue({ status: 429, retryAfter: 0 })
      for (const content of ['one', 'two']) server.enqueue({ content })
      const run = await project.run(['manual-retry.test.ts'], liveEnv({ LLM_EVALS_CASSETTES: mode }))
      expect(run.output).toContain('Tests  1 passed')
      const replay = await project.run(['manual-retry.test.ts'], cleanEnv({ CI: 'true', OPENAI_BASE_URL: server.openaiBaseURL }))
      expect(replay.output).toContain('Tests  1 passed')
    })
  }

  test("record keeps every call of a passing retry while other concurrent tests' ends write the cassette", async () => {
    const run = await project.run(['interleaved.test.ts'], liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(run.output).toContain('Tests  3 passed')
    expect(stored('interleaved.test.ts').filter((entry) => entry.test === 'c > flaky').map((entry) => [entry.call, entry.request.body.messages[0]?.content])).toEqual([
      [0, 'step 1'],
      [1, 'step 2'],
    ])
  })

  test('a refused re-recording replaces the test\'s recording with its own (the earlier answer to the refused call is not kept beside it): that call misses, saying why', async () => {
    expect((await project.run(['two-calls.test.ts'], liveEnv({ LLM_EVALS_CASSETTES: 'record' }))).output).toContain('Tests  1 passed')
    expect(stored('two-calls.test.ts')).toHaveLength(2)
    // The API now echoes the key in its answer to the second call.
    server.enqueue({ content: 'fine' })
    server.enqueue({ content: `your key ${LIVE_KEY} works` })
    const second = await project.run(['two-calls.test.ts'], liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(second.output).toContain('That recording was not stored')
    expect(stored('two-calls.test.ts').map((entry) => entry.request.body.messages.at(-1)?.content)).toEqual(['first question'])
    const text = project.read('__cassettes__', 'two-calls.test.ts.cassette.json')
    expect(text).not.toContain(LIVE_KEY)
    expect(JSON.parse(text)).toMatchObject({ unrecorded: [{ test: 'two calls', reason: 'refused' }] })
    const replay = await project.run(['two-calls.test.ts'], cleanEnv({ CI: 'true' }))
    expect(replay.code).toBe(1)
    expect(replay.output).toContain('refused to store a recording of this test')
  })

  test('record run again in one long-lived Vitest (watch mode, the UI, an IDE) replaces the previous run\'s recordings', async () => {
    // Not spawnSync: the scripted server answers from this process.
    const child = spawn(process.execPath, ['rerun-in-one-vitest.mjs'], { cwd: project.dir, env: liveEnv({ LLM_EVALS_CASSETTES: 'record' }) })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const code = await new Promise((done) => child.on('close', done))
    expect(code, output).toBe(0)
    expect(server.requests).toHaveLength(2)
    expect(stored('changing.test.ts').map((entry) => entry.request.body.messages[0]?.content)).toEqual(['version two'])
  })
})

describe('processes sharing one cassette', () => {
  let server: ModelServer
  let project: FixtureProject
  beforeAll(async () => {
    server = await startModelServer({ latencyMs: 5 })
    project = fixture('integrity')
  })
  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('projects and parallel runs recording the same test file in auto keep every recording, once', async () => {
    const env = cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_KEY })
    const stored = () => (JSON.parse(project.read('__cassettes__', 'shared.test.ts.cassette.json')) as { entries: Entry[] }).entries
    for (let round = 0; round < 2; round++) {
      rmSync(project.path('__cassettes__'), { recursive: true, force: true })
      // Both projects at once in one run, and a second run of the same file in parallel.
      const [both, again] = await Promise.all([
        project.run(['--config', 'vitest.projects.config.ts', '--maxWorkers=2'], env),
        project.run(['--config', 'vitest.projects.config.ts', '--project', 'first'], env),
      ])
      expect(both.output).toContain('Tests  40 passed')
      expect(again.output).toContain('Tests  20 passed')
      // Per test: each project's own question, and the question both ask, each stored once.
      expect(stored()).toHaveLength(60)
    }
    const replay = await project.run(['--config', 'vitest.projects.config.ts'], cleanEnv({ CI: 'true' }))
    expect(replay.output).toContain('Tests  40 passed')
}, 120_000)
})


describe('hooks that fail or run late', () => {
  let server: ModelServer
  let project: FixtureProject
  const liveEnv = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_KEY, ...extra })
  const prompts = (file: string) =>
    (JSON.parse(project.read('__cassettes__', `${file}.cassette.json`)) as { entries: { request: { body: { messages: { content: string }[] } } }[] }).entries
      .map((entry) => entry.request.body.messages[0]?.content.trim())
      .sort()
  const cli = (args: string[], env = cleanEnv()) =>
    new Promise<{ code: number | null; output: string }>((done) => {
      const child = spawn(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'bin.js'), ...args], { cwd: project.dir, env })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.on('close', (code) => done({ code, output }))
    })
  beforeEach(async () => {
    server = await startModelServer()
    project = fixture('hooks')
  })
  afterEach(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test("prune refuses after a run in which a suite's afterAll failed (its calls were not made)", async () => {
    expect((await project.run(['cleanup.test.ts'], liveEnv())).output).toContain('Tests  1 passed')
    expect(prompts('cleanup.test.ts')).toEqual(['summarise the session', 'work'])
    const failed = await project.run(['cleanup.test.ts'], cleanEnv({ CI: 'true', CLEANUP_FAILS: '1' }))
    expect(failed.code).toBe(1)
    const prune = await cli(['cassettes', 'prune'])
    expect(prune.code).toBe(1)
    expect(prune.output).toContain('with cleanup (a hook of the suite failed)')
    expect(prompts('cleanup.test.ts')).toEqual(['summarise the session', 'work'])
    expect((await project.run(['cleanup.test.ts'], cleanEnv({ CI: 'true' }))).output).toContain('Tests  1 passed')
  })

  test("a user's afterAll that throws loses no recording; a teardown's call after the end of the file is recorded; check sees a later miss", async () => {
    const run = await project.run(['teardown.test.ts'], liveEnv({ TEARDOWN_FAILS: '1' }))
    expect(run.output).toContain('teardown failed')
    expect(prompts('teardown.test.ts')).toEqual(['one', 'three', 'two'])
    expect(run.output).toContain('3 recorded')
    // Without the failure, the teardown runs after the end of the file: its call is recorded too.
    expect((await project.run(['teardown.test.ts'], liveEnv())).code).toBe(0)
    expect(prompts('teardown.test.ts')).toEqual(['one', 'teardown call', 'three', 'two'])

    const miss = await project.run(['teardown.test.ts'], cleanEnv({ CI: 'true', TEARDOWN_FAILS: '1', PROMPT_SUFFIX: 'changed' }))
    expect(miss.output).toContain('No recording for POST')
    const check = await cli(['cassettes', 'check'])
    expect(check.code, check.output).toBe(1)
    expect(check.output).toContain('teardown.test.ts')
  })
})
