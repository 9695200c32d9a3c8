// Tool call arguments and results as providers send them: JSON text that may not parse, objects, and
// result contents that are text, JSON text or arrays of text parts. Pure: no Vitest, no SDK.
import { stableStringify } from '../cassettes/canonical.js'
import type { ToolCall } from './types.js'

/** A JSON object as read from a provider payload. */
export type JsonObject = Record<string, unknown>

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Argument texts longer than this are kept as text instead of parsed (a model gone astray; parsing it costs memory, not meaning). */
export const MAX_ARGS_TEXT = 4 * 1024 * 1024

/**
 * A call's arguments: JSON text parsed, anything else kept as is. Text that is not valid JSON (models do
 * send it) stays raw in `args` with `argsError` saying why; an empty text means no arguments (`{}`).
 *
 * @example
 * toolCallArgs('{"orderId":"123"}') // { args: { orderId: '123' } }
 * toolCallArgs('{"orderId":')       // { args: '{"orderId":', argsError: 'Unexpected end of JSON input' }
 */
export function toolCallArgs(raw: unknown): Pick<ToolCall, 'args' | 'argsError'> {
  if (typeof raw !== 'string') return { args: raw ?? {} }
  if (raw.trim() === '') return { args: {} }
  if (raw.length > MAX_ARGS_TEXT) return { args: raw, argsError: `the arguments are ${raw.length} characters long; texts over ${MAX_ARGS_TEXT} are not parsed` }
  try {
    return { args: JSON.parse(raw) as unknown }
  } catch (error) {
    return { args: raw, argsError: error instanceof Error ? error.message : String(error) }
  }
}

/** The text of a message content: a string, or the `text` of its parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  const texts: string[] = []
  for (const part of content) {
    if (typeof part === 'string') texts.push(part)
    else if (isJsonObject(part) && typeof part.text === 'string') texts.push(part.text)
  }
  return texts.join('')
}

/**
 * What a tool returned, as an app sends it back to the model: text that holds a JSON object or array is
 * parsed (apps usually send `JSON.stringify(result)`), other text is kept, parts are joined to text.
 *
 * @example
 * toolResultValue('{"status":"shipped"}') // { status: 'shipped' }
 * toolResultValue('42 °C')                // '42 °C'
 */
export function toolResultValue(content: unknown): unknown {
  if (Array.isArray(content)) return toolResultValue(contentText(content))
  if (typeof content !== 'string') return content
  const text = content.trim()
  if (!(text.startsWith('{') || text.startsWith('['))) return content
  try {
    return JSON.parse(text) as unknown
  } catch {
    return content
  }
}

/**
 * The identity of a call without its id: the tool name and its arguments as canonical JSON (keys sorted),
 * which is how a `recordTool` record finds the call it answered.
 *
 * @example
 * toolCallKey('lookup_order', { b: 1, a: 2 }) === toolCallKey('lookup_order', { a: 2, b: 1 }) // true
 */
export function toolCallKey(name: string, args: unknown): string {
  return `${name}\u0000${stableStringify(args)}`
}
