import { describe, expect, test } from 'vitest'
import { extractJson } from '../../../../src/metrics/json/extract-json.js'

describe('extractJson', () => {
  test('parses a bare JSON output', () => {
    expect(extractJson(' {"a": 1} \n')).toEqual({ found: true, value: { a: 1 }, source: 'bare', text: '{"a": 1}' })
  })
  test('takes the first ```json fenced block that parses', () => {
    const output = 'Sure:\n```js\n{a: 1}\n```\n```json\n[1, 2]\n```\nDone.'
    expect(extractJson(output)).toMatchObject({ found: true, value: [1, 2], source: 'fenced' })
  })
  test('accepts an unlabelled fence', () => {
    expect(extractJson('```\n{"ok": true}\n```')).toMatchObject({ value: { ok: true }, source: 'fenced' })
  })
  test('finds the first balanced object in prose, skipping brackets inside strings', () => {
    const output = 'The answer {not json} is {"text": "a } b", "list": [1, {"x": 2}]} as requested.'
    expect(extractJson(output)).toMatchObject({ found: true, value: { text: 'a } b', list: [1, { x: 2 }] }, source: 'embedded' })
  })
  test('finds an array in prose', () => {
    expect(extractJson('Ids: ["a", "b"].')).toMatchObject({ value: ['a', 'b'], source: 'embedded' })
  })
  test('says why when there is no JSON', () => {
    expect(extractJson('no json {here')).toEqual({ found: false, reason: 'no parsable JSON object or array in the output' })
    expect(extractJson('  ')).toEqual({ found: false, reason: 'the output is empty' })
  })
})
