// A case whose test Vitest failed before the case had an outcome: its test timeout passed while the task or a
// scorer that ignores its signal was still running (describeEval's own `timeout` unset). The case never reports,
// so the suite gate, which leaves out cases that did not run (a `-t` filter), would pass on the others. Pure.
import type { CaseOutcome } from './suite-gate.js'

/** What is read of a case's Vitest test: its state and first error once it has finished. */
export interface UnfinishedCase {
  result?: { state?: string; errors?: readonly { message?: string }[] }
}

/**
 * The outcome of case `caseId` whose test failed with no outcome recorded: a failure before it was scored (0
 * on every metric, as a task that threw), with Vitest's error; undefined when the test did not run or has not failed.
 *
 * @example
 * unfinishedOutcome('q7', task) // { caseId: 'q7', pass: false, metrics: {}, error: 'Test timed out in 5000ms. …' }
 */
export function unfinishedOutcome(caseId: string, test: UnfinishedCase | undefined): CaseOutcome | undefined {
  if (test?.result?.state !== 'fail') return undefined
  const message = test.result.errors?.[0]?.message
  return { caseId, pass: false, metrics: {}, error: message === undefined || message === '' ? 'its test failed before the case was scored' : message }
}
