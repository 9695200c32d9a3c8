import { AsyncLocalStorage } from 'node:async_hooks'
import type { CallRole } from './entry.js'

/** The test attempt a request belongs to, as the worker setup file registers it. */
export interface TestScope {
  /** Full test name (`suite > test`). */
  test: string
  repeat: number
  /** The test's place among the tests of its file with the same full name (2 for the second), when it is not the first. */
  duplicate?: number
  /** False once the test has finished: later requests belong to the file, not to it. */
  active: boolean
  /** Vitest's `context.signal` of the test: aborted when the test times out (a stream it aborts is then not the app's stop). */
  signal?: AbortSignal
  /** A time limit of the test other than Vitest's ran out (a describeEval trial's `timeout`): it was cut off as when `signal` aborts. */
  timedOut?: true
}

// Tests of a file run one at a time unless they are concurrent, so the running test is simply the one
// that began last. Only concurrent tests need AsyncLocalStorage, and only they pay for it: once used,
// Node tracks every promise of the worker (async hooks), which costs plain suites ~10 µs per test.
let sequentialScope: TestScope | undefined
let testStorage: AsyncLocalStorage<TestScope | undefined> | undefined
let roleStorage: AsyncLocalStorage<CallRole> | undefined
// While recording (`record`, `auto`: network calls dwarf the cost), sequential tests' scopes follow async context
// too, only to tell a call a finished test left running from the running test's own (see `lateCallScopes`).
let trackSequential = false
let earlierCutOff: TestScope | undefined

/** Makes sequential tests' scopes follow their async context too (see {@link lateCallScopes}); off in `replay`, where nothing is recorded. */
export function trackSequentialContext(on: boolean): void {
  trackSequential = on
}

/**
 * Makes `scope` the running test (when its try begins: the library's runner, else the setup file's
 * `beforeEach`). A concurrent test's scope follows its async context, so requests of tests running side by
 * side are told apart.
 */
export function enterTestScope(scope: TestScope, concurrent = false): void {
  if (concurrent) {
    testStorage ??= new AsyncLocalStorage<TestScope | undefined>()
    testStorage.enterWith(scope)
  } else {
    // A sequential test that was cut off (its signal aborted) may leave calls running into this one (see `cutOffBefore`).
    if (sequentialScope && wasCutOff(sequentialScope) && sequentialScope !== scope) earlierCutOff = sequentialScope
    sequentialScope = scope
    // A concurrent test's scope can reach this test's context (it started beside the suite of this one) and
    // still be active (its onTestFinished callbacks): this test's requests would be recorded onto it.
    if (trackSequential) (testStorage ??= new AsyncLocalStorage<TestScope | undefined>()).enterWith(scope)
    else testStorage?.enterWith(undefined)
  }
}

/** The test the current code runs for, if any. */
export function currentTestScope(): TestScope | undefined {
  const scope = testStorage?.getStore()
  if (scope?.active) return scope
  return sequentialScope?.active ? sequentialScope : undefined
}

/** A call that reached the cassettes in the async context of a test other than the one it may be filed under (see {@link lateCallScopes}). */
export interface LateCallScopes {
  /** The test whose async context the call was made in. */
  started: TestScope
  /** The sequential test running now, when there is one other than `started`. */
  running: TestScope | undefined
  /** `started` was cut off (its `signal` aborted: it timed out, or the run was cancelled): the call is its own, late. */
  cutOff: boolean
}

/**
 * The test whose async context the current code runs in, when the call it makes is late: that test was cut off (its
 * `signal` aborted), or, while sequential tests are tracked, it finished and another sequential test runs (a call it
 * left running, not awaited, or the running test's own call made through a queue that keeps the finished test's
 * context). A concurrent test's context is always known, so its late calls are told apart in every mode.
 */
export function lateCallScopes(): LateCallScopes | undefined {
  const started = testStorage?.getStore()
  if (!started) return undefined
  const running = sequentialScope?.active && sequentialScope !== started ? sequentialScope : undefined
  // Cut off and ended: while it still runs (its afterEach hooks after a timeout; a cancelled run, Ctrl-C or `--bail`,
  // aborts every running test's signal) a call is the test's own, recorded under it as before (a failed try's is held).
  if (wasCutOff(started) && !started.active) return { started, running, cutOff: true }
  if (trackSequential && !started.active && running) return { started, running, cutOff: false }
  return undefined
}

/** `scope` was cut off: its signal aborted (Vitest's timeout, a cancelled run) or another time limit of it ran out. */
function wasCutOff(scope: TestScope): boolean {
  return scope.signal?.aborted === true || scope.timedOut === true
}

/**
 * The last sequential test of the current file that was cut off (timed out) before the running one began: in `replay`
 * a call it left running is not told apart (sequential tests are not tracked there), and misses under a later test.
 */
export function cutOffBefore(): TestScope | undefined {
  return earlierCutOff
}

/** A new test file begins: the tests cut off in the one before are no longer "earlier tests of this file". */
export function forgetCutOffTests(): void {
  earlierCutOff = undefined
}

/**
 * Runs `fn` with every model call inside it tagged as a `judge` call in cassettes.
 * The judge layer wraps its calls in this; app code never needs it.
 *
 * @example
 * const verdict = await withCallRole('judge', () => client.chat.completions.create(request))
 */
export function withCallRole<T>(role: CallRole, fn: () => T): T {
  roleStorage ??= new AsyncLocalStorage<CallRole>()
  return roleStorage.run(role, fn)
}

/** The role of the current call: `judge` inside {@link withCallRole}, else `app`. */
export function currentCallRole(): CallRole {
  return roleStorage?.getStore() ?? 'app'
}
