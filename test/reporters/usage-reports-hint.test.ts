import { describe, expect, test } from 'vitest'
import { usageReportsOf, type UsageModule } from '../../reporters/cassette-usage.js'
import { mayHaveUsageReports } from '../../reporters/usage-reports-hint.js'
import { USAGE_META_KEY } from '../../src/cassettes/usage-report.js'

const missText = `[vitest-llm-evals] No recording for POST https://api.openai.com/v1/chat/completions in test "one" (replay mode, cassette __cassettes__/a.test.ts.cassette.json).`
const passed = { result: () => ({ errors: [] }) }
const module = (meta: object, errors: unknown[] = [], tests: { result(): { errors?: unknown[] } }[] = [passed]): UsageModule => ({
  meta: () => meta,
  moduleId: '/project/a.test.ts',
  errors: () => errors,
  children: { allTests: () => tests },
})

describe('mayHaveUsageReports', () => {
  test('is false for a run whose files used no cassette and had no error, which has no usage report', () => {
    const modules = [module({}), module({ other: 1 }), { meta: () => ({}) }]
    expect(mayHaveUsageReports(modules)).toBe(false)
    expect(usageReportsOf(modules, '/project')).toEqual([])
  })

  test('is true when a file carries a report, or a file or one of its tests has errors (which may tell misses)', () => {
    expect(mayHaveUsageReports([module({}), module({ [USAGE_META_KEY]: {} })])).toBe(true)
    expect(mayHaveUsageReports([module({}, [{ message: missText }])])).toBe(true)
    expect(mayHaveUsageReports([module({}, [], [passed, { result: () => ({ errors: [{ message: `400 ${missText}` }] }) }])])).toBe(true)
  })
})
