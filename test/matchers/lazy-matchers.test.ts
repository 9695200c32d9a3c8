// The matchers as the plugin's worker setup registers them (lazy, await-guarded): a misuse arrives one way on
// every call — a rejected promise, never a synchronous throw — with a stack that starts at the calling line.
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../src/errors/index.js'
import { lazyMatchers } from '../../matchers/lazy.js'
import { installAwaitGuard } from '../../matchers/shared/await-guard.js'

expect.extend(lazyMatchers)
installAwaitGuard(Object.keys(lazyMatchers))

/** The rejection of `call()`, failing the test if the call threw synchronously or resolved. */
async function rejectionOf(call: () => PromiseLike<unknown>): Promise<Error> {
  let pending: PromiseLike<unknown>
  try {
    pending = call()
  } catch (thrown) {
    throw new Error(`threw synchronously: ${String(thrown)}`)
  }
  const outcome = await Promise.resolve(pending).then(
    () => undefined,
    (error: unknown) => error,
  )
  if (!(outcome instanceof Error)) throw new Error('expected the call to reject')
  return outcome
}

/** The first `at` frame of a stack outside node_modules (Vitest hides those of chai and its own), as text. */
const firstFrame = (error: Error) => error.stack?.split('\n').find((line) => line.trim().startsWith('at ') && !line.includes('/node_modules/')) ?? ''

describe('lazy matchers', () => {
  test('a misuse rejects on the first call (which loads the matcher) and on later ones (loaded: run at once)', async () => {
    for (const call of ['first', 'second', 'third']) {
      const error = await rejectionOf(() => expect('Hi, you.').toFollowInstructions([{ id: 'no_such_id' }] as never))
      expect(error, call).toBeInstanceOf(ConfigError)
      expect(error.message, call).toContain('Unknown verifiable instruction id "no_such_id"')
      expect(firstFrame(error), call).toContain('lazy-matchers.test.ts')
    }
  })

  test("a misuse's stack starts at the test's line, its message kept, the library's frames left out", async () => {
    await rejectionOf(() => expect([]).toCallTools(['a'], { mode: 'in_order' } as never))
    const error = await rejectionOf(() => expect([]).toCallTools(['a'], { mode: 'in_order' } as never))
    expect(firstFrame(error)).toContain('lazy-matchers.test.ts')
    expect(error.stack?.startsWith(`ConfigError: ${error.message}\n`)).toBe(true)
    expect(error.stack).not.toMatch(/matchers\/to-call-tools\.ts/)
  })

  test("a failed assertion's stack starts at the test's line, first and later calls", async () => {
    for (const call of ['first', 'second']) {
      const failure = await rejectionOf(() => expect('cat').toBeSimilarTo('a dog barked'))
      expect(firstFrame(failure), call).toContain('lazy-matchers.test.ts')
      expect(failure.message, call).toContain('Expected output to be similar to the expected text')
    }
  })

  test('passes when the matcher passes, on the first and later calls', async () => {
    await expect('Done.').toFollowInstructions([{ id: 'punctuation:no_comma' }])
    await expect('Done.').toFollowInstructions([{ id: 'punctuation:no_comma' }])
  })
})
