// The process's clock and timers as they were when the library loaded in the worker (with the setup file, before
// any test code runs). A test that fakes them (`vi.useFakeTimers()`, `vi.setSystemTime()`) replaces the globals,
// and, with `fakeNodeBuiltins`, `node:timers` too: the library's recordings, locks, writes and time limits keep
// the real ones. Vitest fakes Date, performance, hrtime and every timer but nextTick and queueMicrotask.
import { performance } from 'node:perf_hooks'

const RealDate = globalThis.Date
const timers = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setImmediate: globalThis.setImmediate,
}

/**
 * Milliseconds since the epoch on the real clock (`Date.now()` as it is when no test fakes it).
 *
 * @example
 * const runStartedAt = realNow()
 */
export function realNow(): number {
  return RealDate.now()
}

/**
 * The real time (`now`, default the current time) as an ISO string: what recordings and reports store.
 *
 * @example
 * const meta = { recordedAt: realIsoTime() }
 */
export function realIsoTime(now: number = RealDate.now()): string {
  return new RealDate(now).toISOString()
}

/**
 * A real `Date` (for `utimes` and the like).
 *
 * @example
 * utimesSync(file, realDate(), realDate())
 */
export function realDate(now: number = RealDate.now()): Date {
  return new RealDate(now)
}

/**
 * Milliseconds on the real monotonic clock (`performance.now()` from `node:perf_hooks`, which fake timers leave
 * alone): for durations (latency, write intervals).
 *
 * @example
 * const latencyMs = Math.round(realElapsedNow() - startedAt)
 */
export function realElapsedNow(): number {
  return performance.now()
}

/**
 * `setTimeout` on the real clock: it fires even while a test fakes timers.
 *
 * @example
 * realSetTimeout(() => flush(), 1000).unref()
 */
export function realSetTimeout(callback: () => void, delayMs: number): NodeJS.Timeout {
  return timers.setTimeout(callback, delayMs)
}

/** Cancels a timer of {@link realSetTimeout} (`undefined` does nothing). @example realClearTimeout(timer) */
export function realClearTimeout(timer: NodeJS.Timeout | undefined): void {
  timers.clearTimeout(timer)
}

/**
 * `setImmediate` on the real event loop: lets it turn even while a test fakes timers.
 *
 * @example
 * await new Promise((done) => realSetImmediate(done))
 */
export function realSetImmediate(callback: () => void): NodeJS.Immediate {
  return timers.setImmediate(callback)
}
