import { describe, expect, test } from 'vitest'
import { summaryJsonPieces, type SummaryJson } from '../../reporters/summary-json.js'
import type { HistoryRun } from '../../src/history/run-record.js'

const run = (fields: Record<string, unknown>) => fields as unknown as HistoryRun
const asOneString = (summary: SummaryJson) => `${JSON.stringify(summary, null, 2)}\n`

describe('summaryJsonPieces', () => {
  test('yields the bytes of JSON.stringify(summary, null, 2) and a newline, the cases a hundred at a time', () => {
    const cases = [
      { suite: 'a > b', test: 'line one\nline two', metric: 'm', score: 0.5, reasons: ['x', { nested: [1, [], {}] }], empty: {} },
      { suite: 'ünïcödé ✓ \u2028', test: '"quoted" \\ back', output: '    "cases": "\\u0000"', list: [] },
      ...Array.from({ length: 248 }, (_, index) => ({ suite: 's', test: `t${index}`, score: index / 248, trials: [{ score: 1 }] })),
    ]
    const summary: SummaryJson = { run: run({ v: 1, id: 'r1', totals: { tests: 3 }, errorsCounted: true, cases }), comparison: { rows: [{ suite: '\n    "cases": "\u0000"' }] }, gateFailures: [] }
    const pieces = [...summaryJsonPieces(summary)]
    expect(pieces.join('')).toBe(asOneString(summary))
    expect(pieces).toHaveLength(2 + 3) // 250 cases: three pieces
  })

  test('keeps the place of `cases` among the run fields when it is not the last', () => {
    const summary: SummaryJson = { run: run({ v: 1, cases: [{ a: 1 }, { b: [2] }], after: 'x' }), gateFailures: ['f'] }
    expect([...summaryJsonPieces(summary)].join('')).toBe(asOneString(summary))
  })

  test('a run without cases is one piece', () => {
    for (const summary of [{ run: run({ v: 1 }) }, { run: run({ v: 1, cases: [] }) }]) {
      expect([...summaryJsonPieces(summary)]).toEqual([asOneString(summary)])
    }
  })
})
