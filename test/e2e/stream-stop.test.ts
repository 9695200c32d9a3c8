// An app that stops reading a stream part-way aborts its request: what had arrived is the recording, so the
// test replays in CI (before, nothing was stored and every replay missed), and errors where it was cut.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

describe('a stream the app stops reading', () => {
  let server: ModelServer
  let project: FixtureProject

  beforeAll(async () => {
    // A gap between chunks, as a real API streams: the app stops before the stream ends.
    server = await startModelServer({ sseGapMs: 20 })
    project = fixture('stream-stop')
  })
  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('is recorded as far as it arrived, and replays', async () => {
    const env = cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, ANTHROPIC_BASE_URL: server.anthropicBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef', ANTHROPIC_API_KEY: 'sk-ant-livekey0123456789abcdef' })
    const record = await project.run([], env)
    expect(record.code, record.output).toBe(0)
    expect(record.output).toContain('3 recorded')
    const { entries } = JSON.parse(project.read('__cassettes__', 'stop.test.ts.cassette.json')) as { entries: { test: string; response: { chunks?: string[]; aborted?: true } }[] }
    expect(entries.map((entry) => entry.test).sort()).toEqual(['a timer aborts a raw fetch stream', 'aborts an Anthropic stream', 'breaks out of an OpenAI stream'])
    for (const entry of entries) {
      expect(entry.response.chunks?.join('')).not.toMatch(/\[DONE\]|message_stop/)
      expect(entry.response.aborted).toBe(true)
    }

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
    // The timer's abort comes after the stored part on replay too: the stream errors where it was cut.
    expect(replay.output).toContain('3 replayed, 0 recorded')
  })
})
