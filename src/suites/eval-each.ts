import { test, type TestContext, type TestOptions } from 'vitest'
import { pointAtCaller, type CallSiteHolder } from '../../matchers/shared/caller-stack.js'
import { ConfigError } from '../errors/index.js'
import { toEvalCases } from './cases.js'
import { checkEachRows, noRowsError } from './each-rows.js'
import { asThrownError } from './thrown-value.js'
import { defaultExpected } from './run-case.js'
import { evalMeta } from './task-meta.js'

/** Options of {@link evalEach}. */
export interface EvalEachOptions<Row = unknown> extends TestOptions {
  /** Field holding the case id (default `id`); rows without it get a content hash. */
  idField?: string
  /** Text shown as the case's expected answer in reports (default: the row's `expected` or `reference` field; objects as JSON). */
  expected?: (row: Row) => string
}

/** What an `evalEach` test function receives besides the row: Vitest's test context and the case id. */
export type EvalCaseContext = TestContext & { caseId: string }

const OWN_OPTIONS = ['idField', 'expected'] as const
const spelling = (key: string) => key.toLowerCase().replace(/[^a-z]/g, '')

/**
 * Checks evalEach's own options once: the rest go to Vitest as test options, which ignores a key it does not
 * know, so `idfield` or `id_field` would silently give content-hash ids. Pure.
 */
function checkOptions(options: object): void {
  const given = options as { idField?: unknown; expected?: unknown }
  for (const key of Object.keys(options)) {
    const meant = OWN_OPTIONS.find((own) => own !== key && spelling(own) === spelling(key))
    if (meant) throw new ConfigError(`evalEach option ${JSON.stringify(key)} is not one it knows; did you mean "${meant}"? Its options are idField and expected, besides Vitest's test options.`)
  }
  if (given.idField !== undefined && (typeof given.idField !== 'string' || given.idField === '')) throw new ConfigError(`evalEach option idField must be a field name (a non-empty string), got ${JSON.stringify(given.idField) ?? String(given.idField)}.`)
  if (given.expected !== undefined && typeof given.expected !== 'function') {
    throw new ConfigError(`evalEach option expected must be a function of the row, such as (row) => row.answer, got ${JSON.stringify(given.expected) ?? typeof given.expected}.`)
  }
}

/**
 * A typed wrapper over Vitest's `test.for`: one test per row, named from the row's fields (`$question`,
 * `$id`, `$a.b`), with `task.meta.caseId` set so every score record carries the case id. Use the context's
 * `expect` so records land on the right test when cases run concurrently. Rows that are not an array are a
 * ConfigError; no rows define one failing test, `<name> (no rows)`, saying where and why.
 *
 * @example
 * evalEach(cases)('answers $id', async (row, { expect }) => {
 *   await expect(await answer(row.question)).toBeSimilarTo(row.expected)
 * })
 * @see docs/datasets-and-suites.md#evaleach-one-test-per-row
 */
export function evalEach<Row>(rows: readonly Row[], options: EvalEachOptions<Row> = {}) {
  checkEachRows(rows, evalEach)
  checkOptions(options)
  return function defineCases(name: string, fn: (row: Row, context: EvalCaseContext) => unknown, timeout?: number): void {
    const { idField, expected: expectedOf, ...testOptions } = options
    const cases = toEvalCases(rows, name, idField)
    // Where the cases were defined, for their errors (the stack is formatted only when one is made).
    const callSite: CallSiteHolder = {}
    Error.captureStackTrace(callSite, defineCases)
    if (cases.length === 0) {
      // No rows would define no test: the file would pass, unseen. One test fails instead, at the line of the call,
      // with the cases' options (so `skip`, `only`, `concurrent` mean what they did); the file's other tests run.
      // Not `fails`: the cases are expected to fail, not their absence (it would pass, unseen again).
      const error = noRowsError(name, callSite)
      const { fails: _expectedToFail, ...noRowsOptions } = testOptions
      test(`${name} (no rows)`, { ...noRowsOptions, ...(timeout === undefined ? {} : { timeout }) }, () => {
        throw pointAtCaller(error, callSite)
      })
      return
    }
    const run = async (context: TestContext, caseId: string, row: Row): Promise<void> => {
      const meta = evalMeta(context.task)
      meta.caseId = caseId
      const expected = expectedOf ? expectedOf(row) : defaultExpected(row)
      if (expected !== undefined) meta.expected = expected
      ;(context as EvalCaseContext).caseId = caseId
      try {
        await fn(row, context as EvalCaseContext)
      } catch (error) {
        // `throw undefined` (or a string, a plain object) would fail the test with no message at all.
        throw asThrownError(error, `The test function of evalEach(rows)(${JSON.stringify(name)}, …)`, caseId, callSite)
      }
    }
    const caseOptions = { ...testOptions, ...(timeout === undefined ? {} : { timeout }) }
    // One `test` per case, as `test.for(cases)('%s', …)` registered them: the same names (Vitest's '%s' prints
    // a string as it is), options and context, in Vitest 4.1 and 5, without formatting each name again.
    for (const each of cases) test(each.name, caseOptions, (context) => run(context, each.id, each.row))
  }
}
