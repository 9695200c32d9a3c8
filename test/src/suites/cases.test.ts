import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { contentHash } from '../../../src/datasets/case-id.js'
import { loadDataset } from '../../../src/datasets/load-dataset.js'
import { formatCaseName, toEvalCases } from '../../../src/suites/cases.js'
import { DatasetError } from '../../../src/errors/index.js'

describe('formatCaseName', () => {
  test('fills $field, $a.b and $id; cuts long values; leaves unknown placeholders', () => {
    const row = { question: 'Where is\nmy parcel?', meta: { lang: 'en' }, long: 'x'.repeat(100) }
    expect(formatCaseName('$question ($meta.lang) $id', row, 'h1')).toBe('Where is my parcel? (en) h1')
    expect(formatCaseName('$long', row, 'h1')).toBe(`${'x'.repeat(79)}…`)
    expect(formatCaseName('$missing', row, 'h1')).toBe('$missing')
  })
})

describe('toEvalCases', () => {
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
