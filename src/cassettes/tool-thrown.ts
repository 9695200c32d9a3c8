// What a `recordTool` recording keeps of what a tool threw, and what a replay throws back. An `Error` keeps its
// name, message and code (a replay throws an `Error` with those); a thrown value that is not an `Error` but plain
// data (a plain object such as `{ message, code }`, a string, a number, `undefined`) is kept once, as `{ value }`, and
// thrown back as itself, so an app that reads `e.code` or `String(e)` sees the same thing in replay. Cassettes
// written before kept such a value beside its text (`{ name, message, value }`): they replay the same. Pure: no
// Vitest, no I/O.
import type { ToolError } from './entry.js'
import { toolValueProblem } from './tool-json.js'
import { decodeToolValue, encodeToolValue } from './tool-value.js'

/**
 * The recording of a thrown value: its name, message and `code` for an `Error`; the value itself (a copy taken now,
 * stored as `encodeToolValue` stores a result) when it can be kept; else `Error` and its text.
 *
 * @example
 * toolErrorOf({ message: 'user not found', code: 'E404' }) // { value: { message: 'user not found', code: 'E404' } }
 */
export function toolErrorOf(thrown: unknown): ToolError {
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code
    return { name: thrown.name, message: thrown.message, ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}) }
  }
  if (keepsThrown(thrown)) return { value: encodeToolValue(structuredClone(thrown)) }
  return { name: 'Error', message: thrownText(thrown) }
}

/** True when a thrown value that is not an `Error` can be kept as it is (see `toolValueProblem`). */
export function keepsThrown(thrown: unknown): boolean {
  return toolValueProblem(thrown, 'thrown') === undefined
}

/**
 * What a replay throws for a recorded throw: a copy of the thrown value when it was kept, else an `Error` with the
 * recorded name, message and code.
 *
 * @example
 * throw replayedThrow(record.error)
 */
export function replayedThrow(error: ToolError): unknown {
  if (error.name === undefined || error.value !== undefined) return structuredClone(decodeToolValue(error.value))
  return Object.assign(new Error(error.message), { name: error.name }, error.code === undefined ? {} : { code: error.code })
}

/**
 * How a trace shows a recorded throw: `Name: message`, or `Error: <text>` for a kept thrown value.
 *
 * @example
 * toolErrorText({ value: 'user not found' }) // 'Error: user not found'
 */
export function toolErrorText(error: ToolError): string {
  return error.name === undefined ? `Error: ${thrownText(decodeToolValue(error.value))}` : `${error.name}: ${error.message}`
}

/** The text of a thrown value that is not an `Error`: a string as it is, anything else as JSON where it can be. */
function thrownText(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
