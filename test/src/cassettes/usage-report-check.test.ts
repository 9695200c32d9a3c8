// The reporter reads every test file's cassette usage report at the end of a run: a hand-written check stands
// in for the zod schema so a run loads no zod for them. It must accept only what the schema accepts (issue 17).
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, test } from 'vitest'
import { isWrittenUsageReport, parseUsageReport, usageReportOf, usageReportSchema } from '../../../src/cassettes/usage-report-schema.js'
import { USAGE_META_KEY } from '../../../src/cassettes/usage-report.js'
import { singleDamages } from '../../support/mutations.js'

const slot = (test: string) => ({ test, repeat: 0, call: 1 })
const report = () => ({
  cassette: '__cassettes__/a.test.ts.json',
  testFile: 'a.test.ts',
  mode: 'replay',
  at: '2026-12-06T14:00:00.000Z',
  complete: true,
  successful: true,
  notRun: { count: 1, names: ['skipped'] },
  failed: { count: 0, names: [] },
  total: 3,
  written: 0,
  alreadyRecorded: { entries: 1, tools: 0 },
  refused: [{ test: 't', message: 'm' }],
  used: [slot('a'), slot('b')],
  tools: 1,
  usedTools: [slot('a')],
  misses: [{ test: 'c', method: 'POST', url: 'https://api.openai.com/v1/chat/completions' }],
  fingerprint: 'f',
  projects: ['p'],
  projectsNotRun: [],
})

describe('the hand-written usage report check', () => {
  test('accepts a report as a worker writes it', () => {
    expect(isWrittenUsageReport(report())).toBe(true)
    expect(parseUsageReport(report())).toEqual({ report: report() })
  })

  test('never accepts what the zod schema refuses, and gives its data, for every single damage of a report', () => {
    const damaged = singleDamages(report())
    const wrong = damaged.flatMap(([name, value]) => {
      const bySchema = usageReportSchema().safeParse(value)
      const fast = isWrittenUsageReport(value)
      return (fast && !(bySchema.success && isDeepStrictEqual(bySchema.data, value))) || 'report' in parseUsageReport(value) !== bySchema.success ? [name] : []
    })
    expect(damaged.length).toBeGreaterThan(500)
    expect(wrong).toEqual([])
  })

  test('a file with no report has none, and a bad one says what is wrong', () => {
    expect(usageReportOf({})).toBeUndefined()
    expect(usageReportOf(undefined)).toBeUndefined()
    expect(usageReportOf({ [USAGE_META_KEY]: report() })).toEqual(report())
    expect(parseUsageReport({ ...report(), used: [null] })).toEqual({ problem: 'used.0: Invalid input: expected object, received null' })
  })
})
