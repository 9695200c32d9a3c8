import { describe, expect, test } from 'vitest'
import { describeToolCall, toolKey } from '../../../src/cassettes/tool-key.js'
import { jsonProblem, toolValueProblem } from '../../../src/cassettes/tool-json.js'

describe('toolKey', () => {
  test('the same call whatever the order of keys, at every depth', () => {
    expect(toolKey('search', { query: 'refund', filter: { from: 1, to: 2 } })).toBe(toolKey('search', { filter: { to: 2, from: 1 }, query: 'refund' }))
  })

  test('differs by tool, by argument value and by array order', () => {
    const base = toolKey('search', { query: 'refund', tags: ['a', 'b'] })
    expect(toolKey('lookup', { query: 'refund', tags: ['a', 'b'] })).not.toBe(base)
    expect(toolKey('search', { query: 'refunds', tags: ['a', 'b'] })).not.toBe(base)
    expect(toolKey('search', { query: 'refund', tags: ['b', 'a'] })).not.toBe(base)
  })

  test('keeps the keys recorded cassettes hold (sha256 of the canonical {args, tool} text, 16 hex digits)', () => {
    // Keys written by earlier versions: a change here would make every recorded tool call miss.
    expect(toolKey('lookup_order', { orderId: 'o0' })).toBe('eabff3caee33d4f2')
    expect(toolKey('lookup_order', { orderId: 'o1' })).toBe('b829181fe8207394')
    expect(toolKey('lookup_order', undefined)).toBe('e6e578ee133396f5')
    expect(toolKey('search', { query: 'refund', filter: { to: 2, from: 1 }, tags: ['b', 'a'] })).toBe('3819e05d67db70eb')
    expect(toolKey('weird name ✓', 'plain string')).toBe('005bcc23c7c8a698')
    expect(toolKey('n', [3, { z: 1, a: [{ y: true, b: null }] }])).toBe('7f68020b2f756b4a')
    expect(toolKey('e', {})).toBe('136bc91e548a7661')
    expect(toolKey('u', { é: 1, e: 2, E: 3, 10: 4, 9: 5, x: undefined })).toBe('80e44109279ac2c7')
  })

  test('a call without arguments is the call with null; an undefined property is no property', () => {
    expect(toolKey('now', undefined)).toBe(toolKey('now', null))
    expect(toolKey('search', { query: 'x', page: undefined })).toBe(toolKey('search', { query: 'x' }))
  })

  test('describes a call on one line with sorted keys', () => {
    expect(describeToolCall('lookup_order', { b: 1, a: 'x' })).toBe('lookup_order({"a":"x","b":1})')
    expect(describeToolCall('now', undefined)).toBe('now()')
  })
})

describe('jsonProblem', () => {
  test('accepts plain JSON, null-prototype objects and undefined properties', () => {
    expect(jsonProblem({ a: [1, 'two', null, true, { b: -0.5 }], c: undefined, d: Object.assign(Object.create(null) as object, { e: 1 }) }, 'result')).toBeUndefined()
  })

  test.each([
    ['a Date', { order: { createdAt: new Date(0) } }, 'result.order.createdAt', 'a Date', 'toISOString'],
    ['a Map', { byId: new Map() }, 'result.byId', 'a Map', 'Object.fromEntries'],
    ['a Set', [new Set([1])], 'result[0]', 'a Set', '[...set]'],
    ['a BigInt', { total: 10n }, 'result.total', 'a BigInt', 'String(value)'],
    ['a function', { next: () => 1 }, 'result.next', 'a function', 'leave it out'],
    ['undefined in an array', [1, undefined], 'result[1]', 'undefined', 'return null'],
    ['NaN', { score: Number.NaN }, 'result.score', 'NaN', 'null or a string'],
    ['a class instance', { user: new (class Customer { id = 1 })() }, 'result.user', 'a Customer', 'plain object'],
    ['an odd key', { 'the order': new Date(0) }, 'result["the order"]', 'a Date', 'toISOString'],
  ])('names %s with its path and how to fix it', (_what, value, path, found, hint) => {
    const problem = jsonProblem(value, 'result')
    expect(problem).toMatchObject({ path, found })
    expect(problem?.hint).toContain(hint)
  })

  test('a circular reference names where the cycle goes back to; a shared (non-circular) object is fine', () => {
    const order: Record<string, unknown> = { id: 1 }
    order.self = { parent: order }
    expect(jsonProblem({ order }, 'result')).toMatchObject({ path: 'result.order.self.parent', found: 'a circular reference to result.order' })
    const shared = { id: 1 }
    expect(jsonProblem({ a: shared, b: shared }, 'result')).toBeUndefined()
  })

  test('deep nesting is reported, not walked until the stack runs out', () => {
    let deep: unknown = 1
    for (let level = 0; level < 100_000; level++) deep = [deep]
    expect(jsonProblem(deep, 'result')?.found).toBe('nesting deeper than 500 levels')
  })
})

describe('toolValueProblem', () => {
  test('accepts what a replay gives back as it was: plain JSON, -0, NaN, ±Infinity, undefined anywhere', () => {
    expect(toolValueProblem({ a: [-0, Number.NaN, undefined], b: Number.NEGATIVE_INFINITY, c: undefined }, 'result')).toBeUndefined()
    expect(toolValueProblem(undefined, 'thrown')).toBeUndefined()
  })

  test.each([
    ['a Date', { at: new Date(0) }, 'result.at', 'a Date'],
    ['a Map', new Map(), 'result', 'a Map'],
    ['a Set', [new Set()], 'result[0]', 'a Set'],
    ['a BigInt', { n: 1n }, 'result.n', 'a BigInt'],
    ['a typed array', { bytes: new Uint8Array(1) }, 'result.bytes', 'a Uint8Array'],
    ['a hole', [1, , 3], 'result[1]', 'a hole (the array is sparse)'],
  ])('refuses %s, which has no faithful stored form', (_what, value, path, found) => {
    expect(toolValueProblem(value, 'result')).toMatchObject({ path, found })
  })
})
