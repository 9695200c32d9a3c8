// What the reporter says of finished tests whose result it could not summarise (a bug, or a meta no run should carry):
// the run still writes its history and reports without them, and fails, so nothing is dropped in silence.

/** Tests named in the message; the rest are counted. */
const MAX_NAMED = 10

/**
 * The error the reporter prints for tests it could not summarise.
 *
 * @example
 * unsummarizedMessage([{ test: 'faq > c1', file: 'faq.test.ts', error: new TypeError('x') }])
 * // '[vitest-llm-evals] 1 test\'s result could not be added to the run\'s scores, so its scores are left out …'
 */
export function unsummarizedMessage(tests: readonly { test: string; file: string; error: unknown }[]): string {
  const lines = tests.slice(0, MAX_NAMED).map(({ test, file, error }) => `  - ${file} > ${test}: ${error instanceof Error ? error.message : String(error)}`)
  if (tests.length > MAX_NAMED) lines.push(`  … and ${tests.length - MAX_NAMED} more`)
  const count = tests.length === 1 ? "1 test's result" : `${tests.length} tests' results`
  return [
    `[vitest-llm-evals] ${count} could not be added to the run's scores, so ${tests.length === 1 ? 'its scores are' : 'their scores are'} left out of the history and reports, and the run fails:`,
    ...lines,
    'A test that sets task.meta by hand should keep it to JSON values (no functions, cycles or class instances); otherwise this is a bug in vitest-llm-evals: please report it with the message above.',
  ].join('\n')
}
