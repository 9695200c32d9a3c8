// A call the recording run sent but did not store (cut off by the test's timeout, cancelled by the app, refused for
// a secret) misses in every later replay. The miss must say why in CI and in a fresh clone too, where the
// recording run's usage report (node_modules/.cache, never committed) is absent: the cassette itself keeps a mark
// of the call, with no response and no secret, which a later recording replaces. Found by users.
import { rmSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

const TOKEN = 'svc-live-7f3a9c1e5b2d8046'

interface StoredCassette {
  entries: { test: string; request: { body: unknown } }[]
  unrecorded?: Record<string, unknown>[]
}

describe('a call the recording run sent but did not store', () => {
  const setup = fixtureWithServer('unrecorded-calls')
  const cassette = (file: string) => JSON.parse(setup.project.read('__cassettes__', `${file}.cassette.json`)) as StoredCassette
  // What a fresh clone (or a CI checkout) lacks: the usage reports of the runs made in this folder.
  const freshClone = () => rmSync(setup.project.path('node_modules', '.cache'), { recursive: true, force: true })
  const replay = (file: string, extra: NodeJS.ProcessEnv = {}) => setup.project.run([file], cleanEnv({ CI: 'true', ...extra }))
  const anthropicEnv = (extra: NodeJS.ProcessEnv = {}) => setup.liveEnv({ ANTHROPIC_BASE_URL: setup.server.anthropicBaseURL, ANTHROPIC_API_KEY: 'sk-ant-api03-livekey0123456789abcdef', ...extra })
  const settle = (ms: number) => new Promise((done) => setTimeout(done, ms))

  test("cut off by describeEval's timeout: a replay in a fresh clone says the test's time ran out", async () => {
    setup.server.enqueue({ content: 'step one' })
    setup.server.enqueue({ content: 'late answer', delayMs: 1500 })
    const recorded = await setup.project.run(['slow.test.ts'], setup.liveEnv())
    expect(recorded.output).toContain('timed out after 1000 ms')
    const marks = cassette('slow.test.ts').unrecorded ?? []
    expect(marks).toMatchObject([{ test: 'slow agent > slow', repeat: 0, occurrence: 0, method: 'POST', path: '/v1/chat/completions', reason: 'test-timeout', mode: 'auto' }])
    expect(JSON.stringify(marks)).not.toContain('then: step one')

    freshClone()
    const replayed = await replay('slow.test.ts')
    expect(replayed.code).toBe(1)
    expect(replayed.output).toContain('No recording for POST')
    expect(replayed.output).toMatch(/It was not recorded: in the run that recorded this cassette \(\S+, auto\) the test's time ran out before this call was answered \(describeEval's `timeout`, or the test's\), and the test's signal aborted it/)
    expect(replayed.output).toContain('Raise the timeout, then record it: LLM_EVALS_CASSETTES=auto npx vitest run slow.test.ts')
    expect(replayed.output).not.toContain('To record it:')
    await settle(800)
  })

  test('cancelled by the app (its own AbortSignal.timeout, through the SDK): the miss says the app cancelled it, not that the test timed out, until a later run records it', async () => {
    // The app's limit must pass after the request is sent (a loaded machine can take 300 ms to get there) and well
    // before the answer comes.
    setup.server.enqueue({ content: 'the order summary', delayMs: 4000 })
    const recorded = await setup.project.run(['cancel.test.ts'], anthropicEnv({ APP_LIMIT_MS: '1500' }))
    expect(recorded.code, recorded.output).toBe(0)
    expect(cassette('cancel.test.ts')).toMatchObject({ entries: [], unrecorded: [{ test: 'falls back when the model is slow', method: 'POST', path: '/v1/messages', reason: 'app-abort' }] })

    freshClone()
    // The app's limit is raised for the replay: under load 300 ms could run out before the replay looks the call up.
    const replayed = await replay('cancel.test.ts', { APP_LIMIT_MS: '5000' })
    expect(replayed.code).toBe(1)
    expect(replayed.output).toContain('No recording for POST')
    expect(replayed.output).toMatch(/It was not recorded: in the run that recorded this cassette \(\S+, auto\) the app under test cancelled this call before it was answered \(its own AbortSignal, or its SDK client's `timeout`, aborted it; the test's own time had not run out\)/)
    expect(replayed.output).not.toContain("the test's time ran out")
    expect(replayed.output).not.toContain('To record it:')
    await settle(4000)

    // The mark never answers a request: the next auto run records the call for real, and the mark goes.
    const before = setup.server.requests.length
    setup.server.enqueue({ content: 'the order summary' })
    const rerecorded = await setup.project.run(['cancel.test.ts'], anthropicEnv({ APP_LIMIT_MS: '5000' }))
    expect(rerecorded.code, rerecorded.output).toBe(0)
    expect(setup.server.requests.length).toBe(before + 1)
    const stored = cassette('cancel.test.ts')
    expect(stored.entries).toHaveLength(1)
    expect(stored.unrecorded).toBeUndefined()

    freshClone()
    const again = await replay('cancel.test.ts', { APP_LIMIT_MS: '5000' })
    expect(again.code, again.output).toBe(0)
  })

  test('refused for a secret: a replay in a fresh clone says it was refused and why, never the secret', async () => {
    setup.server.enqueue({ content: 'yes' })
    const recorded = await setup.project.run(['secret.test.ts'], setup.liveEnv({ SERVICE_TOKEN: TOKEN }))
    expect(recorded.code).toBe(1)
    expect(recorded.output).toContain('SecretLeakError')
    const text = setup.project.read('__cassettes__', 'secret.test.ts.cassette.json')
    expect(text).not.toContain(TOKEN)
    expect(JSON.parse(text)).toMatchObject({ entries: [], unrecorded: [{ test: 'asks with the service token in the prompt', reason: 'refused', detail: expect.stringContaining('it would contain the value of SERVICE_TOKEN') }] })

    freshClone()
    const replayed = await replay('secret.test.ts', { SERVICE_TOKEN: TOKEN })
    expect(replayed.code).toBe(1)
    expect(replayed.output).toMatch(/It was not recorded: the run that recorded this cassette \(\S+, auto\) refused to store a recording of this test: Refused to write __cassettes__\/secret\.test\.ts\.cassette\.json: it would contain the value of SERVICE_TOKEN/)
    expect(replayed.output).toContain('The API key was there: the recording was refused')
    expect(replayed.output).not.toContain('needs a real API key')
    expect(replayed.output).not.toContain(TOKEN)

    // Re-recorded (`record`) without the secret in the prompt: the test's recordings replace its marks.
    setup.server.enqueue({ content: 'yes' })
    const rerecorded = await setup.project.run(['secret.test.ts'], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(rerecorded.code, rerecorded.output).toBe(0)
    expect(cassette('secret.test.ts')).toMatchObject({ entries: [{ test: 'asks with the service token in the prompt' }] })
    expect(cassette('secret.test.ts').unrecorded).toBeUndefined()
  })

  test('left running by a finished test that was not cut off: filed under the running test (it may be its own call, sent by a queue the other made), and the run warns once, naming both tests', async () => {
    for (const content of ['one', 'two', 'own']) setup.server.enqueue({ content })
    const recorded = await setup.project.run(['leftover.test.ts'], setup.liveEnv())
    expect(recorded.code, recorded.output).toBe(0)
    const warnings = recorded.output.split('\n').filter((line) => line.includes('arrived after that test ended'))
    expect(warnings, recorded.output).toHaveLength(1)
    expect(warnings[0]).toContain('A model call (POST ')
    expect(warnings[0]).toContain(' in leftover.test.ts was started in the context of test "starts an agent it does not await" but arrived after that test ended, while test "asks its own question" was running: it is recorded and replayed under "asks its own question"')
    expect(warnings[0]).toContain('await it in "starts an agent it does not await"')
  })
})
