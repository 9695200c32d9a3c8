import { describe, expect, test } from 'vitest'
import { decodeCaseTable, encodeCaseTable, isCaseTable } from '../../../src/history/case-table.js'
import type { CaseScore } from '../../../src/history/run-record.js'

const judge = { provider: 'openai', model: 'gpt-4o-mini', promptVersion: 'factual@1' }
const cases: CaseScore[] = [
  { suite: 'bot.test.ts > bot', test: 'bot > refund', caseId: 'refund', metric: 'rouge', score: 0.8414709848078965, pass: true, trials: 1, threshold: 0.5, output: 'Refunds take <b>5</b> days', judge },
  { suite: 'bot.test.ts > bot', test: 'bot > refund', caseId: 'refund', metric: 'factual', score: 0.25, pass: false, trials: 3, min: 0, passes: 1, variance: 0.0625, flaky: true, threshold: 0.5, output: 'Refunds take <b>5</b> days', judge },
  { suite: 'bot.test.ts > bot', test: 'bot > card', metric: 'rouge', score: 1, pass: true, trials: 1, threshold: 0.5, output: 'Card declined', judge },
  { suite: 'bot.test.ts > bot', test: 'bot > card', metric: 'factual', score: 1, pass: true, trials: 1, threshold: 0.7, output: 'Card declined', judge },
]

describe('case table', () => {
  test('stores each field once when it is the same, booleans as flags, repeated values as lookups, the rest as values', () => {
    expect(encodeCaseTable(cases)).toEqual({
      count: 4,
      fields: {
        // Detail columns first: a reader sees from the first column whether retention has dropped them.
        output: { lookup: ['Refunds take <b>5</b> days', 'Card declined'], at: [0, 0, 1, 1] },
        suite: { same: 'bot.test.ts > bot' },
        test: { lookup: ['bot > refund', 'bot > card'], at: [0, 0, 1, 1] },
        caseId: { lookup: ['refund'], at: [0, 0, null, null] },
        metric: { lookup: ['rouge', 'factual'], at: [0, 1, 0, 1] },
        score: { values: [0.8414709848078965, 0.25, 1, 1] },
        pass: { flags: '1011' },
        trials: { lookup: [1, 3], at: [0, 1, 0, 0] },
        threshold: { lookup: [0.5, 0.7], at: [0, 0, 0, 1] },
        judge: { same: judge },
        min: { lookup: [0], at: [null, 0, null, null] },
        passes: { lookup: [1], at: [null, 0, null, null] },
        variance: { lookup: [0.0625], at: [null, 0, null, null] },
        flaky: { flags: '-1--' },
      },
    })
  })

  test('reads back exactly what was stored, in run order, through JSON', () => {
    const table = JSON.parse(JSON.stringify(encodeCaseTable(cases)))
    expect(Object.keys(table.fields)).toEqual(['output', 'suite', 'test', 'caseId', 'metric', 'score', 'pass', 'trials', 'threshold', 'judge', 'min', 'passes', 'variance', 'flaky'])
    expect(isCaseTable(table)).toBe(true)
    const decoded = decodeCaseTable(table)
    expect(decoded).toEqual(cases)
    expect(Object.keys(decoded[0] ?? {})).toEqual(['suite', 'test', 'caseId', 'metric', 'score', 'pass', 'trials', 'threshold', 'judge', 'output'])
    // A value stored once is still a separate object per case.
    if (decoded[0]?.judge) decoded[0].judge.model = 'changed'
    expect(decoded[1]?.judge?.model).toBe('gpt-4o-mini')
    expect(decodeCaseTable(encodeCaseTable([]))).toEqual([])
  })

  test('rejects a column without one entry per case, or an index outside its lookup', () => {
    expect(isCaseTable({ count: 2, fields: { score: { values: [1] } } })).toBe(false)
    expect(isCaseTable({ count: 2, fields: { pass: { flags: '1' } } })).toBe(false)
    expect(isCaseTable({ count: 1, fields: { test: { lookup: ['a'], at: [1] } } })).toBe(false)
    expect(isCaseTable({ count: 1, fields: { test: { lookup: ['a'], at: [0] } } })).toBe(true)
  })

  test('a `__proto__` field (a case of an older history, model output) is a field of each case, never its prototype, and survives a rewrite', () => {
    const proto = JSON.parse(`{"count":2,"fields":{"__proto__":{"values":[{"reason":"inherited"},null]},"suite":{"same":"s"}}}`) as unknown
    expect(isCaseTable(proto)).toBe(true)
    const cases = decodeCaseTable(proto as Parameters<typeof decodeCaseTable>[0])
    expect(Object.getPrototypeOf(cases[0])).toBe(Object.prototype)
    expect((cases[0] as { reason?: unknown }).reason).toBeUndefined()
    expect(Object.getOwnPropertyDescriptor(cases[0], '__proto__')?.value).toEqual({ reason: 'inherited' })
    expect(Object.hasOwn(cases[1] as object, '__proto__')).toBe(false)
    // Written again (a retention rewrite), the field is still there.
    expect(JSON.parse(JSON.stringify(encodeCaseTable(cases)))).toEqual(JSON.parse(JSON.stringify(proto)))
  })

  test('rejects hostile tables whose decoding would cost far more than the line is long', () => {
    const scalar = { suite: { same: 's' }, test: { same: 't' }, metric: { same: 'm' }, score: { same: 1 }, pass: { same: true } }
    // A 60-byte line claiming 50 million identical cases took ~40 s (and gigabytes) to decode.
    expect(isCaseTable({ count: 50_000_000, fields: scalar })).toBe(false)
    expect(isCaseTable({ count: 2 ** 32, fields: {} })).toBe(false)
    // A 1 MB object in `same` was copied into each of 10,000 cases: 10 GB of copying from a 1 MB line.
    expect(isCaseTable({ count: 10_000, fields: { ...scalar, pass: { flags: '1'.repeat(10_000) }, details: { same: { text: 'x'.repeat(1_000_000) } } } })).toBe(false)
    // Legitimate tables still pass: identical cases, and small shared objects over many cases.
    expect(isCaseTable({ count: 3, fields: scalar })).toBe(true)
    expect(isCaseTable({ count: 10_000, fields: { ...scalar, pass: { flags: '1'.repeat(10_000) }, judge: { same: { provider: 'openai', model: 'gpt-4o-mini' } } } })).toBe(true)
  })
})
