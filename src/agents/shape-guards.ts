// Recognising a Trace or a Conversation by its shape (they are plain JSON, so no class to check against).
import type { Conversation } from './types.js'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** True for a value already shaped as a {@link Trace} (the one test `traceOf` uses, so an AI SDK result is not taken for one). */
export { isTrace } from './trace-of.js'

/**
 * True for a {@link Conversation}: a `turns` array of `{ user, assistant }` strings and a `messages` array.
 *
 * @example
 * isConversation({ turns: [{ user: 'Hi', assistant: 'Hello' }], messages: [], ended: { reason: 'script-done', turns: 1 } }) // true
 */
export function isConversation(value: unknown): value is Conversation {
  return (
    isRecord(value) &&
    Array.isArray(value.turns) &&
    Array.isArray(value.messages) &&
    value.turns.every((turn) => isRecord(turn) && typeof turn.user === 'string' && typeof turn.assistant === 'string')
  )
}

/** What a received value is, as the agent matchers name it in messages. */
export function describeReceived(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (isRecord(value)) return `an object with keys ${Object.keys(value).slice(0, 6).map((key) => JSON.stringify(key)).join(', ') || '(none)'}`
  return typeof value
}
