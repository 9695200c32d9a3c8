// Review: jsonRecord stands in for describeEval's JSON round trip of a returned score; it must give the same
// record for what scorers return, hostile fields included (a spread of parsed model output, -0, toJSON).
import { describe, expect, test } from 'vitest'
import { jsonRecord } from '../../src/json-record.js'

const roundTrip = (value: object) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>

describe('jsonRecord on hostile records', () => {
  test('an own "__proto__" field (spread from JSON.parse of model output) stays a field, not the prototype', () => {
    const record = { metric: 'm', score: 0, ...(JSON.parse('{"__proto__":{"reason":"from the model"}}') as object) }
    const copy = jsonRecord(record)
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(copy['reason']).toBeUndefined()
    expect(copy).toStrictEqual(roundTrip(record))
  })

  test('-0 is written as 0, as the round trip gives it', () => {
    expect(Object.is(jsonRecord({ score: -0 })['score'], 0)).toBe(true)
  })

  test('a record with its own toJSON is what toJSON gives, as the round trip gives it', () => {
    const record = { metric: 'm', score: 1, toJSON: () => ({ metric: 'renamed', score: 1 }) }
    expect(jsonRecord(record)).toStrictEqual(roundTrip(record))
  })
})
