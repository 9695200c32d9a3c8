import { describe, expect, test } from 'vitest'
import type { CassetteEntry, StoredResponse } from '../../../src/cassettes/entry.js'
import { replayResponse } from '../../../src/cassettes/responses.js'

const replay = (response: StoredResponse, signal?: AbortSignal) => replayResponse({ response } as CassetteEntry, '/tmp/unused.cassette.json', signal)
const headersOf = (response: Response) => Object.fromEntries(response.headers)

describe('replayResponse', () => {
  test('a JSON body replays as its JSON text, with its length, the stored headers and the replay marker', async () => {
    const response = replay({ status: 200, statusText: 'OK', headers: { 'content-type': 'application/json', 'openai-version': '2020-10-01' }, json: { answer: 'Paris', n: 'é' } })
    const text = '{"answer":"Paris","n":"é"}'
    expect(await response.text()).toBe(text)
    expect(headersOf(response)).toEqual({ 'content-type': 'application/json', 'openai-version': '2020-10-01', 'content-length': String(Buffer.byteLength(text)), 'x-llm-evals-cassette': 'replayed' })
    expect([response.status, response.statusText]).toEqual([200, 'OK'])
  })

  test('a JSON body stored without a content type gets none (not text/plain)', () => {
    expect(replay({ status: 200, headers: {}, json: [1] }).headers.get('content-type')).toBeNull()
  })

  test('a recorded retryable failure tells the SDK not to retry, replacing a stored header whatever its case', () => {
    const response = replay({ status: 529, headers: { 'Content-Type': 'application/json', 'X-Should-Retry': 'true' }, json: { error: 'overloaded' } })
    expect(headersOf(response)).toEqual({ 'content-type': 'application/json', 'x-should-retry': 'false', 'content-length': '22', 'x-llm-evals-cassette': 'replayed' })
  })

  test('a text body and an empty one replay as stored', async () => {
    expect(await replay({ status: 200, headers: { 'content-type': 'text/plain' }, text: 'plain' }).text()).toBe('plain')
    expect(replay({ status: 204, headers: {} }).body).toBeNull()
  })

  test('a stream replays its chunks one per read, only as the app reads, and stops at an abort between reads', async () => {
    const controller = new AbortController()
    const chunks = ['data: {"a":1}\n\n', 'data: {"b":2}\n\n', 'data: [DONE]\n\n']
    const reader = (replay({ status: 200, headers: { 'content-type': 'text/event-stream' }, chunks }, controller.signal).body as ReadableStream<Uint8Array>).getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toBe(chunks[0])
    controller.abort(new Error('client gave up'))
    await expect(reader.read()).rejects.toThrow('client gave up')
    const all: string[] = []
    for await (const chunk of replay({ status: 200, headers: {}, chunks }).body ?? []) all.push(new TextDecoder().decode(chunk))
    expect(all).toEqual(chunks)
  })
})
