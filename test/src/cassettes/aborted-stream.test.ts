// A stream the app aborts before its first chunk arrived (a time-to-first-token timeout, `stream.controller.abort()`
// right after the call) is recorded as such, like one aborted later: before, it was dropped silently, so `auto`
// passed and every replay in CI missed it.
import { describe, expect, test } from 'vitest'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { EVENT_STREAM_TYPE } from '../../../src/cassettes/event-stream-store.js'
import { encodeEventMessage } from '../../../src/cassettes/event-stream.js'
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

describe('an AWS event stream (Bedrock) the app aborts part-way', () => {
  const message = (text: string) => encodeEventMessage({ headers: [[':event-type', { type: 'string', value: 'contentBlockDelta' }], [':content-type', { type: 'string', value: 'application/json' }], [':message-type', { type: 'string', value: 'event' }]], payload: new TextEncoder().encode(JSON.stringify({ delta: { text } })) })

  function cutEventStream(error: unknown): Response {
    const first = message('one ')
    const second = message('two ')
    // Half of the next message had arrived when the app aborted.
    const parts = [first, second.slice(0, 10)]
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const part = parts.shift()
        if (part) controller.enqueue(part)
        else controller.error(error)
      },
    })
    return new Response(body, { headers: { 'content-type': EVENT_STREAM_TYPE } })
  }

  test('is stored as far as whole messages arrived, marked aborted, and replays as the same abort', async () => {
    const { response } = await readResponse(cutEventStream(abortError()), 64 * 1024, () => true)
    expect(response.aborted).toBe(true)
    expect(response.events?.map((event) => JSON.stringify(event.json))).toEqual([JSON.stringify({ delta: { text: 'one ' } })])
    const entry = { test: 't', repeat: 0, call: 0, role: 'app', request: { url: 'u', method: 'POST', path: '/', query: {}, headers: {} }, response, meta: { recordedAt: '2026-12-01T00:00:00.000Z', latencyMs: 1 } } as CassetteEntry
    const reader = replayResponse(entry, '/nowhere.cassette.json').body!.getReader()
    expect((await reader.read()).done).toBe(false)
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' })
  })

  test('above maxInlineBytes, what arrived is stored too (as events, marked aborted), not dropped', async () => {
    // The whole message that arrived is larger than the limit: before, the recording failed and nothing was stored.
    const limit = message('one ').byteLength - 1
    const { response } = await readResponse(cutEventStream(abortError()), limit, () => true)
    expect(response.aborted).toBe(true)
    expect(response.events?.map((event) => JSON.stringify(event.json))).toEqual([JSON.stringify({ delta: { text: 'one ' } })])
  })

  test('cut by the network, it is not stored', async () => {
    await expect(readResponse(cutEventStream(new TypeError('terminated')), 64 * 1024, () => false)).rejects.toThrow('terminated')
  })
})
