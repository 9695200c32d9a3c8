// An AWS event stream body as the cassette keeps it: each message decoded to readable headers and a JSON
// payload (an InvokeModelWithResponseStream chunk's base64 `bytes` decoded too), only when framing it again
// gives back the exact bytes received. Pure.
import type { StoredEvent } from './entry.js'
import { decodeEventStream, encodeEventMessage, type EventHeaderValue, type EventMessage } from './event-stream.js'

/** The content type of an AWS event stream body. */
export const EVENT_STREAM_TYPE = 'application/vnd.amazon.eventstream'

/**
 * The readable form of a whole event stream body, or `undefined` when it is malformed or some message cannot be
 * stored readable without loss (then the caller keeps the bytes as they are).
 *
 * @example
 * storedEvents(body)?.[0] // { headers: { ':event-type': 'messageStart', … }, json: { role: 'assistant' } }
 */
export function storedEvents(body: Uint8Array): StoredEvent[] | undefined {
  let messages: EventMessage[]
  try {
    messages = decodeEventStream(body)
  } catch {
    return undefined
  }
  const events: StoredEvent[] = []
  for (const message of messages) {
    const original = encodeEventMessage(message)
    const event = readableForms(message).find((candidate) => sameBytes(encodeEventMessage(eventMessage(candidate)), original))
    if (!event) return undefined
    events.push(event)
  }
  return events
}

/**
 * The wire bytes of each stored event, one replayed chunk each.
 *
 * @example
 * new Response(new Blob(eventChunks(entry.response.events)))
 */
export function eventChunks(events: readonly StoredEvent[]): Uint8Array[] {
  return events.map((event) => encodeEventMessage(eventMessage(event)))
}

/** An event's payload as JSON values, `bytes` decoded when it was stored encoded: what usage and secret scans read. */
export function eventPayloadJson(event: StoredEvent): unknown {
  if (event.json === undefined || event.bytesJson || !isObject(event.json) || typeof event.json.bytes !== 'string') return event.json
  const decoded = parseJson(Buffer.from(event.json.bytes, 'base64').toString('utf8'))
  return decoded === undefined ? event.json : { ...event.json, bytes: decoded }
}

/** Candidate stored forms, most readable first; the last (base64 payload) keeps any payload. */
function readableForms(message: EventMessage): StoredEvent[] {
  const headers = Object.fromEntries(message.headers.map(([name, value]) => [name, storedHeader(value)]))
  const text = new TextDecoder().decode(message.payload)
  const json = parseJson(text)
  const forms: StoredEvent[] = []
  if (isObject(json) && typeof json.bytes === 'string') {
    const inner = parseJson(Buffer.from(json.bytes, 'base64').toString('utf8'))
    if (inner !== undefined) forms.push({ headers, json: { ...json, bytes: inner }, bytesJson: true })
  }
  if (json !== undefined) forms.push({ headers, json })
  forms.push({ headers, text }, { headers, base64: Buffer.from(message.payload).toString('base64') })
  return forms
}

function eventMessage(event: StoredEvent): EventMessage {
  const headers = Object.entries(event.headers).map(([name, value]): [string, EventHeaderValue] => [name, wireHeader(value)])
  let payload: Uint8Array
  if (event.base64 !== undefined) payload = Buffer.from(event.base64, 'base64')
  else if (event.text !== undefined) payload = new TextEncoder().encode(event.text)
  else {
    const json = event.bytesJson && isObject(event.json) ? { ...event.json, bytes: Buffer.from(JSON.stringify(event.json.bytes)).toString('base64') } : event.json
    payload = new TextEncoder().encode(event.json === undefined ? '' : JSON.stringify(json))
  }
  return { headers, payload }
}

function storedHeader(header: EventHeaderValue): StoredEvent['headers'][string] {
  switch (header.type) {
    case 'string':
      return header.value
    case 'long':
    case 'timestamp':
      return { type: header.type, value: header.value.toString() }
    case 'binary':
    case 'uuid':
      return { type: header.type, value: Buffer.from(header.value).toString('base64') }
    default:
      return { type: header.type, value: header.value }
  }
}

function wireHeader(value: StoredEvent['headers'][string]): EventHeaderValue {
  if (typeof value === 'string') return { type: 'string', value }
  switch (value.type) {
    case 'boolean':
      return { type: 'boolean', value: value.value === true }
    case 'byte':
    case 'short':
    case 'integer':
      return { type: value.type, value: Number(value.value) }
    case 'long':
    case 'timestamp':
      return { type: value.type, value: BigInt(String(value.value)) }
    case 'binary':
    case 'uuid':
      return { type: value.type, value: Buffer.from(String(value.value), 'base64') }
    default:
      return { type: 'string', value: String(value.value) }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0
}
