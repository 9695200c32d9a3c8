// What `evalEach` is given as rows, checked: not an array is a ConfigError at the call; no rows at all is a
// DatasetError its own failing test shows, as describeEval's empty data is (a file of no tests passes unseen).
// Pure: no Vitest.
import { ConfigError, DatasetError } from '../errors/index.js'
import { callSiteText } from './call-site-text.js'
import { shownValue } from './suite-threshold.js'

function described(rows: unknown): string {
  if (rows === null || rows === undefined) return String(rows)
  if (typeof rows === 'string') return `a string (${shownValue(rows.length > 60 ? `${rows.slice(0, 60)}…` : rows)}); to read a dataset file, pass await loadDataset(path, schema)`
  if (typeof (rows as { then?: unknown }).then === 'function') return 'a Promise: await it first (const rows = await loadDataset(…), at the top level of the test file), as the tests are defined while the file is collected'
  if (typeof (rows as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') {
    // A Set, a generator, a typed array: the rows are there, in the wrong container.
    const kind = Object.prototype.toString.call(rows).slice(8, -1)
    return `a ${kind}, not an array: pass ${kind === 'Map' ? '[...rows.values()]' : '[...rows]'}`
  }
  return typeof rows === 'object' ? 'an object' : `a ${typeof rows} (${shownValue(rows)})`
}

/**
 * Throws a ConfigError, its stack starting at the caller of `callee`, unless `rows` is an array.
 *
 * @example
 * checkEachRows(rows, evalEach) // throws for undefined: "evalEach(rows) needs an array of rows …, got undefined"
 */
export function checkEachRows(rows: unknown, callee: (...args: never[]) => unknown): void {
  if (Array.isArray(rows)) return
  const error = new ConfigError(`evalEach(rows) needs an array of rows (e.g. from await loadDataset(path, schema)), got ${described(rows)}.`)
  Error.captureStackTrace(error, callee)
  throw error
}

/**
 * The error of an `evalEach` given no rows: where it was called (from `callSite`, a stack captured at the call)
 * and how to fix it.
 *
 * @example
 * noRowsError('answers $question', callSite) // DatasetError: evalEach(rows)("answers $question", …) at a.test.ts:7 got no rows …
 */
export function noRowsError(template: string, callSite: { stack?: string }): DatasetError {
  const where = callSiteText(callSite.stack)
  return new DatasetError(
    `evalEach(rows)(${JSON.stringify(template)}, …)${where === undefined ? '' : ` at ${where}`} got no rows, so it defines no test of its own. ` +
      'Check the rows it is given: an empty dataset file, or a filter that drops every row.',
  )
}
