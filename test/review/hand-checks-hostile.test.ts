// Review of issue 17's hand checks: each stands in for a zod schema and must never accept what the schema
// refuses, nor give other data than the schema for what it accepts. Hostile inputs the single-damage tests
// (test/support/mutations.ts) do not make: unsafe integers, holes in arrays, own `__proto__` keys from JSON.parse,
// symbol keys.
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, test } from 'vitest'
import { ExpectedSchema, ToolCallsOptionsSchema, usualExpectedCalls, usualToolCallsOptions } from '../../matchers/to-call-tools.js'
import { isWrittenUsageReport, usageReportSchema } from '../../src/cassettes/usage-report-schema.js'
import { historyRunLine, historyRunSchema, isWrittenRunLine } from '../../src/history/run-record.js'
import { traceOf } from '../../src/agents/trace-of.js'
import { registerMatchers } from '../matchers/support.js'

registerMatchers()

const line = () =>
  `{"v":1,"id":"r","time":"t","versions":{"node":"22"},"totals":{"tests":2,"scores":2,"failedScores":0,"tokens":{"app":{"input":1,"output":1},"judge":{"input":1,"output":1},"replayed":0,"live":0},"costUsd":0},"groups":[],"suites":[]`
const report = () => `{"cassette":"c","testFile":"f","mode":"replay","at":"x","complete":true,"total":1,"used":[],"misses":[]`

/** What the schema gives, and what the check gives when it accepts (undefined when it passes the value on to zod). */
function both(schema: { safeParse: (value: unknown) => { success: boolean; data?: unknown } }, hand: (value: unknown) => unknown, value: unknown) {
  const byZod = schema.safeParse(value)
  return { zodAccepts: byZod.success, handAccepts: hand(value) !== undefined && hand(value) !== false, same: isDeepStrictEqual(hand(value) === true ? value : hand(value), byZod.data) }
}
const sound = (outcome: ReturnType<typeof both>) => !outcome.handAccepts || (outcome.zodAccepts && outcome.same)

describe('history lines (isWrittenRunLine)', () => {
  test('a version beyond the safe integers is refused, as zod refuses it', () => {
    expect(sound(both(historyRunLine(), isWrittenRunLine, JSON.parse(`${line()},"v":1e20}`)))).toBe(true)
    expect(historyRunSchema.safeParse(JSON.parse(`${line()},"v":1e20}`)).success).toBe(false)
  })

  test('a "__proto__" key (an own key from JSON.parse) gives what zod gives', () => {
    expect(sound(both(historyRunLine(), isWrittenRunLine, JSON.parse(`${line()},"__proto__":{"x":1}}`)))).toBe(true)
    expect(sound(both(historyRunLine(), isWrittenRunLine, JSON.parse(line().replace('"node":"22"', '"node":"22","__proto__":1') + '}')))).toBe(true)
  })
})

describe('usage reports (isWrittenUsageReport)', () => {
  test('a test count beyond the safe integers is refused, as zod refuses it', () => {
    expect(sound(both(usageReportSchema(), isWrittenUsageReport, JSON.parse(`${report()},"notRun":{"count":1e20,"names":[]}}`)))).toBe(true)
  })

  test('a hole in a list is refused, as zod refuses it', () => {
    const holed = { ...JSON.parse(`${report()}}`), used: [{ test: 'a', repeat: 0, call: 1 }, , { test: 'b', repeat: 0, call: 1 }] }
    expect(sound(both(usageReportSchema(), isWrittenUsageReport, holed))).toBe(true)
  })

  test('a "__proto__" key gives what zod gives', () => {
    expect(sound(both(usageReportSchema(), isWrittenUsageReport, JSON.parse(`${report()},"__proto__":{"a":1}}`)))).toBe(true)
  })
})

describe('toCallTools arguments (usualExpectedCalls, usualToolCallsOptions)', () => {
  test('a hole in the expected calls (a doubled comma) is refused, as zod refuses it', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(sound(both(ExpectedSchema(), usualExpectedCalls, ['a', , 'b']))).toBe(true)
  })

  test('fails with a ConfigError, not a TypeError, when the expected calls have a hole', async () => {
    const trace = traceOf([{ name: 'a', args: {} }, { name: 'b', args: {} }])
    // eslint-disable-next-line no-sparse-arrays
    const holed = ['a', , 'b'] as string[]
    await expect(async () => expect(trace).toCallTools(holed)).rejects.toThrow(/\[vitest-llm-evals\] toCallTools\(\) got invalid expected calls/)
  })

  test('a per-tool args rule under a symbol or "__proto__" key gives what zod gives', () => {
    expect(sound(both(ToolCallsOptionsSchema(), usualToolCallsOptions, { args: { [Symbol('tool')]: 'exact' } }))).toBe(true)
    expect(sound(both(ToolCallsOptionsSchema(), usualToolCallsOptions, JSON.parse('{"args":{"__proto__":"exact","a":"partial"}}')))).toBe(true)
  })
})

describe('toCallTool options and expected call objects with symbol keys', () => {
  test('give what zod gives (its copy has no symbol key)', async () => {
    const { ToolCallOptionsSchema, usualToolCallOptions } = await import('../../matchers/to-call-tool.js')
    expect(sound(both(ToolCallOptionsSchema(), usualToolCallOptions, { times: 1, [Symbol('s')]: 1 }))).toBe(true)
    expect(sound(both(ExpectedSchema(), usualExpectedCalls, [{ name: 'a', [Symbol('s')]: 1 }]))).toBe(true)
  })
})
