// What a case shows in reports besides its output: its input and what it expects, by default from the row's
// usual fields. Pure.
import { printValue } from '../print-value.js'

/** The row's `input` (else `question`, `prompt`) field, else the whole row printed. */
export function defaultInput(row: unknown): string {
  const fields = typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {}
  const text = [fields.input, fields.question, fields.prompt].find((value) => typeof value === 'string')
  return typeof text === 'string' ? text : printValue(row)
}

/** Longest default `expected` text: the summary cuts it again to the report's limit. */
const MAX_EXPECTED_CHARS = 2_000

/**
 * The row's `expected` (else `reference`) field as text: strings and numbers as they are, plain objects
 * and arrays as bounded JSON; nothing when the row has neither field.
 *
 * @example
 * defaultExpected({ question: 'Capital of France?', expected: 'Paris' }) // 'Paris'
 */
export function defaultExpected(row: unknown): string | undefined {
  const fields = typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {}
  const value = fields.expected ?? fields.reference
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  if (typeof value === 'object' && value !== null && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    return printValue(value, { maxChars: MAX_EXPECTED_CHARS })
  }
  return undefined
}
