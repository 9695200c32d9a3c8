// A stream the app aborts before its first chunk arrived (a time-to-first-token timeout, `stream.controller.abort()`
// right after the call) is recorded as such, like one aborted later: before, it was dropped silently, so `auto`
// passed and every replay in CI missed it.
import { describe, expect, test } from 'vitest'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { readResponse, replayResponse } from '../../../src/cassettes/responses.js'

function erroredStream(error: unknown, chunks: string[] = []): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.error(error)
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
}

const abortError = () => new DOMException('This operation was aborted', 'AbortError')

describe('a stream aborted before its first chunk', () => {
  test('is stored with no chunks, marked aborted, and replays as the same abort', async () => {
    const { response } = await readResponse(erroredStream(abortError()), 1024, () => true)
    expect(response).toMatchObject({ chunks: [], aborted: true })
    const entry = { test: 't', repeat: 0, call: 0, role: 'app', request: { url: 'u', method: 'POST', path: '/', query: {}, headers: {} }, response, meta: { recordedAt: '2026-12-01T00:00:00.000Z', latencyMs: 1 } } as CassetteEntry
    await expect(replayResponse(entry, '/nowhere.cassette.json').text()).rejects.toMatchObject({ name: 'AbortError' })
  })

  test('a network failure (the app did not abort) is still not stored, with or without chunks', async () => {
    await expect(readResponse(erroredStream(new TypeError('terminated')), 1024, () => false)).rejects.toThrow('terminated')
    await expect(readResponse(erroredStream(new TypeError('terminated'), ['data: {}\n\n']), 1024, () => false)).rejects.toThrow('terminated')
  })
})
