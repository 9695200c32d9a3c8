import { describe, expect, test } from 'vitest'
import { decodeToolValue, encodeToolValue, TOOL_VALUE_TAG } from '../../../src/cassettes/tool-value.js'

/** What a cassette write and read make of `value`. */
const throughCassette = (value: unknown) => decodeToolValue(JSON.parse(JSON.stringify(encodeToolValue(value))) as unknown)

describe('encodeToolValue / decodeToolValue', () => {
  test('gives back -0, NaN, ±Infinity and undefined (in arrays, as properties, at the top) as they were', () => {
    const value = { delta: -0, score: Number.NaN, limit: Number.POSITIVE_INFINITY, floor: Number.NEGATIVE_INFINITY, items: [1, undefined, -0], note: undefined }
    const back = throughCassette(value) as typeof value
    expect(Object.is(back.delta, -0)).toBe(true)
    expect(Object.is(back.items[2], -0)).toBe(true)
    expect(back).toStrictEqual(value)
    expect(Object.keys(back)).toEqual(Object.keys(value))
    expect(Object.is(throughCassette(-0), -0)).toBe(true)
    expect(throughCassette(undefined)).toBeUndefined()
  })

  test('stores each such value as a tagged object, and plain JSON as it is (the same object)', () => {
    expect(encodeToolValue({ delta: -0, items: [undefined] })).toEqual({ delta: { [TOOL_VALUE_TAG]: '-0' }, items: [{ [TOOL_VALUE_TAG]: 'undefined' }] })
    const plain = { a: [1, 'two', null, { b: true }], c: 0 }
    expect(encodeToolValue(plain)).toBe(plain)
    expect(decodeToolValue(plain)).toBe(plain)
  })

  test("a tool's own object with the tag key reads back as that object, not as a tagged value", () => {
    const own = { [TOOL_VALUE_TAG]: '-0', other: { [TOOL_VALUE_TAG]: 'NaN' } }
    expect(throughCassette(own)).toStrictEqual(own)
    expect(throughCassette([{ [TOOL_VALUE_TAG]: 'undefined' }])).toStrictEqual([{ [TOOL_VALUE_TAG]: 'undefined' }])
  })

  test('reads cassettes written before (plain JSON) as they are, an own `__proto__` key as a field', () => {
    const old = JSON.parse('{"orders":[{"id":1,"total":0}],"__proto__":{"x":1},"unknown":{"$vitest-llm-evals":"later-kind"}}') as object
    expect(decodeToolValue(old)).toBe(old)
    const withTag = JSON.parse('{"__proto__":{"x":1},"d":{"$vitest-llm-evals":"-0"}}') as object
    const decoded = decodeToolValue(withTag) as Record<string, unknown>
    expect(Object.keys(decoded)).toEqual(['__proto__', 'd'])
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype)
  })
})
