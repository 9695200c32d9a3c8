import { EventStreamCodec } from '@smithy/core/event-streams'
import { describe, expect, test } from 'vitest'
import { eventChunks, storedEvents } from '../../../src/cassettes/event-stream-store.js'
import { usageFromEvents } from '../../../src/cassettes/bedrock-usage.js'

const smithy = new EventStreamCodec((bytes) => new TextDecoder().decode(bytes), (text) => new TextEncoder().encode(text))
const utf8 = (text: string) => new TextEncoder().encode(text)
const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64')
const frame = (type: string, body: Uint8Array | string) =>
  smithy.encode({
    headers: { ':event-type': { type: 'string', value: type }, ':content-type': { type: 'string', value: 'application/json' }, ':message-type': { type: 'string', value: 'event' } },
    body: typeof body === 'string' ? utf8(body) : body,
  })
const body = (...frames: Uint8Array[]) => Uint8Array.from(frames.flatMap((part) => [...part]))
const joined = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('hex')
const headers = (type: string) => ({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' })

describe('storedEvents', () => {
  test('ConverseStream events are stored as headers and JSON, and framed again byte for byte, one chunk each', () => {
    const wire = body(
      frame('messageStart', '{"role":"assistant","p":"abcd"}'),
      frame('contentBlockDelta', '{"contentBlockIndex":0,"delta":{"text":"Hi"}}'),
      frame('metadata', '{"usage":{"inputTokens":9,"outputTokens":3,"totalTokens":12},"metrics":{"latencyMs":80}}'),
    )
    const events = storedEvents(wire)
    expect(events).toEqual([
      { headers: headers('messageStart'), json: { role: 'assistant', p: 'abcd' } },
      { headers: headers('contentBlockDelta'), json: { contentBlockIndex: 0, delta: { text: 'Hi' } } },
      { headers: headers('metadata'), json: { usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12 }, metrics: { latencyMs: 80 } } },
    ])
    const chunks = eventChunks(JSON.parse(JSON.stringify(events)))
    expect(chunks).toHaveLength(3)
    expect(joined(chunks)).toBe(Buffer.from(wire).toString('hex'))
    expect(usageFromEvents(events ?? [])).toEqual({ inputTokens: 9, outputTokens: 3 })
  })

  test("an InvokeModelWithResponseStream chunk's base64 bytes are stored as the JSON they encode", () => {
    const start = { type: 'message_start', message: { role: 'assistant', usage: { input_tokens: 11, output_tokens: 1 } } }
    const stop = { type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 11, outputTokenCount: 7, invocationLatency: 500 } }
    const wire = body(frame('chunk', JSON.stringify({ bytes: base64(start) })), frame('chunk', JSON.stringify({ bytes: base64(stop), p: 'xyz' })))
    const events = storedEvents(wire)
    expect(events?.[0]).toEqual({ headers: headers('chunk'), json: { bytes: start }, bytesJson: true })
    expect(events?.[1]).toEqual({ headers: headers('chunk'), json: { bytes: stop, p: 'xyz' }, bytesJson: true })
    expect(joined(eventChunks(events ?? []))).toBe(Buffer.from(wire).toString('hex'))
    expect(usageFromEvents(events ?? [])).toEqual({ inputTokens: 11, outputTokens: 7 })
  })

  test('what would not frame back to the same bytes is stored less decoded: text, then base64', () => {
    const spaced = '{ "bytes": "e30=" }'
    const notUtf8 = Uint8Array.from([0xff, 0xfe, 0x00, 0x41])
    const wire = body(frame('chunk', JSON.stringify({ bytes: Buffer.from('{ "a" : 1 }').toString('base64') })), frame('chunk', spaced), frame('blob', notUtf8))
    const events = storedEvents(wire)
    expect(events?.map((event) => Object.keys(event).filter((key) => key !== 'headers'))).toEqual([['json'], ['text'], ['base64']])
    expect(events?.[0]?.json).toEqual({ bytes: Buffer.from('{ "a" : 1 }').toString('base64') })
    expect(joined(eventChunks(events ?? []))).toBe(Buffer.from(wire).toString('hex'))
  })

  test('other header types survive the stored JSON, and a malformed body is not stored as events', () => {
    const typed = smithy.encode({ headers: { flag: { type: 'boolean', value: false }, n: { type: 'integer', value: 7 }, at: { type: 'timestamp', value: new Date(1_700_000_000_000) } }, body: utf8('{}') })
    const events = storedEvents(typed)
    expect(events?.[0]?.headers).toEqual({ flag: { type: 'boolean', value: false }, n: { type: 'integer', value: 7 }, at: { type: 'timestamp', value: '1700000000000' } })
    expect(joined(eventChunks(JSON.parse(JSON.stringify(events))))).toBe(Buffer.from(typed).toString('hex'))
    expect(storedEvents(typed.subarray(0, typed.byteLength - 1))).toBeUndefined()
  })
})
