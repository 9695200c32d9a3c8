// A stream cut because the test timed out (the app passed Vitest's `context.signal`) is not where the app stops
// reading: storing it would replay the cut forever (an AbortError after a few chunks), even once the timeout is
// raised, since `auto` never asks again for what it has. It is not stored, as before streams stopped by the app were.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

describe('a stream cut by the test timing out', () => {
  let server: ModelServer
  let project: FixtureProject

  beforeAll(async () => {
    server = await startModelServer({ sseGapMs: 150 })
    project = fixture('stream-timeout')
  })
  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('is not recorded', async () => {
    const run = await project.run([], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef' }))
    expect(run.output).toMatch(/timed out in 300ms/)
    const stored = project.exists('__cassettes__', 'slow.test.ts.cassette.json')
      ? (JSON.parse(project.read('__cassettes__', 'slow.test.ts.cassette.json')) as { entries: { response: { aborted?: true } }[] }).entries
      : []
    expect(stored.filter((entry) => entry.response.aborted), run.output).toEqual([])
  })
})
