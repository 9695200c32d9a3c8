// How the worker setup file learns of each test try without a Vitest hook. A `beforeEach` hook costs every test
// Vitest's hook machinery and two task events sent to the main process (~30 µs a test; BENCHMARKS.md, issue 17).
// So the plugin makes Vitest use the library's test runner (src/runner.ts), which tells the setup file when a test
// try begins and ends; when a project has a runner of its own (or the plugin is not used), the setup file
// registers its `beforeEach` as before. Both sides meet on `globalThis`: if the runner and the setup file ever see
// different globals (a VM pool), the setup file sees no runner and uses its hook, and the runner finds nothing to
// call, so a test is never begun twice nor missed. No Vitest import: the runner loads this before Vitest runs a file.

/** What the setup file does when a test try begins and ends. */
export interface TestLifecycle {
  /** A try begins (before every `beforeEach` hook); a promise when it must wait (the results flow's turn). */
  beginTry(test: LifecycleTest, repeat: number): Promise<void> | undefined
  /** The try has ended (after every `afterEach` hook and cleanup); what it throws fails the test. */
  endTry(test: LifecycleTest): Promise<void> | undefined
  /** Hides keys in the test's meta (endTry does too): for a try that ended before its last callbacks ran. */
  hideSecrets(test: LifecycleTest): void
  /** Registers the setup file's per-file hooks in the test file being collected (once per file). */
  collectFile(): void
}

/** The parts of a Vitest test this module's callers pass on (structural: Vitest 4.1 and 5 both fit). */
export interface LifecycleTest {
  name: string
  type: string
  concurrent?: boolean
  context?: { signal?: AbortSignal }
  meta: object
}

const RUNNER = Symbol.for('vitest-llm-evals.runner')
const LIFECYCLE = Symbol.for('vitest-llm-evals.test-lifecycle')

type Slots = { [RUNNER]?: boolean; [LIFECYCLE]?: TestLifecycle }

/** Called by the library's runner when Vitest creates it in a worker. */
export function markRunner(): void {
  ;(globalThis as Slots)[RUNNER] = true
}

/** True when this worker's tests run under the library's runner (then the setup file needs no per-test hook). */
export function runnerIsOurs(): boolean {
  return (globalThis as Slots)[RUNNER] === true
}

/** Called by the setup file (once per test file: it replaces the previous file's). */
export function setTestLifecycle(lifecycle: TestLifecycle): void {
  ;(globalThis as Slots)[LIFECYCLE] = lifecycle
}

/** What the runner calls, if the setup file registered it. */
export function testLifecycle(): TestLifecycle | undefined {
  return (globalThis as Slots)[LIFECYCLE]
}
