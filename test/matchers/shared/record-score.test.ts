import type { MatcherState } from 'vitest'
import { describe, expect, test, vi } from 'vitest'
import { recordScore } from '../../../matchers/shared/record-score.js'

// recordScore detaches `details` without a JSON round trip when it is a flat plain object; the record must be
// exactly what the round trip gave (the history and the main process read it), for every kind of value.
const outsideTest = { task: undefined } as unknown as MatcherState
const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

describe('recordScore details', () => {
  const cases: Record<string, unknown> = {
    'flat strings, numbers and booleans': { method: 'levenshtein', cosine: 0.5, exact: true, empty: '' },
    'undefined fields': { method: 'dice', cosine: undefined },
    'a null field': { method: 'dice', reason: null },
    'negative zero': { delta: -0 },
    'NaN and Infinity': { a: Number.NaN, b: Number.POSITIVE_INFINITY },
    'integer-like keys, in JSON order': { b: 1, 2: 'two', a: 2, 1: 'one' },
    'a null prototype': Object.assign(Object.create(null) as object, { method: 'bleu' }),
    'a __proto__ key': JSON.parse('{"__proto__": {"polluted": true}, "method": "x"}'),
    'nested objects and arrays': { method: 'x', pairs: [[1, 2]], inner: { deep: { value: 'y', gone: undefined } } },
    'a function field': { method: 'x', run: () => 1 },
    'a toJSON method': { method: 'x', toJSON: () => ({ replaced: true }) },
    'a class instance': new (class Details { method = 'x' })(),
    'a Date': { at: new Date(0) },
    'an array': ['a', 1, undefined, null],
    'a tool-call score (a nested range, a null bound)': { name: 'lookup', calls: 1, matching: 1, times: { min: 1, max: null }, mismatch: undefined },
    'nested arrays of objects': { calls: [{ name: 'a', args: { q: 'x' } }, { name: 'b', args: {} }], empty: [] },
    'a nested undefined, NaN and -0': { inner: { a: undefined, b: Number.NaN, c: -0 }, list: [undefined] },
    'an array with a hole': { list: [1, , 3] },
    'an array with its own toJSON': { list: Object.assign([1], { toJSON: () => 'replaced' }) },
    'a nested class instance and Date': { inner: new (class Inner { n = 1 })(), at: [new Date(0)] },
    'a nested __proto__ key': { inner: JSON.parse('{"__proto__": {"polluted": true}}') },
  }
  for (const [name, details] of Object.entries(cases)) {
    test(`${name}: the record's details equal a JSON round trip of them`, () => {
      const record = recordScore(outsideTest, { metric: 'm', score: 0.5, pass: true, details: details as never })
      expect(record.details).toStrictEqual(roundTrip(details))
      expect(Object.keys(record.details as object)).toEqual(Object.keys(roundTrip(details) as object))
      expect(Object.getPrototypeOf(record.details)).toBe(Object.getPrototypeOf(roundTrip(details)))
      if (typeof details === 'object' && details !== null) expect(record.details).not.toBe(details)
    })
  }

  test('a proxy and a getter are read as the round trip reads them: traps that throw are not called, a getter once', () => {
    const hostile = new Proxy({ method: 'x' }, { getPrototypeOf: () => { throw new Error('no prototype for you') } })
    expect(recordScore(outsideTest, { metric: 'm', score: 0.5, pass: true, details: hostile as never }).details).toStrictEqual({ method: 'x' })
    let reads = 0
    const withGetter = { method: 'x', get nested() { reads++; return { n: 1 } } }
    expect(recordScore(outsideTest, { metric: 'm', score: 0.5, pass: true, details: withGetter as never }).details).toStrictEqual({ method: 'x', nested: { n: 1 } })
    expect(reads).toBe(1)
  })

  test('nested plain details are copied without a JSON round trip (thousands of cases per run)', () => {
    const stringify = vi.spyOn(JSON, 'stringify')
    try {
      recordScore(outsideTest, { metric: 'm', score: 1, pass: true, details: { name: 'lookup', times: { min: 1, max: null }, calls: [{ n: 1 }] } })
      expect(stringify).not.toHaveBeenCalled()
    } finally {
      stringify.mockRestore()
    }
  })

  test('a nested getter runs once, a nested proxy is read by the round trip, a cycle throws as it did', () => {
    let reads = 0
    const inner = { get n() { reads++; return 1 } }
    expect(recordScore(outsideTest, { metric: 'm', score: 0.5, pass: true, details: { inner } as never }).details).toStrictEqual({ inner: { n: 1 } })
    expect(reads).toBe(1)
    const hostile = new Proxy({ method: 'x' }, { getPrototypeOf: () => { throw new Error('no prototype for you') } })
    expect(recordScore(outsideTest, { metric: 'm', score: 0.5, pass: true, details: { inner: hostile } as never }).details).toStrictEqual({ inner: { method: 'x' } })
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = { back: cyclic }
    expect(() => recordScore(outsideTest, { metric: 'm', score: 0.5, pass: true, details: cyclic as never })).toThrow(TypeError)
  })

  test('a bigint still throws as the round trip does', () => {
    expect(() => recordScore(outsideTest, { metric: 'm', score: 0.5, pass: true, details: { n: 1n } as never })).toThrow(TypeError)
  })
})
