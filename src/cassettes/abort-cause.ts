// Who cut off a model call that never got its answer: the test's time limit (describeEval's `timeout` aborts the
// task's signal; Vitest's test timeout aborts `context.signal`), or the app itself (its own AbortController or
// `AbortSignal.timeout`, e.g. a user-facing time limit or a cancel button). A miss later says which: the fix differs.
import type { UnrecordedReason } from './entry.js'
import { currentTestScope, type TestScope } from './scope.js'
import { realElapsedNow } from '../real-clock.js'

/** Abort reasons of test time limits (see {@link markTestTimeout}). */
const testTimeouts = new WeakSet<object>()
/** When a time limit of each test ran out (`realElapsedNow()`): an SDK that aborts its own controller drops the reason. */
const scopeTimeouts = new WeakMap<TestScope, number>()

/**
 * Marks `reason` as a test's time limit running out, before a signal aborts with it (describeEval's trial timeout).
 *
 * @example
 * const error = taskTimeoutError('Case "q1"', 200)
 * controller.abort(markTestTimeout(error))
 */
export function markTestTimeout<T extends object>(reason: T): T {
  testTimeouts.add(reason)
  // The timer runs in the test's context: the test whose calls it cuts off.
  const scope = currentTestScope()
  if (scope) {
    scopeTimeouts.set(scope, realElapsedNow())
    // Its calls arriving after it ended are late (see `lateCallScopes`), as a test Vitest timed out.
    scope.timedOut = true
  }
  return reason
}

/** Why a call whose request signal (`request`) or test signal (`test`) aborted was cut off, and the app's abort reason's name. */
export interface AbortCause {
  reason: Extract<UnrecordedReason, 'test-timeout' | 'app-abort'>
  /** For an app's abort: the name of its reason (`TimeoutError` for `AbortSignal.timeout`, `AbortError` for `abort()`). */
  detail?: string
}

/**
 * The cause of an aborted call (`call`: its test and when it was sent); `undefined` when neither signal aborted, or
 * when the user cancelled the run.
 *
 * @example
 * abortCause(AbortSignal.timeout(0), undefined) // { reason: 'app-abort', detail: 'TimeoutError' } (once it fired)
 */
export function abortCause(request: AbortSignal | undefined, test: AbortSignal | undefined, call?: { scope: TestScope; startedAt: number }): AbortCause | undefined {
  // A run the user cancelled (Ctrl+C, `--bail`) aborts every running test's signal: no time ran out, nothing to tell.
  if (isRunCancel(test?.reason) || (request?.aborted && isRunCancel(request.reason))) return undefined
  if (test?.aborted) return { reason: 'test-timeout' }
  if (!request?.aborted) return undefined
  const reason: unknown = request.reason
  if (typeof reason === 'object' && reason !== null && testTimeouts.has(reason)) return { reason: 'test-timeout' }
  // Its test's time limit ran out after the call was sent (an SDK that follows the signal with `controller.abort()`, as Anthropic's does).
  if (call && (scopeTimeouts.get(call.scope) ?? -Infinity) >= call.startedAt) return { reason: 'test-timeout' }
  const name = reason instanceof Error || (typeof reason === 'object' && reason !== null && typeof (reason as { name?: unknown }).name === 'string') ? String((reason as { name: string }).name) : undefined
  // The name only: a reason's message is the app's text, and may hold anything.
  return { reason: 'app-abort', ...(name && /^\w{1,40}$/.test(name) ? { detail: name } : {}) }
}

/** True for Vitest's reason for aborting the signals of a run the user cancelled (`signal.reason`). */
export function isRunCancel(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TestRunAbortError'
}
