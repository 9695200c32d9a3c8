// Gemini's REST `:streamGenerateContent` without `alt=sse` streams one JSON array over time, served as
// `application/json`: stored as the chunks received (like SSE) so a replay hands them back one by one.
import { redactStreamChunks } from './stream-redaction.js'

const STREAM_PATH = /:streamGenerateContent$/

/**
 * Whether a live response is a JSON array streamed over time: a JSON `:streamGenerateContent` response whose
 * request did not ask for SSE (`alt=sse`). `url` is the request's, when the response does not carry it.
 *
 * @example
 * isJsonArrayStream(response, 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent') // true
 */
export function isJsonArrayStream(response: Response, url = response.url): boolean {
  if (!url || !(response.headers.get('content-type') ?? '').includes('json')) return false
  try {
    const parsed = new URL(url)
    return STREAM_PATH.test(parsed.pathname) && parsed.searchParams.get('alt') !== 'sse'
  } catch {
    return false
  }
}

/**
 * The text of a response body as the chunks it arrived in (a character split across chunks kept whole). When
 * reading fails after `stoppedByApp()` became true (the app aborted the request), the chunks that had arrived.
 */
export async function readTextChunks(body: ReadableStream<Uint8Array>, stoppedByApp?: () => boolean): Promise<string[]> {
  const chunks: string[] = []
  const decoder = new TextDecoder()
  try {
    for await (const chunk of body) {
      const text = decoder.decode(chunk, { stream: true })
      if (text) chunks.push(text)
    }
  } catch (error) {
    // The app aborted its request mid-stream (a `break` out of an SDK stream, `stream.abort()`): what had arrived
    // is the recording, and the app stops at the same place on replay (no chunk yet: a time-to-first-token
    // timeout, aborted the same way on replay). A network failure is not stored.
    if (stoppedByApp?.() !== true) throw error
    return chunks
  }
  const tail = decoder.decode()
  if (tail) chunks.push(tail)
  return chunks
}

/**
 * The elements of a streamed JSON array stored as `chunks`, or `undefined` when the chunks are not one
 * (SSE events, or an array cut short): usage and the secret scan read the elements as a stream's events.
 *
 * @example
 * jsonArrayElements(['[{"a":1}', '\r\n,\r\n{"a":2}', '\r\n]']) // [{ a: 1 }, { a: 2 }]
 */
export function jsonArrayElements(chunks: readonly string[]): Record<string, unknown>[] | undefined {
  const first = chunks.find((chunk) => chunk.trim() !== '')
  if (!first?.trimStart().startsWith('[')) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(chunks.join(''))
  } catch {
    return undefined
  }
  const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)
  return Array.isArray(parsed) && parsed.every(isObject) ? parsed : undefined
}

/**
 * `chunks` of a streamed JSON array with `values` redacted in the texts its elements spell together (see
 * `redactStreamChunks`), or `undefined` when the chunks are not one. Unchanged chunks come back as they were;
 * else one chunk per element, so a replay still streams.
 *
 * @example
 * redactJsonArrayChunks(['[{"t":"key ghp_ab"}', ',{"t":"cd"}', ']'], ['ghp_abcd']) // ['[{"t":"key [REDACTED]"}', ',{"t":""}', ']']
 */
export function redactJsonArrayChunks(chunks: readonly string[], values: readonly string[]): string[] | undefined {
  const elements = jsonArrayElements(chunks)
  if (!elements) return undefined
  const events = elements.map((element) => `${JSON.stringify(element)}\n\n`)
  const redacted = redactStreamChunks(events, values)
  if (redacted.every((event, index) => event === events[index])) return [...chunks]
  return [...redacted.map((event, index) => `${index === 0 ? '[' : ','}${event.trim()}`), ']']
}
