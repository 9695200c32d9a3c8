import { describe, expect, test } from 'vitest'
import { cutOffBefore, enterTestScope, forgetCutOffTests, lateCallScopes, trackSequentialContext, type TestScope } from '../../../src/cassettes/scope.js'

const scopeOf = (test: string, controller = new AbortController()): TestScope => ({ test, repeat: 0, active: true, signal: controller.signal })
const tick = () => new Promise((done) => setTimeout(done, 1))

describe('lateCallScopes', () => {
  test('a concurrent test cut off: its code after the end is its late call, in replay too (no sequential tracking)', async () => {
    trackSequentialContext(false)
    const controller = new AbortController()
    const a = scopeOf('A', controller)
    const late = (async () => {
      enterTestScope(a, true)
      await tick()
      expect(lateCallScopes()).toBeUndefined()
      controller.abort(new Error('Test timed out in 300ms.'))
      a.active = false
      await tick()
      return lateCallScopes()
    })()
    expect(await late).toEqual({ started: a, running: undefined, cutOff: true })
  })

  test('a running test whose signal aborted because the run was cancelled (Ctrl-C, bail): its own calls are not late', async () => {
    trackSequentialContext(true)
    const cancel = () => Object.assign(new Error('The test run was aborted by the user.'), { name: 'TestRunAbortError' })
    for (const concurrent of [true, false]) {
      const controller = new AbortController()
      const a = scopeOf('A', controller)
      const seen = await (async () => {
        enterTestScope(a, concurrent)
        await tick()
        controller.abort(cancel())
        await tick()
        const whileRunning = lateCallScopes()
        a.active = false
        return { whileRunning, ended: lateCallScopes() }
      })()
      expect(seen.whileRunning).toBeUndefined()
      expect(seen.ended).toEqual({ started: a, running: undefined, cutOff: true })
    }
  })

  test('a concurrent test that ended normally: not late (its call may be another test\'s, through a queue it made)', async () => {
    trackSequentialContext(true)
    const a = scopeOf('A')
    const seen = await (async () => {
      enterTestScope(a, true)
      await tick()
      a.active = false
      return lateCallScopes()
    })()
    expect(seen).toBeUndefined()
  })

  test('a sequential test finished while another runs: late but not cut off, only while sequential tests are tracked', async () => {
    const a = scopeOf('A')
    const b = scopeOf('B')
    const seen = async (tracked: boolean) => {
      trackSequentialContext(tracked)
      const left = (async () => {
        enterTestScope(a)
        await tick()
        await tick()
        return lateCallScopes()
      })()
      await tick()
      a.active = false
      enterTestScope(b)
      return left
    }
    expect(await seen(true)).toEqual({ started: a, running: b, cutOff: false })
    a.active = true
    expect(await seen(false)).toBeUndefined()
  })
})

describe('cutOffBefore', () => {
  test('the sequential test before the running one, when it was cut off, until the next file begins', () => {
    forgetCutOffTests()
    const controller = new AbortController()
    const a = scopeOf('A', controller)
    enterTestScope(a)
    controller.abort()
    a.active = false
    enterTestScope(scopeOf('B'))
    expect(cutOffBefore()).toBe(a)
    enterTestScope(scopeOf('C'))
    expect(cutOffBefore()).toBe(a)
    forgetCutOffTests()
    expect(cutOffBefore()).toBeUndefined()
  })
})
