// Two `auto` processes (here two of `test.projects`, run at once) send the same request before either has
// recorded it: the cassette stores it once, and the run's last line says the other call was sent live too,
// rather than hiding it (it counts what the cassettes stored).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

describe('two processes recording the same request into one cassette', () => {
  let server: ModelServer
  let project: FixtureProject

  beforeAll(async () => {
    // Replies slow enough that both processes look the request up (loading the session first) before either records it.
    server = await startModelServer({ latencyMs: 2000 })
    project = fixture('shared-live')
  })
  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('store it once, and the last line counts the call the cassette did not keep as sent live', async () => {
    const run = await project.run([], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef' }))
    expect(run.code, run.output).toBe(0)
    expect(run.output).toContain('Tests  2 passed')
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(2)
    const { entries } = JSON.parse(project.read('__cassettes__', 'same.test.ts.cassette.json')) as { entries: unknown[] }
    expect(entries).toHaveLength(1)
    expect(run.output).toContain('cassettes [auto]: 0 replayed, 1 recorded, 1 sent live but already recorded by another process — commit the __cassettes__ changes')

    // Both replay it.
    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
    expect(replay.output).toContain('cassettes [replay]: 2 replayed, 0 recorded')
  })
})
