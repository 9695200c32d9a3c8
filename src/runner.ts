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

  // Vitest 4.1's runner has no onAfterRetryTask of its own (5's is async); Vitest calls it after the try's
  // afterEach hooks, cleanups and onTestFinished callbacks, and fails the test with what it throws.
  override onAfterRetryTask(test: RunnerTestCase, options?: TryOptions): Promise<void> {
    const base = (TestRunner.prototype as { onAfterRetryTask?: AfterRetry }).onAfterRetryTask
    const before = base?.call(this, test, options)
    const lifecycle = testLifecycle()
    if (before instanceof Promise) return before.then(() => lifecycle?.endTry(test))
    return Promise.resolve(lifecycle?.endTry(test))
  }
}
