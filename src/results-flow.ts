// Keeps a worker's finished tests flowing to the main process while it runs many fast tests.
//
// Vitest sends finished tests to the main process at most every 100 ms, over the child process's pipe. A file
// of thousands of quick tests whose awaits all resolve as microtasks never lets the worker's event loop turn,
// so once the pipe's buffer is full nothing more leaves until the last test ends: the main process then
// receives every result at once and all of its per-test work (the reporters', Vitest's and ours) runs after
// the tests, on the critical path. Letting the event loop turn every few tens of milliseconds moves that work
// beside the tests, on the machine's other core (issue 17: ~0.5 s of a 5,000-case run). Tests that do real
// I/O (a model call, a cassette read) turn the loop anyway; for them this never waits.
import { realElapsedNow, realSetImmediate } from './real-clock.js'

/** Longest stretch of tests without a turn of the event loop (ms): Vitest's own send interval is 100 ms. */
export const RESULTS_FLOW_MS = 40

/**
 * Tells, test by test, when the worker should let its event loop turn: true once `intervalMs` passed since
 * the last turn it asked for. `now` is read from the real clock (see real-clock.ts), so fake timers in a test do
 * not stop or hurry it.
 *
 * @example
 * const flow = new ResultsFlow()
 * if (flow.due()) await flow.turn()
 */
export class ResultsFlow {
  private last: number

  constructor(
    private readonly intervalMs = RESULTS_FLOW_MS,
    private readonly now: () => number = realElapsedNow,
  ) {
    this.last = this.now()
  }

  /** True when the last turn was more than `intervalMs` ago (and starts the next interval). */
  due(): boolean {
    const now = this.now()
    if (now - this.last < this.intervalMs) return false
    this.last = now
    return true
  }

  /** Resolves after one turn of the event loop (pending writes to the main process go out). */
  turn(): Promise<void> {
    return new Promise((done) => realSetImmediate(done))
  }
}
