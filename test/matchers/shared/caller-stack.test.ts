import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../src/errors/index.js'
import { pointAtCaller, pointedAtCaller } from '../../../matchers/shared/caller-stack.js'

const site = (file: string) => ({ stack: `Error\n    at Proxy.method (/app/node_modules/chai/index.js:1:1)\n    at /app/${file}:4:21` })
const frames = (error: Error) => (error.stack ?? '').split('\n').slice(1)

describe('pointAtCaller', () => {
  test("gives a library error the call site's frames only, its message kept", () => {
    const error = new ConfigError('bad option')
    pointAtCaller(error, site('a.test.ts'))
    expect(error.stack?.split('\n')[0]).toBe('ConfigError: [vitest-llm-evals] bad option')
    expect(frames(error)).toEqual(['    at Proxy.method (/app/node_modules/chai/index.js:1:1)', '    at /app/a.test.ts:4:21'])
  })

  test('keeps the own frames of an unexpected error after the call site (a bug, an SDK error)', () => {
    const error = new TypeError('x is undefined')
    const own = frames(error)
    pointAtCaller(error, site('a.test.ts'))
    expect(frames(error)).toEqual(['    at Proxy.method (/app/node_modules/chai/index.js:1:1)', '    at /app/a.test.ts:4:21', ...own])
  })

  test('points an error shared by two calls at the later caller, from its own frames', () => {
    const error = new TypeError('shared')
    const own = frames(error)
    pointAtCaller(error, site('a.test.ts'))
    pointAtCaller(error, site('b.test.ts'))
    expect(frames(error)).toEqual(['    at Proxy.method (/app/node_modules/chai/index.js:1:1)', '    at /app/b.test.ts:4:21', ...own])
  })

  test('leaves alone what it cannot point: no frames captured, a frozen error, a thrown non-error', () => {
    const error = new ConfigError('bad')
    const stack = error.stack
    pointAtCaller(error, {})
    expect(error.stack).toBe(stack)
    const frozen = Object.freeze(new ConfigError('frozen'))
    expect(pointAtCaller(frozen, site('a.test.ts'))).toBe(frozen)
    expect(pointAtCaller('text', site('a.test.ts'))).toBe('text')
  })
})

describe('pointedAtCaller', () => {
  test("points a rejection, and a failure thrown by the caller's own then callback, at the call site", async () => {
    const rejected = await pointedAtCaller(Promise.reject(new ConfigError('misuse')), site('a.test.ts')).then(
      () => undefined,
      (error: Error) => error,
    )
    expect(frames(rejected!)).toContain('    at /app/a.test.ts:4:21')
    const failed = await Promise.resolve(
      pointedAtCaller(Promise.resolve({ pass: false }), site('b.test.ts')).then(() => {
        throw new Error('assertion failed')
      }),
    ).catch((error: Error) => error)
    expect(frames(failed)).toEqual(['    at Proxy.method (/app/node_modules/chai/index.js:1:1)', '    at /app/b.test.ts:4:21'])
  })

  test('passes a value through and marks the call site as pointed', async () => {
    const callSite = site('a.test.ts') as { stack: string; pointed?: boolean }
    expect(await pointedAtCaller(Promise.resolve(42), callSite)).toBe(42)
    expect(callSite.pointed).toBe(true)
  })
})
