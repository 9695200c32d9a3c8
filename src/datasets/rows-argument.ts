// The rows a dataset helper is given (`inspectDataset`, `oversample`, `toFineTuningJsonl`…), checked at its call:
// anything but an array was a bare TypeError (`rows is not iterable`) from inside the library. Pure: no Vitest.
import { ConfigError } from '../errors/index.js'

/** `value` in a sentence: its type, and a short preview of a string or number. */
export function describedArgument(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)})`
  if (typeof value === 'number' || typeof value === 'boolean') return `a ${typeof value} (${String(value)})`
  if (typeof (value as { then?: unknown }).then === 'function') return 'a Promise: await it first'
  if (typeof value === 'object') {
    const kind = Object.prototype.toString.call(value).slice(8, -1)
    return kind === 'Object' ? 'an object' : `a ${kind}${typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function' ? ', not an array: pass [...rows]' : ''}`
  }
  return `a ${typeof value}`
}

/**
 * Throws a ConfigError, its stack starting at the caller of `callee`, unless `rows` is an array: it names the call
 * (`call`, e.g. `inspectDataset(rows)`), what it got, and where rows come from.
 *
 * @example
 * requireRows(rows, 'oversample(rows, label)', oversample)
 */
export function requireRows(rows: unknown, call: string, callee: (...args: never[]) => unknown, what = 'an array of rows (e.g. from await loadDataset(path, schema))'): asserts rows is readonly unknown[] {
  if (Array.isArray(rows)) return
  const error = new ConfigError(`${call} needs ${what}, got ${describedArgument(rows)}.`)
  Error.captureStackTrace(error, callee)
  throw error
}
