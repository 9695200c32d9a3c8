// pointAtCaller on errors a user's code or an SDK may throw: it must never throw itself (it runs inside the
// handler that passes the failure on to Vitest), and an Error of another realm is an Error too.
import { runInNewContext } from 'node:vm'
import { describe, expect, test } from 'vitest'
import { pointAtCaller } from '../../matchers/shared/caller-stack.js'

const site = { stack: 'Error\n    at /app/a.test.ts:4:21' }

describe('pointAtCaller with hostile errors', () => {
  test("points another realm's error (a vm context's) at the call site", () => {
    const foreign = runInNewContext('new TypeError("foreign")') as Error
    pointAtCaller(foreign, site)
    expect(foreign.stack?.split('\n').slice(0, 2)).toEqual(['TypeError: foreign', '    at /app/a.test.ts:4:21'])
  })

  test('never throws: a stack getter that throws, a symbol message, a revoked proxy', () => {
    const getter = new Error('g')
    Object.defineProperty(getter, 'stack', { get: () => { throw new Error('no stack') } })
    expect(pointAtCaller(getter, site)).toBe(getter)
    const symbol = new Error('s')
    Object.defineProperty(symbol, 'message', { value: Symbol('m') })
    expect(pointAtCaller(symbol, site)).toBe(symbol)
    const { proxy, revoke } = Proxy.revocable(new Error('r'), {})
    revoke()
    expect(pointAtCaller(proxy, site)).toBe(proxy)
  })

  test('never throws when a library made stacks non-strings (a global Error.prepareStackTrace returning the call sites)', () => {
    const previous = Error.prepareStackTrace
    Error.prepareStackTrace = (_error, sites) => sites
    try {
      const callSite: { stack?: string } = {}
      Error.captureStackTrace(callSite)
      const error = new TypeError('x')
      expect(pointAtCaller(error, callSite)).toBe(error)
    } finally {
      Error.prepareStackTrace = previous
    }
  })
})
