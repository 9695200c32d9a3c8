import { AsyncLocalStorage } from 'node:async_hooks'
import type { CallRole } from './entry.js'

/** The test attempt a request belongs to, as the worker setup file registers it. */
export interface TestScope {
  /** Full test name (`suite > test`). */
  test: string
  repeat: number
  /** False once the test has finished: later requests belong to the file, not to it. */
  active: boolean
}

const testStorage = new AsyncLocalStorage<TestScope>()
const roleStorage = new AsyncLocalStorage<CallRole>()

/** Makes `scope` the current test for the rest of this async context (called from `beforeEach`). */
export function enterTestScope(scope: TestScope): void {
  testStorage.enterWith(scope)
}

/** The test the current code runs for, if any. */
export function currentTestScope(): TestScope | undefined {
  const scope = testStorage.getStore()
  return scope?.active ? scope : undefined
}

/**
 * Runs `fn` with every model call inside it tagged as a `judge` call in cassettes.
 * The judge layer wraps its calls in this; app code never needs it.
 *
 * @example
 * const verdict = await withCallRole('judge', () => client.chat.completions.create(request))
 */
export function withCallRole<T>(role: CallRole, fn: () => T): T {
  return roleStorage.run(role, fn)
}

/** The role of the current call: `judge` inside {@link withCallRole}, else `app`. */
export function currentCallRole(): CallRole {
  return roleStorage.getStore() ?? 'app'
}
