import { describe, expect, test } from 'vitest'
import { hasProtoKey } from '../../../src/cassettes/proto-keys.js'
import { toolKey } from '../../../src/cassettes/tool-key.js'

describe('toolKey with a `__proto__` key in the arguments', () => {
  test('is its own call: not the call without the key, and different for different values under it', () => {
    const parsed = (text: string) => JSON.parse(text) as unknown
    expect(toolKey('t', parsed('{"__proto__":{"x":1}}'))).not.toBe(toolKey('t', {}))
    expect(toolKey('t', parsed('{"__proto__":{"x":1}}'))).not.toBe(toolKey('t', parsed('{"__proto__":{"x":2}}')))
    expect(toolKey('t', parsed('{"a":[{"__proto__":1}]}'))).not.toBe(toolKey('t', { a: [{}] }))
    // Still canonical: the order of keys does not matter, at any depth.
    expect(toolKey('t', parsed('{"b":1,"__proto__":{"y":2,"x":1}}'))).toBe(toolKey('t', parsed('{"__proto__":{"x":1,"y":2},"b":1}')))
  })

  test('leaves the key of every call without one as recorded cassettes hold it', () => {
    // Keys written by earlier versions: a change here would make recorded tool calls miss.
    expect(toolKey('lookup_order', { orderId: 'o0' })).toBe('eabff3caee33d4f2')
    expect(toolKey('lookup_order', undefined)).toBe('e6e578ee133396f5')
    expect(toolKey('search', { query: 'refund', filter: { to: 2, from: 1 }, tags: ['b', 'a'] })).toBe('3819e05d67db70eb')
    expect(toolKey('n', [3, { z: 1, a: [{ y: true, b: null }] }])).toBe('7f68020b2f756b4a')
    expect(toolKey('e', {})).toBe('136bc91e548a7661')
    expect(toolKey('u', { é: 1, e: 2, E: 3, 10: 4, 9: 5, x: undefined })).toBe('80e44109279ac2c7')
  })
})

describe('hasProtoKey', () => {
  test('find an own `__proto__` key at any depth, not an inherited prototype', () => {
    expect(hasProtoKey(JSON.parse('{"a":{"b":[{"__proto__":null}]}}'))).toBe(true)
    expect(hasProtoKey({ a: { b: [{}] } })).toBe(false)
    expect(hasProtoKey(Object.create({ inherited: true }))).toBe(false)
    expect(hasProtoKey('__proto__')).toBe(false)
  })
})
