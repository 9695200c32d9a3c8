// What a `recordTool` recording keeps of what a tool threw, and what a replay throws back. An `Error` keeps its
// name, message and code (a replay throws an `Error` with those); a thrown value that is not an `Error` but JSON
// (a plain object such as `{ message, code }`, a string, a number) is kept whole and thrown back as itself, so an
// app that reads `e.code` or `String(e)` sees the same thing in replay. Pure: no Vitest, no I/O.
import type { ToolError } from './entry.js'
import { jsonProblem } from './tool-json.js'

/**
 * The recording of a thrown value: its name, message and `code` for an `Error`; for anything else, `Error` and its
 * text, plus the value itself (a copy taken now) when it is JSON.
 *
 * @example
 * toolErrorOf({ message: 'user not found', code: 'E404' }) // { name: 'Error', message: '{"message":"user not found","code":"E404"}', value: { message: 'user not found', code: 'E404' } }
 */
export function toolErrorOf(thrown: unknown): ToolError {
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code
    return { name: thrown.name, message: thrown.message, ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}) }
  }
  const message = typeof thrown === 'string' ? thrown : safeText(thrown)
  return { name: 'Error', message, ...(keepsThrown(thrown) ? { value: structuredClone(thrown) } : {}) }
}

/** True when a thrown value that is not an `Error` can be kept as it is: when it is JSON (`undefined` is not). */
export function keepsThrown(thrown: unknown): boolean {
  return jsonProblem(thrown, 'thrown') === undefined
}

/**
 * What a replay throws for a recorded throw: a copy of the thrown value when it was kept, else an `Error` with the
 * recorded name, message and code.
 *
 * @example
 * throw replayedThrow(record.error)
 */
export function replayedThrow(error: ToolError): unknown {
  if (error.value !== undefined) return structuredClone(error.value)
  return Object.assign(new Error(error.message), { name: error.name }, error.code === undefined ? {} : { code: error.code })
}

function safeText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
