import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { contentHash } from '../../../src/datasets/case-id.js'
import { loadDataset } from '../../../src/datasets/load-dataset.js'
import { formatCaseName, toEvalCases } from '../../../src/suites/cases.js'
import { DatasetError } from '../../../src/errors/index.js'
import { printValue } from '../../../src/print-value.js'

/** formatCaseName as it was before its compiled template and fast paths: the names must not change. */
function referenceName(template: string, row: unknown, id: string): string {
  return template.replace(/\$([\p{ID_Continue}.]+)/gu, (placeholder, path: string) => {
    let value: unknown = row
    for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
    if (value === undefined) return path === 'id' ? id : placeholder
    const flat = printValue(value, { maxChars: 320 }).replace(/\s+/g, ' ').trim()
    return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat
  })
}

describe('formatCaseName', () => {
  test('fills $field, $a.b and $id; cuts long values; leaves unknown placeholders', () => {
    const row = { question: 'Where is\nmy parcel?', meta: { lang: 'en' }, long: 'x'.repeat(100) }
    expect(formatCaseName('$question ($meta.lang) $id', row, 'h1')).toBe('Where is my parcel? (en) h1')
    expect(formatCaseName('$long', row, 'h1')).toBe(`${'x'.repeat(79)}…`)
    expect(formatCaseName('$missing', row, 'h1')).toBe('$missing')
  })

  test('names every kind of value as the general printing path does', () => {
    const values = ['plain', 'two  spaces', ' lead', 'trail ', 'tab\there', 'nbsp\u00a0x', 'line\u2028sep', '', ' ', 'x'.repeat(80), 'x'.repeat(81), `${'y '.repeat(60)}`, 0, -0, 1.5, -3e21, Number.NaN, Number.POSITIVE_INFINITY, true, null, 10n, { a: 1 }, ['a', 'b'], Symbol('s'), () => 1, new Date(0)]
    const templates = ['case $id', '$value', '$value and $value.x $id', 'no placeholders', '$$value$', '$nested.deep.value.', '€ $vålue $value']
    for (const template of templates) {
      for (const value of values) {
        const row = { value, vålue: value, nested: { deep: { value } } }
        expect(formatCaseName(template, row, 'h1'), `${template} with ${String(value)}`).toBe(referenceName(template, row, 'h1'))
      }
      expect(formatCaseName(template, 'a string row', 'h1')).toBe(referenceName(template, 'a string row', 'h1'))
    }
  })
})

describe('toEvalCases', () => {
  test('a name template that is not a string is a ConfigError, with rows or without', () => {
    for (const rows of [[], [{ id: 'a' }]]) {
      expect(() => toEvalCases(rows, (() => 'name') as never)).toThrow("evalEach / describeEval need a test name template that is a string, such as 'case $id', got function.")
    }
  })

  test('ids from the id field or a content hash; names made unique with the id only where they clash', () => {
    const cases = toEvalCases([{ id: 'a', topic: 'refund' }, { id: 'b', topic: 'refund' }, { topic: 'shipping' }], 'asks about $topic')
    expect(cases.map((each) => [each.id, each.name])).toEqual([
      ['a', 'asks about refund [a]'],
      ['b', 'asks about refund [b]'],
      [contentHash({ topic: 'shipping' }), 'asks about shipping'],
    ])
  })

  test('duplicate ids name both rows, by file line when the rows were loaded', async () => {
    expect(() => toEvalCases([{ id: 'x' }, { id: 'y' }, { id: 'x' }], '$id')).toThrow(new DatasetError('Two rows have the case id "x": row 1 and row 3. Case ids key test names, cassettes and score history: give each row a unique "id" field, or remove the copy.'))
    const rows = await loadDataset([{ id: 'x' }, { id: 'y' }], z.object({ id: z.string() }))
    expect(() => toEvalCases([...rows, { id: 'y' }], '$id')).toThrow('"y": (array) row 2 and row 3')
  })
})
