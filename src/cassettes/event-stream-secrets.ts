// The secret scan of a recorded AWS event stream: the texts its events spell once joined (a key streamed
// token by token is whole there), and found keys cut out of the stored events. Pure.
import type { StoredEvent } from './entry.js'
import { eventPayloadJson } from './event-stream-store.js'
import { redactStreamChunks } from './stream-redaction.js'
import { streamTexts } from './stream-text.js'

/** Each event's payload as one SSE-like line: the shape `streamTexts` and `redactStreamChunks` read. */
function payloadLine(event: StoredEvent): string {
  if (event.json !== undefined) return `data: ${JSON.stringify(eventPayloadJson(event))}\n\n`
  const text = event.text ?? Buffer.from(event.base64 ?? '', 'base64').toString('utf8')
  return `data: ${text.replace(/\r?\n/g, ' ')}\n\n`
}

/**
 * The texts stored events spell: for each JSON field, its strings joined across events (see `streamTexts`),
 * with encoded `bytes` and base64 payloads decoded, so that a key hidden in them is found too.
 *
 * @example
 * eventStreamTexts(entry.response.events) // includes the whole streamed answer, e.g. '.delta.text' joined
 */
export function eventStreamTexts(events: readonly StoredEvent[]): string[] {
  return streamTexts(events.map(payloadLine))
}

/**
 * `events` with every occurrence of `values` in the texts their JSON payloads spell replaced by `[REDACTED]`
 * (see `redactStreamChunks`); a value inside a payload kept as text or base64 is left, and the recording is then
 * refused by the check of the stored copy.
 *
 * @example
 * redactEvents(events, ['ghp_abcd']) // the delta holding 'ghp_ab' now holds '[REDACTED]', the next one lost 'cd'
 */
export function redactEvents(events: readonly StoredEvent[], values: readonly string[]): StoredEvent[] {
  const withJson = events.flatMap((event, index) => (event.json === undefined ? [] : [index]))
  const lines = withJson.map((index) => `data: ${JSON.stringify((events[index] as StoredEvent).json)}\n\n`)
  const redacted = redactStreamChunks(lines, values)
  if (redacted.length !== lines.length || redacted.every((line, at) => line === lines[at])) return [...events]
  const result = [...events]
  withJson.forEach((index, at) => {
    const event = events[index] as StoredEvent
    result[index] = { ...event, json: JSON.parse((redacted[at] as string).replace(/^data: /, '')) as unknown }
  })
  return result
}
