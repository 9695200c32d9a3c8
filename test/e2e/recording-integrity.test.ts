// Record once, replay in CI: what a recording run stores must be complete, safe, and replay as recorded,
// across concurrency, trials, redaction, refused recordings, failures and processes sharing a cassette.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

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
    server.enqueue({ path: '/v1/responses', status: 404, error: { message: 'The model `no-such-model` does not exist', type: 'invalid_request_error', code: 'model_not_found' } })
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
    for (const secret of ['cust_8f3k2x', 'acme-internal-token', 'sk-abcdefghijklmnopqrstuvwx']) expect(text).not.toContain(secret)
    expect(entries('redaction.test.ts').map((entry) => entry.test).sort()).toEqual(['customer lookup', 'internal token', 'mentions bearer authentication', 'quotes a key-shaped string'])

    rmSync(project.path('replayed.jsonl'), { force: true })
    const replay = await project.run(['redaction.test.ts'], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replay.output).toContain('Tests  4 passed')
    const recordedNames = ['bearer', 'key-shaped', 'customer', 'internal']
    const pick = (lines: string[]) => lines.filter((line) => recordedNames.some((name) => line.startsWith(`{"name":"${name}"`)))
    // Redaction changes what is stored, the answer included; the prose "Bearer authentication" is no secret.
    const redacted = pick(results('recorded.jsonl')).map((line) => line.replace(/cust_8f3k2x|acme-internal-token|sk-abcdefghijklmnopqrstuvwx/g, '[REDACTED]'))
    expect(pick(results('replayed.jsonl'))).toEqual(redacted)
    expect(redacted.join('\n')).toContain('Explain Bearer authentication in one line.')

    const calls = server.requests.length
    const auto = await project.run(['redaction.test.ts'], liveEnv())
    expect(auto.output).toContain('Tests  4 passed')
    expect(server.requests.length).toBe(calls)
    expect(project.read('__cassettes__', 'redaction.test.ts.cassette.json')).toBe(text)
  })

  test("a refused recording keeps the file's other recordings, and no key reaches disk", () => {
    expect(recordRun.output).toContain('SecretLeakError')
    expect(recordRun.output).toContain('OPENAI_API_KEY')
    expect(entries('leak.test.ts').map((entry) => entry.test)).toEqual(['harmless after', 'harmless before'])
    expect(project.read('__cassettes__', 'leak.test.ts.cassette.json')).not.toContain(LIVE_KEY)
  })

  test('a final retryable failure is not stored; a stored failure replays saying it is a recording', async () => {
    expect(server.requests.filter((request) => request.path === '/v1/embeddings')).toHaveLength(3)
    expect(entries('failures.test.ts').map((entry) => [entry.test, entry.response.status])).toEqual([['unknown model', 404]])
    const replay = await project.run(['failures.test.ts'], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('failures.jsonl') }))
    expect(replay.output).toContain('1 failed')
    expect(replay.output).toMatch(/No recording for POST https:\/\/api\.openai\.com\/v1\/embeddings|No recording for POST http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings/)
    const [replayed] = results('failures.jsonl', 'unknown-model')
    expect(replayed).toContain('does not exist')
    expect(replayed).toContain('replayed from __cassettes__/failures.test.ts.cassette.json')
    expect(replayed).toContain('LLM_EVALS_CASSETTES=record')
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

test('each watch-mode rerun is a new recording run (record replaces what was recorded before it)', () => {
  const project = fixture('watch')
  try {
    const run = spawnSync(process.execPath, [project.path('watch-twice.mjs')], { cwd: project.dir, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 })
    const starts = [...run.stdout.matchAll(/RUN-STARTED-AT (\d+)/g)].map((match) => Number(match[1]))
    expect(starts).toHaveLength(2)
    expect(starts[1]).toBeGreaterThan(starts[0] ?? Infinity)
  } finally {
    project.remove()
  }
})
