import { describe, expect, test } from 'vitest'
import { jsonRecord } from '../../src/json-record.js'

const roundTrip = (value: object) => JSON.parse(JSON.stringify(value)) as unknown

describe('jsonRecord', () => {
  test('gives what a JSON round trip gives, key order included', () => {
    const records: object[] = [
      { metric: 'm', score: 1, pass: true, caseId: 'c1', attempt: { retry: 0, repeat: 0 } },
      { metric: 'm', score: 0.5, threshold: Number.NaN, reason: undefined, weight: Number.POSITIVE_INFINITY, fn: () => 1, sym: Symbol('s'), nil: null },
      { details: { at: new Date(0), list: [1, undefined, () => 1, Number.NaN], nested: { a: undefined } }, text: 'a\u2028b"\\' },
      { custom: { toJSON: () => undefined }, later: 'kept', withJson: { toJSON: () => ({ x: 1 }) } },
      { pass: false, ...{ metric: 'spread after pass' }, pass2: true },
    ]
    for (const record of records) {
      const copy = jsonRecord(record)
      expect(copy).toStrictEqual(roundTrip(record))
      expect(JSON.stringify(copy)).toBe(JSON.stringify(record))
    }
  })

  test('copies nested values: changing the source later changes nothing', () => {
    const details = { tokens: [1, 2] }
    const copy = jsonRecord({ details })
    details.tokens.push(3)
    expect(copy).toEqual({ details: { tokens: [1, 2] } })
  })

  test('throws for a bigint, as JSON.stringify does', () => {
    expect(() => jsonRecord({ n: 1n })).toThrow(TypeError)
    expect(() => roundTrip({ n: 1n })).toThrow(TypeError)
  })
})
