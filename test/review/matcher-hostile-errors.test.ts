// Review of the matcher call-site work (7aaffbc, 547cf32): a matcher's failure is pointed at the test's line
// by rewriting its stack inside the rejection handler that hands it to Vitest. An error that cannot be rewritten
// must still reach the test as it is.
import { runInNewContext } from 'node:vm'
import { describe, expect, test } from 'vitest'
import { lazyMatchers } from '../../matchers/lazy.js'
import { installAwaitGuard } from '../../matchers/shared/await-guard.js'
import type { Judge } from '../../src/judge/judge.js'

expect.extend(lazyMatchers)
installAwaitGuard(Object.keys(lazyMatchers))

const failingJudge = (error: unknown): Judge => ({ provider: 'review', model: 'hostile', complete: () => Promise.reject(error) })

/** What the awaiting test sees: the rejection, or 'pending' when nothing arrives within a second. */
async function outcomeOf(call: () => PromiseLike<unknown>): Promise<unknown> {
  const pending = Promise.resolve(call()).then(
    () => 'resolved',
    (error: unknown) => error,
  )
  return Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve('pending'), 1000))])
}

const firstFrame = (error: Error) => error.stack?.split('\n').find((line) => line.trim().startsWith('at ') && !line.includes('/node_modules/')) ?? ''

describe('matcher failures with hostile errors', () => {
  test('fails when the judge rejects with an error whose stack getter throws: the test gets a failure, not a hang', async () => {
    const hostile = new Error('the judge broke')
    Object.defineProperty(hostile, 'stack', { get: () => { throw new Error('no stack for you') } })
    const outcome = await outcomeOf(() => expect('5 days.').toBeFactual({ reference: 'Five days.', judge: failingJudge(hostile) }))
    expect(outcome).not.toBe('pending')
    expect((outcome as Error).message).toContain('the judge broke')
  })

  test('fails when the judge rejects with an error whose message is a symbol: the test gets a failure, not a hang', async () => {
    const hostile = new Error('x')
    Object.defineProperty(hostile, 'message', { value: Symbol('m') })
    const outcome = await outcomeOf(() => expect('5 days.').toBeFactual({ reference: 'Five days.', judge: failingJudge(hostile) }))
    expect(outcome).not.toBe('pending')
  })

  test("fails when the judge rejects with another realm's error, pointed at the test's line", async () => {
    const foreign = runInNewContext('new TypeError("from a vm context")') as Error
    const outcome = await outcomeOf(() => expect('5 days.').toBeFactual({ reference: 'Five days.', judge: failingJudge(foreign) }))
    expect(outcome).not.toBe('pending')
    expect(firstFrame(outcome as Error)).toContain('matcher-hostile-errors.test.ts')
  })

  test('fails when the judge rejects with a primitive or a frozen error: passed on as it is', async () => {
    for (const thrown of ['a string', 42, Object.freeze(new Error('frozen'))]) {
      const outcome = await outcomeOf(() => expect('5 days.').toBeFactual({ reference: 'Five days.', judge: failingJudge(thrown) }))
      expect(outcome, String(thrown)).not.toBe('pending')
      expect(outcome, String(thrown)).not.toBe('resolved')
    }
  })
})
