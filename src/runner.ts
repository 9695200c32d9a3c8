// The test runner the plugin gives a project that has none of its own: Vitest's own, which also tells the worker
// setup file when each test try begins and ends (src/test-lifecycle.ts), instead of a per-test `beforeEach` hook.
// `TestRunner` is exported by `vitest` in 4.1 (also as `VitestTestRunner` from `vitest/runners`) and in 5.
import { TestRunner, type RunnerTestCase } from 'vitest'
import { markRunner, testLifecycle } from './test-lifecycle.js'

/** Which try of a test this is (Vitest passes it in 5; 4.1's declared runner methods take the test alone). */
interface TryOptions {
  retry: number
  repeats: number
}
type ImportSource = Parameters<TestRunner['importFile']>[1]
type AfterRetry = (this: TestRunner, test: RunnerTestCase, options?: TryOptions) => unknown
type TaskFinished = (this: TestRunner, test: RunnerTestCase) => unknown
/** Vitest's own onTaskFinished, if a version of its runner has one (4.1 and 5 do not). */
const baseTaskFinished = (TestRunner.prototype as { onTaskFinished?: TaskFinished }).onTaskFinished
/** A try's onTestFinished and onTestFailed callbacks, as Vitest 4.1 and 5 keep them on the test (undeclared). */
interface TryCallbacks {
  onFailed?: unknown[]
  onFinished?: FinishedCallback[]
}
type FinishedCallback = (context: { task: unknown }) => unknown

/** Tries ended before their onTestFailed callbacks (endBeforeFailedCallbacks), not again after them. */
const endedEarly = new WeakSet<RunnerTestCase>()

// Vitest calls a try's onTestFinished callbacks (last registered first), then, if it failed, its onTestFailed
// callbacks, then the runner's onAfterRetryTask. Ended as the last onTestFinished callback, a try's end (an
// un-awaited matcher, a replay miss the app swallowed) fails it before its onTestFailed callbacks, which then see it.
const endBeforeFailedCallbacks: FinishedCallback = (context) => {
  const test = context.task as RunnerTestCase
  endedEarly.add(test)
  return testLifecycle()?.endTry(test)
}

/**
 * Vitest's test runner, plus the library's start and end of each test try. A project's own `runner` is kept: the
 * setup file then uses a `beforeEach` hook. To keep both, extend this class in your runner.
 *
 * @example
 * // my-runner.ts (set as `test.runner`)
 * import LlmEvalsRunner from 'vitest-llm-evals/runner'
 * export default class MyRunner extends LlmEvalsRunner {}
 */
export default class LlmEvalsRunner extends TestRunner {
  /** True until the setup file's per-file hooks are registered in the test file being collected. */
  #fileHooksDue = true

  constructor(...args: ConstructorParameters<typeof TestRunner>) {
    super(...args)
    markRunner()
  }

  // After the setup file is imported for a test file, its per-file hooks go into that file (collectFile): a worker
  // running several files (`--no-isolate`, VM pools) evaluates an installed setup file for its first file only.
  // Vitest imports a file's setup files, then the file itself ('collect'): the next file's hooks are due from then.
  override importFile(filepath: string, source: ImportSource): unknown {
    // Not `async`, and a test file's own import passed on untouched: an async method here would put a frame of the
    // library into the stack of every error thrown while a test file loads (describeEval's call sites, misuse).
    if (source !== 'setup') {
      if (source === 'collect') this.#fileHooksDue = true
      return super.importFile(filepath, source)
    }
    return Promise.resolve(super.importFile(filepath, source)).then((imported) => {
      const lifecycle = this.#fileHooksDue ? testLifecycle() : undefined
      if (lifecycle) {
        this.#fileHooksDue = false
        lifecycle.collectFile()
      }
      return imported
    })
  }

  override onBeforeTryTask(test: Parameters<TestRunner['onBeforeTryTask']>[0], options?: TryOptions): Promise<void> | void {
    ;(super.onBeforeTryTask as (this: TestRunner, test: unknown, options?: TryOptions) => void).call(this, test, options)
    // Synchronous up to the promise it may return: a concurrent test's async context is entered here, and the
    // runner's `await` of this call carries it into the test.
    if (test.type === 'test') return testLifecycle()?.beginTry(test, options?.repeats ?? 0)
  }

  // Vitest calls it after the try's test function (it threw or not) and before its afterEach hooks. Only a try with
  // onTestFailed callbacks by then ends early: the others pay one property read.
  onTaskFinished(test: RunnerTestCase): unknown {
    const result = baseTaskFinished?.call(this, test)
    const callbacks = test as TryCallbacks
    if (callbacks.onFailed?.length) (callbacks.onFinished ??= []).unshift(endBeforeFailedCallbacks)
    return result
  }

  // Vitest 4.1's runner has no onAfterRetryTask of its own (5's is async); Vitest calls it after the try's
  // afterEach hooks, cleanups, onTestFinished and onTestFailed callbacks, and fails the test with what it throws.
  override onAfterRetryTask(test: RunnerTestCase, options?: TryOptions): Promise<void> {
    const base = (TestRunner.prototype as { onAfterRetryTask?: AfterRetry }).onAfterRetryTask
    const before = base?.call(this, test, options)
    const lifecycle = testLifecycle()
    // Ended early: what its onTestFailed callbacks added to its meta is still checked for keys.
    const end = endedEarly.delete(test) ? () => lifecycle?.hideSecrets(test) : () => lifecycle?.endTry(test)
    if (before instanceof Promise) return before.then(end)
    return Promise.resolve(end())
  }
}
