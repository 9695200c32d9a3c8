import Anthropic from '@anthropic-ai/sdk'
import { describe, expect, test } from 'vitest'
import { abortCause, markTestTimeout } from '../../../src/cassettes/abort-cause.js'
import { withTimeout } from '../../../src/suites/trial-timeout.js'
import { enterTestScope } from '../../../src/cassettes/scope.js'

describe('abortCause', () => {
  test("tells the app's own abort from a test's time limit", async () => {
    const app = new AbortController()
    app.abort()
    expect(abortCause(app.signal, undefined)).toEqual({ reason: 'app-abort', detail: 'AbortError' })
    const limit = AbortSignal.timeout(1)
    await new Promise((done) => setTimeout(done, 20))
    expect(abortCause(limit, new AbortController().signal)).toEqual({ reason: 'app-abort', detail: 'TimeoutError' })
    const testTimedOut = new AbortController()
    testTimedOut.abort(new Error('Test timed out in 5000ms.'))
    expect(abortCause(undefined, testTimedOut.signal)).toEqual({ reason: 'test-timeout' })
    const trial = new AbortController()
    trial.abort(markTestTimeout(new Error('Case "q1" timed out')))
    expect(abortCause(AbortSignal.any([trial.signal]), undefined)).toEqual({ reason: 'test-timeout' })
    expect(abortCause(new AbortController().signal, undefined)).toBeUndefined()
  })

  test("the signal describeEval's timeout aborts is told as the test's time limit", async () => {
    let seen: AbortSignal | undefined
    await expect(withTimeout(async (signal) => {
      seen = signal
      await new Promise((done) => setTimeout(done, 200))
    }, new AbortController().signal, 10, () => new Error('timed out'))).rejects.toThrow('timed out')
    expect(abortCause(seen, undefined)).toEqual({ reason: 'test-timeout' })
  })

  test('a run the user cancelled (Ctrl+C, --bail) is no time limit: nothing to raise, so no cause is told', () => {
    // Vitest aborts every running test's signal with this error when the run is cancelled.
    const cancelled = Object.assign(new Error('The test run was aborted by the user.'), { name: 'TestRunAbortError' })
    const testSignal = new AbortController()
    testSignal.abort(cancelled)
    expect(abortCause(undefined, testSignal.signal)).toBeUndefined()
    // describeEval's task signal follows the test's, with its reason.
    expect(abortCause(AbortSignal.any([testSignal.signal]), testSignal.signal)).toBeUndefined()
    expect(abortCause(AbortSignal.any([testSignal.signal]), undefined)).toBeUndefined()
  })

  test("describeEval's timeout through an SDK that aborts its own controller without the reason (Anthropic's) is still the test's time limit", async () => {
    const scope = { test: 'bot > slow', repeat: 0, active: true }
    enterTestScope(scope)
    const startedAt = performance.now()
    let sdkSignal: AbortSignal | undefined
    await expect(withTimeout(async (signal) => {
      // What @anthropic-ai/sdk does with the signal it is given: `signal.addEventListener('abort', () => controller.abort())`.
      const controller = new AbortController()
      signal.addEventListener('abort', () => controller.abort(), { once: true })
      sdkSignal = controller.signal
      await new Promise((done) => setTimeout(done, 200))
    }, new AbortController().signal, 10, () => new Error('timed out'))).rejects.toThrow('timed out')
    expect(abortCause(sdkSignal, undefined, { scope, startedAt })).toEqual({ reason: 'test-timeout' })
    // A later call of the test that the app aborts itself is the app's.
    const app = new AbortController()
    const later = performance.now()
    app.abort()
    expect(abortCause(app.signal, undefined, { scope, startedAt: later })).toEqual({ reason: 'app-abort', detail: 'AbortError' })
    scope.active = false
  })

  test("describeEval's timeout cutting off a call of the real Anthropic SDK is the test's time limit", async () => {
    const scope = { test: 'bot > slow anthropic', repeat: 0, active: true }
    enterTestScope(scope)
    const startedAt = performance.now()
    let sent: AbortSignal | undefined
    // The signal the SDK hands to fetch: its own controller's, which follows the one it is given.
    const fetch = (_url: unknown, init?: RequestInit) => {
      sent = init?.signal ?? undefined
      return new Promise<Response>((_, reject) => sent?.addEventListener('abort', () => reject(sent?.reason), { once: true }))
    }
    const client = new Anthropic({ apiKey: 'sk-ant-test', maxRetries: 0, fetch: fetch as typeof globalThis.fetch })
    await expect(withTimeout((signal) => client.messages.create({ model: 'claude-x', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }, { signal }), new AbortController().signal, 20, () => new Error('timed out'))).rejects.toThrow('timed out')
    await new Promise((done) => setTimeout(done, 10))
    expect(sent?.aborted).toBe(true)
    expect(abortCause(sent, undefined, { scope, startedAt })).toEqual({ reason: 'test-timeout' })
    scope.active = false
  })

  test("never keeps an app's abort reason beyond a short name", () => {
    const app = new AbortController()
    app.abort({ name: 'sk-live secret with spaces' })
    expect(abortCause(app.signal, undefined)).toEqual({ reason: 'app-abort' })
  })
})
