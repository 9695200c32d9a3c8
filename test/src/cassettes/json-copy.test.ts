import { describe, expect, test } from 'vitest'
import { jsonCopy } from '../../../src/cassettes/json-copy.js'

const nullPrototype = (fields: object): object => Object.assign(Object.create(null) as object, fields)

describe('jsonCopy', () => {
  const values: [string, unknown][] = [
    ['a flat result', { orderId: 'o1', status: 'delivered', total: 30, refunded: false, note: null }],
    ['nested objects and arrays', { orders: [{ id: 1, items: ['a', 'b'] }, { id: 2, items: [] }], page: { next: null } }],
    ['an undefined property and -0', { a: undefined, b: -0, c: [undefined, 1] }],
    ['a null-prototype object', nullPrototype({ a: 1, b: nullPrototype({ c: 'x' }) })],
    ['primitives', 'text'],
    ['an array at the top', [1, 'two', { three: 3 }]],
  ]

  test.for(values)('copies %s as structuredClone does', ([, value]) => {
    const copy = jsonCopy(value)
    expect(copy).toStrictEqual(structuredClone(value))
    if (typeof value === 'object' && value !== null) {
      expect(copy).not.toBe(value)
      expect(Object.getPrototypeOf(copy)).toBe(Object.getPrototypeOf(structuredClone(value)))
    }
  })

  test('the copy is detached: changing it leaves the original as it was', () => {
    const original = { orders: [{ id: 1, tags: ['a'] }] }
    const copy = jsonCopy(original)
    copy.orders[0]!.tags.push('b')
    copy.orders.push({ id: 2, tags: [] })
    expect(original).toEqual({ orders: [{ id: 1, tags: ['a'] }] })
  })

  test('keeps a shared object shared and a cycle a cycle, as structuredClone does', () => {
    const shared = { id: 1 }
    const copy = jsonCopy({ a: shared, b: shared })
    expect(copy.a).toBe(copy.b)
    expect(copy.a).not.toBe(shared)
    const cyclic: { self?: unknown } = {}
    cyclic.self = cyclic
    const cycleCopy = jsonCopy(cyclic)
    expect(cycleCopy.self).toBe(cycleCopy)
  })

  test('what is not plain data comes out as structuredClone makes it', () => {
    const sparse = [1, , 3]
    const withField = Object.assign([1, 2], { extra: 'x' })
    const getter = Object.defineProperty({}, 'at', { enumerable: true, get: () => 'read' })
    const protoKey = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object
    for (const value of [sparse, withField, getter, protoKey, { at: new Date(0) }, { big: [new Map([[1, 2]])] }]) {
      expect(jsonCopy(value)).toStrictEqual(structuredClone(value))
    }
    expect(Object.getPrototypeOf(jsonCopy(protoKey))).toBe(Object.prototype)
    expect(() => jsonCopy({ fn: () => 1 })).toThrow(/could not be cloned/)
  })
})
