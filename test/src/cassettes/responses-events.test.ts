import { describe, expect, test } from 'vitest'
import type { CassetteEntry, StoredEvent } from '../../../src/cassettes/entry.js'
import { eventChunks } from '../../../src/cassettes/event-stream-store.js'
import { missResponse, readResponse, replayResponse } from '../../../src/cassettes/responses.js'

const headers = (type: string) => ({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' })
const events: StoredEvent[] = [
  { headers: headers('messageStart'), json: { role: 'assistant' } },
  ...['Par', 'is'].map((text) => ({ headers: headers('contentBlockDelta'), json: { contentBlockIndex: 0, delta: { text } } })),
  { headers: headers('messageStop'), json: { stopReason: 'end_turn' } },
]
const TYPE = { 'content-type': 'application/vnd.amazon.eventstream' }
const wire = Buffer.concat(eventChunks(events))
const entry = { response: { status: 200, headers: TYPE, events } } as unknown as CassetteEntry

describe('AWS event stream responses', () => {
  test('a live event stream is read into decoded events with its content type', async () => {
    const { response, sidecar } = await readResponse(new Response(wire, { headers: TYPE }), 1024 * 1024)
    expect(sidecar).toBeUndefined()
    expect(response).toEqual({ status: 200, headers: TYPE, events })
  })

  test('a malformed or too large event stream is kept as its bytes, in a binary sidecar', async () => {
    const cut = wire.subarray(0, wire.byteLength - 3)
    expect((await readResponse(new Response(cut, { headers: TYPE }), 1024 * 1024)).sidecar).toEqual({ bytes: new Uint8Array(cut), extension: 'bin' })
    expect((await readResponse(new Response(wire, { headers: TYPE }), 16)).sidecar?.extension).toBe('bin')
  })

  test('replays one framed message per chunk', async () => {
    const chunks: string[] = []
    for await (const chunk of replayResponse(entry, '/tmp/unused.cassette.json').body ?? []) chunks.push(Buffer.from(chunk).toString('hex'))
    expect(chunks).toEqual(eventChunks(events).map((message) => Buffer.from(message).toString('hex')))
  })

  test('stops with the abort reason when the signal aborts mid-stream', async () => {
    const controller = new AbortController()
    const reader = (replayResponse(entry, '/tmp/unused.cassette.json', controller.signal).body as ReadableStream<Uint8Array>).getReader()
    expect((await reader.read()).done).toBe(false)
    controller.abort(new Error('client gave up'))
    await expect(reader.read()).rejects.toThrowError('client gave up')
  })

  test("a miss answers the AWS SDK in its error shape, so it throws the library's message, not an UnknownError", async () => {
    const miss = missResponse('No recording for POST /model/m/converse.', true)
    expect(miss.status).toBe(400)
    expect(miss.headers.get('x-amzn-errortype')).toBe('CassetteMissException')
    expect(await miss.json()).toEqual({ message: '[vitest-llm-evals] No recording for POST /model/m/converse.' })
  })
})
