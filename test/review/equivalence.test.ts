import { describe, expect, test } from 'vitest'
import { scrubString, scrubDeep, type RedactRule } from '../../src/cassettes/redact.js'
import * as old from './old-redact.js'
import { stableStringify, requestKey } from '../../src/cassettes/canonical.js'
import * as oldCanon from './old-canonical.js'

const pieces = ['sk-', 'SK-', 'sk-ant-', 'abcdefghijklmnopqrstuvwxyz0123', 'Bearer ', 'bearer\t', 'BEARER  ', 'tok3n.abc', 'xx', ' ', '\n', 'é', '\ud800', 'secret-value', 'a.b', '[REDACTED]', '-', '_', 'Bearer authentication', '12345678']
function rnd(seed: { s: number }) { seed.s = (seed.s * 1103515245 + 12345) & 0x7fffffff; return seed.s }
function text(seed: { s: number }) { let t = ''; const n = rnd(seed) % 8; for (let i = 0; i < n; i++) t += pieces[rnd(seed) % pieces.length]; return t }

describe('review: scrubString fast path equals the old scrubString', () => {
  const ruleSets: RedactRule[][] = [[], [{ literal: 'secret-value' }], [{ literal: 'a.b' }, { source: 'tok3n\\.[a-z]+', flags: 'i' }], [{ literal: '' }], [{ source: '^x', flags: 'm' }, { literal: 'xx' }], [{ source: 'e', flags: 'y' }], [{ literal: 'REDACTED' }], [{ source: '(?<=sk-)a', flags: '' }]]
  test('random texts', () => {
    const seed = { s: 7 }
    for (let i = 0; i < 20000; i++) {
      const t = text(seed)
      for (const rules of ruleSets) expect(scrubString(t, rules), JSON.stringify({ t, rules })).toBe(old.scrubString(t, rules))
    }
  })
  test('scrubDeep', () => {
    const value = JSON.parse('{"b":{"x":"sk-abcdefghijklmnopqrstu"},"a":[1,"Bearer abc12345678"],"10":"x","2":"y"}')
    expect(JSON.stringify(scrubDeep(value))).toBe(JSON.stringify(old.scrubDeep(value)))
    // Changed on purpose (session 9): an own __proto__ field is kept as a field; the old copy made it the prototype, dropping it.
    const withProto = JSON.parse('{"__proto__":{"x":"sk-abcdefghijklmnopqrstu"},"a":1}')
    expect(JSON.stringify(old.scrubDeep(withProto))).toBe('{"a":1}')
    expect(JSON.stringify(scrubDeep(withProto))).toBe('{"__proto__":{"x":"[REDACTED]"},"a":1}')
  })
})

describe('review: stableStringify equals the old one', () => {
  const values: unknown[] = [
    { b: 1, a: 2 }, { 10: 1, 9: 2, a: 3, B: 4 }, { '4294967295': 1, '4294967294': 2, a: 1 }, { '01': 1, '1': 2 },
    JSON.parse('{"__proto__":{"z":1,"a":2},"b":1}'), { a: undefined, b: () => 1, c: Symbol('x') }, [undefined, () => 1, { y: 1, x: [{ d: 1, c: 2 }] }],
    Object.assign(Object.create(null), { b: 1, a: 2 }), { d: new Date(0), c: 1 }, { m: new Map([[1, 2]]), s: new Set([1]) }, { n: -0, i: Infinity, nan: NaN },
    Object.assign([1, 2], { extra: 1 }), { a: { toJSON: () => ({ z: 1, y: 2 }) } }, { 'é': 1, 'e': 2, 'z': 3, 'Z': 4, '\ud800': 5 },
    { a: new Uint8Array([1, 2]) }, { a: new String('x') }, { '-1': 1, '1.5': 2, '0': 3 },
  ]
  test('values', () => {
    for (const value of values) {
      for (const indent of [undefined, 2]) expect(stableStringify(value, indent)).toBe(oldCanon.stableStringify(value, indent))
    }
  })
  test('deep', () => {
    let deep: unknown = { z: 1, a: 2 }
    for (let i = 0; i < 100; i++) deep = { b: deep, a: i }
    expect(stableStringify(deep)).toBe(oldCanon.stableStringify(deep))
  })
  test('request keys', () => {
    const req = { method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'm', messages: [{ role: 'user', content: 'é \ud800' }], user: 'u', '__proto__x': 1 } }
    expect(requestKey(req)).toBe(oldCanon.requestKey(req))
  })
})
