// Multipart uploads (audio transcriptions, image edits) are keyed by their parts (names, filenames, content types,
// content hashes), not by the random boundary the SDK draws for each request: before, such a call never replayed and
// every `auto` run sent it again and added an entry. Records against the scripted server with the OpenAI SDK, then
// replays with neither server nor key, then runs `auto` again. Runs the build (`npm run build` first).
import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { recordOnce } from './record-once.js'
import { cleanEnv } from './run-fixture.js'

function script(server: ModelServer): void {
  server.enqueue({ path: '/v1/audio/transcriptions', json: { text: 'Hello, I want a refund.' } })
  server.enqueue({ path: '/v1/audio/transcriptions', json: { text: 'first' } })
  server.enqueue({ path: '/v1/audio/transcriptions', json: { text: 'second' } })
  server.enqueue({ path: '/v1/images/edits', json: { created: 1, data: [{ url: 'https://example.com/hat.png' }] } })
}

describe('multipart uploads record once and replay', () => {
  const once = recordOnce('multipart-uploads', script)
  const cassette = () => once.project.read('__cassettes__', 'uploads.test.ts.cassette.json')

  test('records each upload by its parts: no boundary, no file bytes', () => {
    expect(once.recorded.output).toContain('Tests  3 passed')
    const stored = JSON.parse(cassette()) as { entries: { request: { body: Record<string, unknown> } }[] }
    expect(stored.entries).toHaveLength(4)
    const bodies = stored.entries.map((entry) => entry.request.body)
    expect(bodies).toContainEqual(expect.objectContaining({ model: 'whisper-1', file: expect.objectContaining({ filename: 'note.wav', contentType: 'audio/wav', sha256: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) }) }))
    expect(bodies).toContainEqual(expect.objectContaining({ prompt: 'Add a hat', image: expect.objectContaining({ filename: 'cat.png', contentType: 'image/png' }) }))
    expect(cassette()).not.toMatch(/boundary|WAVEfmt/)
  })

  test('replays in CI with no server and no key, cassette untouched', async () => {
    const { run, untouched } = await once.replay()
    expect(run.output).toContain('Tests  3 passed')
    expect(untouched).toBe(true)
  }, 120_000)

  test('an `auto` run again replays every upload: nothing sent, no entry added', async () => {
    const before = createHash('sha256').update(cassette()).digest('hex')
    const server = await startModelServer()
    try {
      const run = await once.project.run([], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test-e2e-openai', LLM_EVALS_CASSETTES: 'auto' }))
      expect(run.output).toContain('Tests  3 passed')
      expect(server.requests).toHaveLength(0)
    } finally {
      await server.close()
    }
    expect(createHash('sha256').update(cassette()).digest('hex')).toBe(before)
  }, 120_000)
})
