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
}

// Tests of a file run one at a time unless they are concurrent, so the running test is simply the one
// that began last. Only concurrent tests need AsyncLocalStorage, and only they pay for it: once used,
// Node tracks every promise of the worker (async hooks), which costs plain suites ~10 µs per test.
let sequentialScope: TestScope | undefined
let testStorage: AsyncLocalStorage<TestScope | undefined> | undefined
let roleStorage: AsyncLocalStorage<CallRole> | undefined
// While recording (`record`, `auto`: network calls dwarf the cost), sequential tests' scopes follow async context
// too, only to tell a call a finished test left running from the running test's own (see `leftoverScope`).
let trackSequential = false

/** Makes sequential tests' scopes follow their async context too (see {@link leftoverScope}); off in `replay`, where nothing is recorded. */
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

/**
 * The finished test whose async context the current code runs in while another sequential test runs: a call it
 * left running (not awaited) that is only now reaching the network. Known only while sequential tests are tracked.
 */
export function leftoverScope(): TestScope | undefined {
  const scope = testStorage?.getStore()
  if (!trackSequential || !scope || scope.active || !sequentialScope?.active || scope === sequentialScope) return undefined
  return scope
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
