// Which test a matcher call belongs to. The test context's `expect` binds its own test (`this.task`); the
// global `expect` carries the test that began last, which inside `test.concurrent` is often another one (its
// records landed on the wrong test, or were lost when that test had already been reported). So the setup
// file registers each concurrent test in an AsyncLocalStorage that follows the test's async context, and a
// record goes to the test whose code made it. Sequential tests need none of this (and pay nothing for it).
import { AsyncLocalStorage } from 'node:async_hooks'
import type { MatcherState } from 'vitest'

type RunningTest = NonNullable<MatcherState['task']>

let concurrentTests: AsyncLocalStorage<RunningTest | undefined> | undefined

/**
 * Makes `task` the test of the current async context (called when a concurrent test's try begins:
 * from the library's runner, or the setup file's `beforeEach`).
 *
 * @example
 * beforeEach(({ task }) => { if (task.concurrent) enterConcurrentTest(task) })
 */
export function enterConcurrentTest(task: RunningTest): void {
  concurrentTests ??= new AsyncLocalStorage<RunningTest | undefined>()
  concurrentTests.enterWith(task)
}

/**
 * Makes a sequential test's async context carry no concurrent test (called when its try begins). It can inherit
 * one: a concurrent test's registration reaches the suites that start beside it, and that test may still be
 * running (its `onTestFinished` callbacks), so the sequential test's global `expect` would record onto it.
 */
export function enterSequentialTest(): void {
  concurrentTests?.enterWith(undefined)
}

/**
 * The test a matcher call is made for: the concurrent test whose code is running, else the matcher's
 * `this.task` (the test context's `expect`, or the global one in sequential tests).
 *
 * @example
 * const task = runningTest(this)
 */
export function runningTest(state: Pick<MatcherState, 'task'>): RunningTest | undefined {
  const concurrent = concurrentTests?.getStore()
  // The registration can outlive its test in the runner's context (a later sequential test): only a test still running counts.
  return concurrent?.result?.state === 'run' ? concurrent : state.task
}
