// The AWS event stream framing (`application/vnd.amazon.eventstream`, Bedrock's streamed replies), read and
// written by hand: the format is small and specified, and a codec dependency would ship to every user.
// Message: total length (u32), headers length (u32), prelude CRC32, headers, payload, message CRC32. Pure.
import { crc32 } from 'node:zlib'
import { CassetteError } from '../errors/index.js'

/** A header value with its wire type (AWS event stream header types 0–9). */
export type EventHeaderValue =
  | { type: 'boolean'; value: boolean }
  | { type: 'byte' | 'short' | 'integer'; value: number }
  | { type: 'long' | 'timestamp'; value: bigint }
  | { type: 'binary'; value: Uint8Array }
  | { type: 'string'; value: string }
  | { type: 'uuid'; value: Uint8Array }

/** One framed message: its headers in wire order and its raw payload. */
export interface EventMessage {
  headers: [name: string, value: EventHeaderValue][]
  payload: Uint8Array
}

const PRELUDE_BYTES = 12
const CRC_BYTES = 4
/** Limits of the specification: larger prelude values mean corrupt input, not a large message. */
const MAX_MESSAGE_BYTES = 24 * 1024 * 1024
const MAX_HEADERS_BYTES = 128 * 1024

function fail(reason: string, offset: number): never {
  throw new CassetteError(`Malformed AWS event stream at byte ${offset}: ${reason}.`)
}

/**
 * Every message of a whole event stream body, CRCs checked. Throws a `CassetteError` naming the byte offset on
 * corrupt or truncated input; the work is bounded by the input's length.
 *
 * @example
 * decodeEventStream(body).map(({ headers }) => headers) // [[[':event-type', { type: 'string', value: 'messageStart' }], …], …]
 */
export function decodeEventStream(bytes: Uint8Array): EventMessage[] {
  const messages: EventMessage[] = []
  let offset = 0
  while (offset < bytes.byteLength) {
    if (bytes.byteLength - offset < PRELUDE_BYTES + CRC_BYTES) fail('truncated message (shorter than a prelude)', offset)
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.byteLength - offset)
    const total = view.getUint32(0)
    const headersLength = view.getUint32(4)
    if (crc32(bytes.subarray(offset, offset + 8)) !== view.getUint32(8)) fail('prelude checksum mismatch', offset)
    if (total < PRELUDE_BYTES + CRC_BYTES || total > MAX_MESSAGE_BYTES) fail(`impossible message length ${total}`, offset)
    if (headersLength > MAX_HEADERS_BYTES || headersLength > total - PRELUDE_BYTES - CRC_BYTES) fail(`impossible headers length ${headersLength}`, offset)
    if (total > bytes.byteLength - offset) fail(`truncated message (${total} bytes announced, ${bytes.byteLength - offset} left)`, offset)
    const message = bytes.subarray(offset, offset + total)
    if (crc32(message.subarray(0, total - CRC_BYTES)) !== view.getUint32(total - CRC_BYTES)) fail('message checksum mismatch', offset)
    const headersEnd = PRELUDE_BYTES + headersLength
    let headers: EventMessage['headers']
    try {
      headers = decodeHeaders(message.subarray(PRELUDE_BYTES, headersEnd), offset + PRELUDE_BYTES)
    } catch (error) {
      if (error instanceof CassetteError) throw error
      fail('a header name or string value is not UTF-8', offset + PRELUDE_BYTES)
    }
    messages.push({ headers, payload: message.slice(headersEnd, total - CRC_BYTES) })
    offset += total
  }
  return messages
}

const TYPE_CODES = { boolean: 0, byte: 2, short: 3, integer: 4, long: 5, binary: 6, string: 7, timestamp: 8, uuid: 9 } as const

/** Value sizes of the fixed-size header types, by type code. */
const FIXED_SIZES: Record<number, number> = { 0: 0, 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16 }

function headerValue(code: number, view: DataView, raw: Uint8Array, text: { decode(input: Uint8Array): string }): EventHeaderValue {
  switch (code) {
    case 0:
    case 1:
      return { type: 'boolean', value: code === 0 }
    case 2:
      return { type: 'byte', value: view.getInt8(0) }
    case 3:
      return { type: 'short', value: view.getInt16(0) }
    case 4:
      return { type: 'integer', value: view.getInt32(0) }
    case 5:
    case 8:
      return { type: code === 5 ? 'long' : 'timestamp', value: view.getBigInt64(0) }
    case 9:
      return { type: 'uuid', value: raw.slice() }
    case 6:
      return { type: 'binary', value: raw.slice(2) }
    default:
      return { type: 'string', value: text.decode(raw.subarray(2)) }
  }
}

function decodeHeaders(bytes: Uint8Array, base: number): EventMessage['headers'] {
  const headers: EventMessage['headers'] = []
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const text = new TextDecoder('utf-8', { fatal: true })
  let at = 0
  const need = (count: number) => {
    if (at + count > bytes.byteLength) fail('header runs past the headers section', base + at)
  }
  while (at < bytes.byteLength) {
    need(1)
    const nameLength = view.getUint8(at++)
    need(nameLength + 1)
    const name = text.decode(bytes.subarray(at, at + nameLength))
    at += nameLength
    const code = view.getUint8(at++)
    let size = FIXED_SIZES[code]
    if (size === undefined) {
      if (code !== 6 && code !== 7) fail(`unknown header type ${code} for header "${name}"`, base + at - 1)
      need(2)
      size = 2 + view.getUint16(at)
    }
    need(size)
    const raw = bytes.subarray(at, at + size)
    const value = headerValue(code, new DataView(raw.buffer, raw.byteOffset, size), raw, text)
    at += size
    headers.push([name, value])
  }
  return headers
}

/**
 * One message framed for the wire: prelude, headers, payload and both CRC32s.
 *
 * @example
 * encodeEventMessage({ headers: [[':event-type', { type: 'string', value: 'messageStop' }]], payload: new TextEncoder().encode('{}') })
 */
export function encodeEventMessage(message: EventMessage): Uint8Array {
  const headers = encodeHeaders(message.headers)
  const total = PRELUDE_BYTES + headers.byteLength + message.payload.byteLength + CRC_BYTES
  const bytes = new Uint8Array(total)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, total)
  view.setUint32(4, headers.byteLength)
  view.setUint32(8, crc32(bytes.subarray(0, 8)))
  bytes.set(headers, PRELUDE_BYTES)
  bytes.set(message.payload, PRELUDE_BYTES + headers.byteLength)
  view.setUint32(total - CRC_BYTES, crc32(bytes.subarray(0, total - CRC_BYTES)))
  return bytes
}

function encodeHeaders(headers: EventMessage['headers']): Uint8Array {
  const parts: number[] = []
  const encoder = new TextEncoder()
  const push = (size: number, write: (view: DataView) => void) => {
    const view = new DataView(new ArrayBuffer(size))
    write(view)
    parts.push(...new Uint8Array(view.buffer))
  }
  for (const [name, header] of headers) {
    const nameBytes = encoder.encode(name)
    if (nameBytes.byteLength > 255) throw new CassetteError(`AWS event stream header name "${name.slice(0, 40)}…" is longer than 255 bytes.`)
    parts.push(nameBytes.byteLength, ...nameBytes)
    if (header.type === 'boolean') parts.push(header.value ? 0 : 1)
    else parts.push(TYPE_CODES[header.type])
    if (header.type === 'byte') push(1, (view) => view.setInt8(0, header.value))
    else if (header.type === 'short') push(2, (view) => view.setInt16(0, header.value))
    else if (header.type === 'integer') push(4, (view) => view.setInt32(0, header.value))
    else if (header.type === 'long' || header.type === 'timestamp') push(8, (view) => view.setBigInt64(0, header.value))
    else if (header.type === 'uuid') parts.push(...header.value)
    else if (header.type === 'binary' || header.type === 'string') {
      const raw = header.type === 'string' ? encoder.encode(header.value) : header.value
      if (raw.byteLength > 0xffff) throw new CassetteError(`AWS event stream header "${name}" is longer than 65535 bytes.`)
      push(2, (view) => view.setUint16(0, raw.byteLength))
      parts.push(...raw)
    }
  }
  return Uint8Array.from(parts)
}
