import { afterEach, describe, expect, test, vi } from 'vitest'
import { realClearTimeout, realDate, realElapsedNow, realIsoTime, realNow, realSetImmediate, realSetTimeout } from '../../src/real-clock.js'

// Vitest's defaults fake Date, performance and every timer but nextTick and queueMicrotask; `fakeNodeBuiltins`
// fakes `node:timers` too.
describe.each([
  { fakes: 'the defaults', options: undefined },
  { fakes: 'node:timers too', options: { fakeNodeBuiltins: true } },
])('the real clock while a test fakes timers and the date ($fakes)', ({ options }) => {
  afterEach(() => {
    vi.useRealTimers()
  })

  test('tells the real time, as Date did before', () => {
    vi.useFakeTimers(options)
    vi.setSystemTime(new Date('2020-01-01T00:00:00Z'))
    expect(new Date().getUTCFullYear()).toBe(2020)
    expect(Math.abs(realNow() - vi.getRealSystemTime())).toBeLessThan(1_000)
    expect(Math.abs(Date.parse(realIsoTime()) - vi.getRealSystemTime())).toBeLessThan(1_000)
    expect(realIsoTime(0)).toBe('1970-01-01T00:00:00.000Z')
    expect(realDate(86_400_000)).toBeInstanceOf(Date)
    expect(realDate(86_400_000).toISOString()).toBe('1970-01-02T00:00:00.000Z')
  })

  test('measures real durations, and its timers fire without the fake clock moving', async () => {
    vi.useFakeTimers(options)
    const started = realElapsedNow()
    const fakeStarted = performance.now()
    await new Promise<void>((done) => realSetTimeout(done, 30))
    await new Promise<void>((done) => realSetImmediate(done))
    expect(realElapsedNow() - started).toBeGreaterThanOrEqual(25)
    expect(performance.now()).toBe(fakeStarted)
  }, 2_000)

  test('cancels its own timers', async () => {
    vi.useFakeTimers(options)
    let fired = false
    realClearTimeout(realSetTimeout(() => (fired = true), 5))
    await new Promise<void>((done) => realSetTimeout(done, 30))
    expect(fired).toBe(false)
  }, 2_000)
})
