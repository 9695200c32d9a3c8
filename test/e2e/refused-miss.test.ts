// A request whose recording was refused (a live secret in the prompt) misses in the next replay: the miss says
// why it was refused and what to do, not "needs a real API key" (the key was there), and never the secret.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

const TOKEN = 'svc-live-7f3a9c1e5b2d8046'

describe('a miss after a refused recording', () => {
  let server: ModelServer
  let project: FixtureProject

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('refused-miss')
  })
  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('says the recording was refused and how to fix it, not that a key is needed', async () => {
    const recording = await project.run([], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef', SERVICE_TOKEN: TOKEN }))
    expect(recording.code).toBe(1)
    expect(recording.output).toContain('SecretLeakError')
    // The cassette keeps no recording, only the mark of the refused call (no request, no response, no secret).
    const stored = project.read('__cassettes__', 'prompt.test.ts.cassette.json')
    expect(JSON.parse(stored)).toMatchObject({ entries: [], unrecorded: [{ reason: 'refused' }] })
    expect(stored).not.toContain(TOKEN)

    const replay = await project.run([], cleanEnv({ CI: 'true', SERVICE_TOKEN: TOKEN }))
    expect(replay.code).toBe(1)
    expect(replay.output).toContain('No recording for POST')
    expect(replay.output).toMatch(/It was not recorded: the last run of this file \(\S+, auto\) refused to store a recording of this test: Refused to write \S+prompt\.test\.ts\.cassette\.json: it would contain the value of SERVICE_TOKEN/)
    expect(replay.output).toContain('The API key was there: the recording was refused')
    expect(replay.output).toContain('`llmEvals({ cassettes: { redact: [...] } })`')
    expect(replay.output).toMatch(/then record again: LLM_EVALS_CASSETTES=auto npx vitest run prompt\.test\.ts -t '\(\?:\^\| \)asks with the service token in the prompt\$' {2}\(see "What is never stored" in \S*cassettes\.md\)/)
    expect(replay.output).not.toContain('needs a real API key')
    expect(replay.output).not.toContain(TOKEN)
  })
})
