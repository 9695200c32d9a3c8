// toCallTool / toCallTools / toFollowInstructions check their usual options by hand, so agent suites and IFEval
// checks load no zod (issue 17): what the hand checks accept must be what the zod schemas accept, with the same result.
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, test } from 'vitest'
import { ToolCallOptionsSchema, usualToolCallOptions } from '../../matchers/to-call-tool.js'
import { ExpectedSchema, ToolCallsOptionsSchema, usualExpectedCalls, usualToolCallsOptions } from '../../matchers/to-call-tools.js'
import { OptionsSchema as InstructionsOptionsSchema, usualInstructionsOptions } from '../../matchers/to-follow-instructions.js'
import { expectedCallsProblems, toolCallOptionsProblems, toolCallsOptionsProblems } from '../../matchers/shared/tool-call-misuse.js'
import { singleDamages } from '../support/mutations.js'

/** Names of the damaged values where `usual` accepts what `schema` refuses or gives something else. */
function disagreements(base: unknown, usual: (value: unknown) => unknown, schema: () => { safeParse(value: unknown): { success: boolean; data?: unknown } }): string[] {
  return singleDamages(base).flatMap(([name, value]) => {
    const fast = usual(value)
    if (fast === undefined) return []
    const bySchema = schema().safeParse(value)
    return bySchema.success && isDeepStrictEqual(bySchema.data, fast) ? [] : [name]
  })
}

describe('the hand checks of the tool matchers agree with their schemas', () => {
  test('toCallTool options', () => {
    for (const base of [{ args: { orderId: '1', nested: { a: [1] } }, times: 1 }, { times: { min: 1, max: 3 } }, { args: () => true }, {}]) {
      expect(usualToolCallOptions(base)).toEqual(base)
      expect(disagreements(base, usualToolCallOptions, ToolCallOptionsSchema)).toEqual([])
    }
    expect(usualToolCallOptions({ times: { min: 3, max: 1 } })).toBeUndefined()
    expect(usualToolCallOptions({ args: [] })).toBeUndefined()
    expect(usualToolCallOptions({ tims: 1 })).toBeUndefined()
  })

  test('toCallTools expected calls and options', () => {
    const expected = ['lookup', { name: 'refund', args: { amount: 20 } }, { name: 'notify' }]
    expect(usualExpectedCalls(expected)).toEqual(expected)
    expect(disagreements(expected, usualExpectedCalls, ExpectedSchema)).toEqual([])
    for (const base of [{ mode: 'unordered', args: 'exact' }, { args: { lookup: 'ignore', '*': 'partial' } }, { mode: 'superset' }, {}]) {
      expect(disagreements(base, usualToolCallsOptions, ToolCallsOptionsSchema)).toEqual([])
    }
    expect(usualToolCallsOptions({})).toEqual({ mode: 'strict' })
    expect(usualToolCallsOptions({ mode: 'sorted' })).toBeUndefined()
    expect(usualExpectedCalls([''])).toBeUndefined()
  })

  test('toFollowInstructions options', () => {
    for (const base of [{ loose: true }, { loose: false }, {}]) {
      expect(disagreements(base, usualInstructionsOptions, InstructionsOptionsSchema)).toEqual([])
    }
    expect(usualInstructionsOptions({})).toEqual(InstructionsOptionsSchema().parse({}))
    expect(usualInstructionsOptions({ loose: 'yes' })).toBeUndefined()
    expect(usualInstructionsOptions({ samples: 3 })).toBeUndefined()
  })
})

const ROOT_VALUES: unknown[] = [null, undefined, 'strict', '', 2, -1, [], ['a'], [{}], {}, () => true]

/** Names of the damaged values where `explain` finds a problem in what `schema` accepts, or none in what it refuses. */
function misexplained(base: unknown, explain: (value: unknown) => string[], schema: () => { safeParse(value: unknown): { success: boolean } }): string[] {
  const wholeValues = ROOT_VALUES.map((value): [string, unknown] => [`whole value ${typeof value === 'function' ? 'a function' : String(JSON.stringify(value))}`, value])
  return [...singleDamages(base), ...wholeValues].flatMap(([name, value]) => {
    const refused = !schema().safeParse(value).success
    const explained = explain(value).length > 0
    return refused === explained ? [] : [`${name}: ${refused ? 'refused by the schema, no problem named' : `accepted by the schema, yet: ${explain(value).join('; ')}`}`]
  })
}

describe('the misuse explanations of the tool matchers name a problem exactly when their schemas refuse', () => {
  test('toCallTools expected calls', () => {
    for (const base of [['lookup', { name: 'refund', args: { amount: 20 } }, { name: 'notify' }], [{ name: 'a', args: {} }]]) {
      expect(misexplained(base, expectedCallsProblems, ExpectedSchema)).toEqual([])
    }
  })

  test('toCallTools options', () => {
    for (const base of [{ mode: 'unordered', args: 'exact' }, { args: { lookup: 'ignore', '*': 'partial' } }, { mode: 'superset' }]) {
      expect(misexplained(base, toolCallsOptionsProblems, ToolCallsOptionsSchema)).toEqual([])
    }
  })

  test('toCallTool options', () => {
    for (const base of [{ args: { orderId: '1', nested: { a: [1] } }, times: 1 }, { times: { min: 1, max: 3 } }, { args: {} }]) {
      expect(misexplained(base, toolCallOptionsProblems, ToolCallOptionsSchema)).toEqual([])
    }
  })
})
