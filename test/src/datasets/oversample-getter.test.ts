// Regression: oversample's new "no row has the field" check uses Object.hasOwn, but the rows are
// read with row[label]: rows whose label is a getter (class instances, ORM/record objects) are refused though the
// label reads fine. Before cda25b8 this balanced the classes.
import { expect, test } from 'vitest'
import { oversample } from '../../../src/datasets/oversample.js'

class Row {
  constructor(private readonly data: { intent: string; q: string }) {}
  get intent(): string {
    return this.data.intent
  }
}

test('rows whose label is a getter are oversampled, not refused', () => {
  const rows = [new Row({ intent: 'a', q: '1' }), new Row({ intent: 'a', q: '2' }), new Row({ intent: 'b', q: '3' })]
  expect(oversample(rows, 'intent', { seed: 1 }).filter((row) => row.intent === 'b')).toHaveLength(2)
})
