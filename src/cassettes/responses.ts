// The responses the cassette session stores and gives back: what is read of a live response, and the
// \`Response\` built from a recording or a miss.
import { realElapsedNow, realSetImmediate } from '../real-clock.js'
import { ERROR_PREFIX } from '../errors/index.js'
import { readSidecar, unreplayableEntry } from './cassette-file.js'
import { isStreamSidecar, readStreamSidecar } from './stream-sidecar.js'
import type { CassetteEntry, StoredEvent, StoredResponse } from './entry.js'
import { isJsonArrayStream, readTextChunks } from './json-array-stream.js'
import { eventChunks, EVENT_STREAM_TYPE, storedEvents } from './event-stream-store.js'
import { BEDROCK_TOKEN_HEADERS } from './bedrock-usage.js'
import { isRetryableStatus } from './store.js'

/** Response headers worth replaying; everything else (cookies, dates, request ids) is never stored. */
const STORED_RESPONSE_HEADERS = ['content-type', 'retry-after', 'retry-after-ms', 'x-should-retry', 'openai-version', ...BEDROCK_TOKEN_HEADERS]

/**
 * The recorded response of `entry`, as the app receives it (a stream chunk by chunk, stopped by `signal`). A stored
 * response no `Response` can be made of (a hand-edited or hostile cassette: a status outside 200..599, a header with a
 * line break, a malformed event header) is a {@link CassetteError} naming the file and the entry.
 */
export function replayResponse(entry: CassetteEntry, cassetteFile: string, signal?: AbortSignal): Response {
  try {
    return replayed(entry, cassetteFile, signal)
  } catch (error) {
    throw unreplayableEntry(cassetteFile, entry, error)
  }
}

function replayed(entry: CassetteEntry, cassetteFile: string, signal?: AbortSignal): Response {
  const { response } = entry
  const json = response.chunks || response.events || response.file || response.json === undefined ? undefined : JSON.stringify(response.json)
  const headers = replayedHeaders(response, json)
  const init = { status: response.status, statusText: response.statusText ?? '', headers }
  if (response.chunks) return new Response(chunkStream(response.chunks, signal, response.aborted), init)
  if (response.events) return new Response(chunkStream(eventChunks(response.events), signal, response.aborted), init)
  if (response.file && isStreamSidecar(response.file)) {
    const stream = readStreamSidecar(cassetteFile, entry)
    return new Response(chunkStream(stream.chunks, signal, stream.aborted), init)
  }
  if (response.file) return new Response(new Uint8Array(readSidecar(cassetteFile, response.file)), init)
  if (json === undefined) return new Response(response.text ?? null, init)
  // A string body would get a \`text/plain\` type where the recording has none.
  const typed = Object.keys(response.headers).some((name) => name.toLowerCase() === 'content-type')
  return new Response(typed ? json : new TextEncoder().encode(json), init)
}

const LOWERCASE_NAME = /^[a-z0-9-]+$/

/**
 * The replayed response's headers: the stored ones, the replay marker, `x-should-retry: false` on a recorded
 * failure (the final outcome: the SDK must not sleep through retries again) and the length of a JSON body.
 * A plain object when the stored names are lowercase (as recorded), which `Response` copies faster than a `Headers`.
 */
function replayedHeaders(response: StoredResponse, json: string | undefined): Record<string, string> | Headers {
  const extra: Record<string, string> = { 'x-llm-evals-cassette': 'replayed' }
  if (isRetryableStatus(response.status)) extra['x-should-retry'] = 'false'
  if (json !== undefined) extra['content-length'] = String(Buffer.byteLength(json))
  if (Object.keys(response.headers).every((name) => LOWERCASE_NAME.test(name))) return { ...response.headers, ...extra }
  // A hand-edited name (`Content-Length`) must be replaced, not sent twice.
  const headers = new Headers(response.headers)
  for (const [name, value] of Object.entries(extra)) headers.set(name, value)
  return headers
}

/**
 * The answer to a request with no recording: a non-retryable API error whose message is `message`. For the AWS
 * SDK (`aws`), in its error shape: `x-amzn-errortype` and a top-level `message`, or it throws an "UnknownError".
 */
export function missResponse(message: string, aws = false): Response {
  const error = { type: 'cassette_miss', code: 'llm_evals_cassette_miss', message: `${ERROR_PREFIX} ${message}` }
  if (aws) {
    return new Response(JSON.stringify({ message: error.message }), {
      status: 400,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'CassetteMissException', 'x-llm-evals-cassette': 'miss' },
    })
  }
  const body = { type: 'error', error }
  return new Response(JSON.stringify(body), {
    status: 400,
    headers: { 'content-type': 'application/json', 'x-should-retry': 'false', 'x-llm-evals-cassette': 'miss' },
  })
}

/** Longest stretch of a replayed stream read without a turn of the event loop (ms). */
const STREAM_TURN_MS = 4

/**
 * The recorded chunks as a stream, one chunk per read. Pulled only when the app reads (no read-ahead), so an
 * abort between two reads stops the stream with the abort reason before the next chunk, as a network stream
 * does. Chunks are not delayed (the in-memory `fetch` a floor benchmark uses does not either): a macrotask
 * per chunk made replaying a token-by-token stream of hundreds of chunks cost more than the SDK reading it.
 * A stream the app aborted while it was recorded (`aborted`) errors after its last chunk, as it did then.
 */
function chunkStream(chunks: readonly (string | Uint8Array)[], signal?: AbortSignal, aborted?: true): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let index = 0
  let turnedAt = realElapsedNow()
  const next = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (signal?.aborted) return controller.error(signal.reason)
    const chunk = chunks[index++]
    if (chunk === undefined) return aborted ? controller.error(new DOMException('This operation was aborted', 'AbortError')) : controller.close()
    controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)
  }
  return new ReadableStream(
    {
      // Synchronous but every few ms: a promise per chunk cost more than reading the chunk.
      pull(controller) {
        // A long stream read in one go lets the event loop turn every few ms: a timer's abort (an SDK timeout,
        // the app cancelling) still stops it mid-stream, as it would the network stream that was recorded.
        if (realElapsedNow() - turnedAt < STREAM_TURN_MS) return next(controller)
        return new Promise<void>((done) => realSetImmediate(done)).then(() => {
          turnedAt = realElapsedNow()
          next(controller)
        })
      },
    },
    { highWaterMark: 0 },
  )
}

const TEXT_TYPE = /^(text\/|application\/(json|x-ndjson|xml|javascript)|[^;]*\+json)/i

/**
 * What is stored of a live response: chosen headers and the body (SSE chunks as received, AWS event stream messages
 * decoded, or a sidecar). A stream the app stopped reading (`stoppedByApp()`: it aborted the request) is stored as far
 * as it arrived.
 */
export async function readResponse(response: Response, maxInlineBytes: number, stoppedByApp?: () => boolean): Promise<{ response: StoredResponse; sidecar?: { bytes: Uint8Array; extension: string } }> {
  const headers: Record<string, string> = {}
  for (const name of STORED_RESPONSE_HEADERS) {
    const value = response.headers.get(name)
    if (value !== null) headers[name] = value
  }
  const base = { status: response.status, ...(response.statusText ? { statusText: response.statusText } : {}), headers }
  const type = response.headers.get('content-type') ?? ''
  const streamed = (type.includes('text/event-stream') || isJsonArrayStream(response)) && response.body
  if (streamed) {
    let aborted = false
    const chunks = await readTextChunks(streamed, () => (aborted = stoppedByApp?.() === true))
    return { response: { ...base, chunks, ...(aborted ? { aborted: true as const } : {}) } }
  }
  if (type.includes(EVENT_STREAM_TYPE) && response.body) {
    const stopped = await stoppedEventStream(response.body, stoppedByApp)
    if ('events' in stopped) return { response: { ...base, events: stopped.events, aborted: true } }
    if (stopped.bytes === undefined) throw stopped.error
    return bodyOf(base, type, stopped.bytes, maxInlineBytes)
  }
  return bodyOf(base, type, new Uint8Array(await response.arrayBuffer()), maxInlineBytes)
}

/**
 * An AWS event stream's bytes, or, when the app aborted it part-way (`stoppedByApp()`), the whole messages that had
 * arrived, stored as events (marked aborted) whatever their size: only they carry the abort a replay repeats, as an
 * aborted SSE stream's chunks do. A stream cut by the network, or malformed, stays an error: not stored.
 */
async function stoppedEventStream(body: ReadableStream<Uint8Array>, stoppedByApp?: () => boolean): Promise<{ bytes: Uint8Array } | { events: StoredEvent[] } | { bytes?: undefined; error: unknown }> {
  const parts: Uint8Array[] = []
  try {
    for await (const part of body) parts.push(part)
  } catch (error) {
    if (stoppedByApp?.() !== true) return { error }
    const arrived = wholeMessages(concatBytes(parts))
    const events = storedEvents(arrived)
    return events ? { events } : { error }
  }
  return { bytes: concatBytes(parts) }
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0))
  let offset = 0
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.byteLength
  }
  return bytes
}

/** The leading whole messages of an event stream cut part-way (each message starts with its total length). */
function wholeMessages(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let end = 0
  while (end + 4 <= bytes.byteLength) {
    const length = view.getUint32(end)
    if (length < 16 || end + length > bytes.byteLength) break
    end += length
  }
  return bytes.subarray(0, end)
}

function bodyOf(base: StoredResponse, type: string, bytes: Uint8Array, maxInlineBytes: number): { response: StoredResponse; sidecar?: { bytes: Uint8Array; extension: string } } {
  // An AWS event stream is kept readable (decoded messages) when that loses nothing; else as bytes, below.
  const events = type.includes(EVENT_STREAM_TYPE) && bytes.byteLength <= maxInlineBytes ? storedEvents(bytes) : undefined
  if (events) return { response: { ...base, events } }
  const isText = type === '' || TEXT_TYPE.test(type)
  if (!isText || bytes.byteLength > maxInlineBytes) {
    const extension = !isText ? 'bin' : type.includes('json') ? 'json' : 'txt'
    return { response: base, sidecar: { bytes, extension } }
  }
  const text = new TextDecoder().decode(bytes)
  if (type.includes('json')) {
    try {
      return { response: { ...base, json: JSON.parse(text) as unknown } }
    } catch {
      // Malformed JSON is kept as the exact text the app received.
    }
  }
  return { response: { ...base, text } }
}
