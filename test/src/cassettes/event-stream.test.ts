import { EventStreamCodec, Int64 } from '@smithy/core/event-streams'
import type { MessageHeaders } from '@smithy/types'
import { crc32 } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { CassetteError } from '../../../src/errors/index.js'
import { decodeEventStream, encodeEventMessage, type EventMessage } from '../../../src/cassettes/event-stream.js'

// The reference codec the AWS SDK itself uses: our hand-written framing must agree with it byte for byte.
const smithy = new EventStreamCodec((bytes) => new TextDecoder().decode(bytes), (text) => new TextEncoder().encode(text))
const utf8 = (text: string) => new TextEncoder().encode(text)
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]))

const uuid = '0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9'
const uuidBytes = Uint8Array.from(Buffer.from(uuid.replaceAll('-', ''), 'hex'))
const when = new Date('2026-12-06T03:40:00.000Z')

const smithyHeaders: MessageHeaders = {
  ':event-type': { type: 'string', value: 'contentBlockDelta' },
  ':content-type': { type: 'string', value: 'application/json' },
  ':message-type': { type: 'string', value: 'event' },
  yes: { type: 'boolean', value: true },
  no: { type: 'boolean', value: false },
  tiny: { type: 'byte', value: -7 },
  small: { type: 'short', value: 31000 },
  medium: { type: 'integer', value: -2_000_000_000 },
  big: { type: 'long', value: Int64.fromNumber(-9_007_199_254_740) },
  blob: { type: 'binary', value: Uint8Array.from([0, 1, 254, 255]) },
  at: { type: 'timestamp', value: when },
  id: { type: 'uuid', value: uuid },
}

const ours: EventMessage['headers'] = [
  [':event-type', { type: 'string', value: 'contentBlockDelta' }],
  [':content-type', { type: 'string', value: 'application/json' }],
  [':message-type', { type: 'string', value: 'event' }],
  ['yes', { type: 'boolean', value: true }],
  ['no', { type: 'boolean', value: false }],
  ['tiny', { type: 'byte', value: -7 }],
  ['small', { type: 'short', value: 31000 }],
  ['medium', { type: 'integer', value: -2_000_000_000 }],
  ['big', { type: 'long', value: -9_007_199_254_740n }],
  ['blob', { type: 'binary', value: Uint8Array.from([0, 1, 254, 255]) }],
  ['at', { type: 'timestamp', value: BigInt(when.getTime()) }],
  ['id', { type: 'uuid', value: uuidBytes }],
]
const payload = utf8('{"contentBlockIndex":0,"delta":{"text":"Bonjour é ☃"},"p":"abcdef"}')

describe('AWS event stream framing, against the SDK codec', () => {
  test('frames every header type exactly as the SDK does', () => {
    expect(Buffer.from(encodeEventMessage({ headers: ours, payload })).toString('hex')).toBe(Buffer.from(smithy.encode({ headers: smithyHeaders, body: payload })).toString('hex'))
  })

  test('reads what the SDK frames: headers in order with their types, and the payload', () => {
    const bytes = concat(smithy.encode({ headers: smithyHeaders, body: payload }), smithy.encode({ headers: {}, body: new Uint8Array() }))
    const [first, empty] = decodeEventStream(bytes)
    expect(first?.headers).toEqual(ours)
    expect(new TextDecoder().decode(first?.payload)).toBe(new TextDecoder().decode(payload))
    expect(empty).toEqual({ headers: [], payload: new Uint8Array() })
  })

  test('the SDK reads what we frame', () => {
    const decoded = smithy.decode(encodeEventMessage({ headers: ours, payload }))
    expect(decoded.headers[':event-type']).toEqual({ type: 'string', value: 'contentBlockDelta' })
    expect(decoded.headers['big']?.value.toString()).toBe('-9007199254740')
    expect(decoded.headers['at']).toEqual({ type: 'timestamp', value: when })
    expect(decoded.headers['id']).toEqual({ type: 'uuid', value: uuid })
    expect(decoded.body).toEqual(payload)
  })
})

describe('corrupt or truncated event streams', () => {
  const good = encodeEventMessage({ headers: ours, payload })
  const malformed = (bytes: Uint8Array) => {
    try {
      decodeEventStream(bytes)
    } catch (error) {
      expect(error).toBeInstanceOf(CassetteError)
      return (error as Error).message
    }
    return 'decoded'
  }

  test('a flipped payload byte fails the message checksum, naming the offset', () => {
    const bytes = concat(good, good)
    const at = good.byteLength * 2 - 10
    bytes[at] = (bytes[at] ?? 0) ^ 0xff
    expect(malformed(bytes)).toBe(`[vitest-llm-evals] Malformed AWS event stream at byte ${good.byteLength}: message checksum mismatch.`)
  })

  test('a flipped prelude byte fails the prelude checksum', () => {
    const bytes = good.slice()
    bytes[2] = (bytes[2] ?? 0) ^ 0x01
    expect(malformed(bytes)).toMatch(/at byte 0: prelude checksum mismatch/)
  })

  test('a cut message is truncated, whatever the cut', () => {
    for (const cut of [1, 11, 15, 40, good.byteLength - 1]) expect(malformed(good.subarray(0, cut))).toMatch(/at byte 0: truncated message/)
  })

  test('a huge announced length with a valid prelude checksum is refused, not allocated', () => {
    const prelude = new DataView(new ArrayBuffer(16))
    prelude.setUint32(0, 0xfffffff0)
    prelude.setUint32(4, 0)
    prelude.setUint32(8, crc32(new Uint8Array(prelude.buffer, 0, 8)))
    expect(malformed(new Uint8Array(prelude.buffer))).toMatch(/impossible message length 4294967280/)
  })

  test('an unknown header type or a header past its section is named', () => {
    const frame = (headers: Uint8Array) => {
      const total = 16 + headers.byteLength
      const bytes = new Uint8Array(total)
      const view = new DataView(bytes.buffer)
      view.setUint32(0, total)
      view.setUint32(4, headers.byteLength)
      view.setUint32(8, crc32(bytes.subarray(0, 8)))
      bytes.set(headers, 12)
      view.setUint32(total - 4, crc32(bytes.subarray(0, total - 4)))
      return bytes
    }
    expect(malformed(frame(Uint8Array.from([1, 120, 42])))).toMatch(/unknown header type 42 for header "x"/)
    expect(malformed(frame(Uint8Array.from([1, 120, 7, 0, 9, 65])))).toMatch(/header runs past the headers section/)
    expect(malformed(frame(Uint8Array.from([1, 0xff, 1])))).toMatch(/not UTF-8/)
  })

  test('random bytes end in a result or a CassetteError, quickly, never a hang', () => {
    let seed = 42
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const started = performance.now()
    for (let round = 0; round < 2000; round++) {
      const bytes = round % 2 ? good.slice() : Uint8Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256))
      if (round % 2) for (let flips = 0; flips < 3; flips++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256)
      malformed(bytes)
    }
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
