// Our matchers are async; Vitest reads an asymmetric matcher's `pass` synchronously. Used inside toEqual or
// objectContaining, `expect.toBeSimilarTo(…)` failed every time with a bare diff, and `expect.not.toBeSimilarTo(…)`
// passed every time, while the matcher still ran (and scored) in the background. Now the asymmetric form
// throws a ConfigError at once, saying the matchers are async and what to write instead.
import { describe, expect, test } from 'vitest'
import * as matchers from '../../matchers/index.js'
import { ConfigError } from '../../src/errors/index.js'
import type { EvalTaskMeta } from '../../src/suites/task-meta.js'
import { registerMatchers } from './support.js'

registerMatchers()

/** The error `work` throws, or a failure when it does not throw. */
function thrownBy(work: () => unknown): Error {
  try {
    work()
  } catch (error) {
    return error as Error
  }
  throw new Error('it did not throw')
}

type Factory = (...sample: unknown[]) => unknown
/** `expect.<name>` (or `expect.not.<name>`): the asymmetric form Vitest's `expect.extend` defines. */
const asymmetric = (target: object, name: string): Factory => (target as Record<string, Factory>)[name] as Factory

describe('an llm-evals matcher used as an asymmetric matcher', () => {
  test('fails at once inside toEqual, saying the matchers are async and showing the awaited form', () => {
    const error = thrownBy(() => expect({ a: 'hello world' }).toEqual({ a: asymmetric(expect, 'toBeSimilarTo')('hello world') }))
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toMatchInlineSnapshot(`
      "[vitest-llm-evals] expect.toBeSimilarTo(…) cannot be used as an asymmetric matcher (inside toEqual, toMatchObject, expect.objectContaining, toHaveBeenCalledWith…): vitest-llm-evals matchers are asynchronous, and Vitest reads an asymmetric matcher's verdict at once, so it would never pass (and expect.not.toBeSimilarTo(…) would always pass). Assert on the value itself, with await:

      await expect(value.a).toBeSimilarTo("hello world")"
    `)
    // The stack starts at the line that wrote expect.toBeSimilarTo(…).
    expect(error.stack?.split('\n').find((line) => /^\s+at /.test(line))).toContain('asymmetric-use.test.ts')
  })

  test('fails with .not too, which passed every time before, showing the awaited .not form', () => {
    const error = thrownBy(() => expect({ a: 'hello world' }).toEqual({ a: asymmetric(expect.not, 'toBeSimilarTo')('zzz', { method: 'dice' }) }))
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain('expect.not.toBeSimilarTo(…) cannot be used as an asymmetric matcher')
    expect(error.message).toContain('await expect(value.a).not.toBeSimilarTo("zzz", {"method":"dice"})')
  })

  test('fails inside expect.objectContaining with the test context\'s expect, and scores nothing', ({ expect, task }) => {
    const error = thrownBy(() => expect({ a: '{"x":1}', b: 1 }).toEqual(expect.objectContaining({ a: asymmetric(expect, 'toMatchSchema')({}) })))
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain('expect.toMatchSchema(…) cannot be used as an asymmetric matcher')
    expect((task.meta as EvalTaskMeta).evals).toBeUndefined()
  })

  test('every matcher of the library is covered', () => {
    for (const name of Object.keys(matchers)) {
      expect(() => asymmetric(expect, name)('x'), name).toThrow(`expect.${name}(…) cannot be used as an asymmetric matcher`)
      expect(() => asymmetric(expect.not, name)('x'), name).toThrow(`expect.not.${name}(…) cannot be used as an asymmetric matcher`)
    }
  })

  test('the matchers still pass and fail as usual when awaited', async () => {
    await expect('hello world').toBeSimilarTo('hello world')
    await expect('hello world').not.toBeSimilarTo('something else entirely')
    await expect({ a: 'x' }).toEqual({ a: expect.any(String) })
  })
})
