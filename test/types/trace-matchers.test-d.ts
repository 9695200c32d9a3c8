// Type tests of the trace API and matchers, checked by `npm run typecheck` (tsc). Each `@ts-expect-error`
// line proves a misuse is rejected.
import { describe, expect, expectTypeOf, test } from 'vitest'
import { z } from 'zod'
import '../../matchers/types.js'
import { settledTrace, testTrace, traceFromExchanges, traceOf, type CassetteEntry, type StoredTrace, type ToolCall, type Trace } from '../../src/index.js'

const trace = traceOf([{ name: 'lookup_order', args: { orderId: '123' } }])

test('traceOf, testTrace and traceFromExchanges return a Trace', () => {
  expectTypeOf(trace).toEqualTypeOf<Trace>()
  expectTypeOf(testTrace()).toEqualTypeOf<Trace>()
  expectTypeOf(trace.toolCalls).toEqualTypeOf<ToolCall[]>()
  expectTypeOf(traceFromExchanges([] as CassetteEntry[], { toolRecords: [{ name: 'a', args: {}, result: 1 }] })).toEqualTypeOf<Trace>()
  expectTypeOf(settledTrace(trace)).toEqualTypeOf<Promise<Trace>>()
})

test('task.meta.trace is the stored copy', ({ task }) => {
  expectTypeOf(task.meta.trace).toEqualTypeOf<StoredTrace | undefined>()
})

describe('toCallTool', () => {
  test('args: a partial object, a schema, a predicate (typed by the tool’s arguments); times: a number or a range', () => {
    expectTypeOf(expect(trace).toCallTool('lookup_order')).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(trace).not.toCallTool('delete_account')).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(trace).toCallTool('lookup_order', { args: { orderId: expect.stringMatching(/^\d+$/) }, times: 1 })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(trace).toCallTool('lookup_order', { args: z.object({ orderId: z.string() }), times: { min: 1, max: 2 } })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(trace).toCallTool<{ orderId: string }>('lookup_order', { args: (args) => args.orderId.startsWith('1') })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(trace).toCallTool('lookup_order', { args: async (args, call) => args.orderId === '1' && call.name === 'lookup_order' })).toEqualTypeOf<Promise<void>>()
  })

  test('rejects misuse', () => {
    // @ts-expect-error the tool name is required
    void expect(trace).toCallTool()
    // @ts-expect-error times is a number or { min, max }
    void expect(trace).toCallTool('a', { times: 'once' })
    // @ts-expect-error unknown option
    void expect(trace).toCallTool('a', { count: 1 })
    // @ts-expect-error args is an object, a schema or a predicate
    void expect(trace).toCallTool('a', { args: 'orderId=1' })
  })
})

describe('toCallTools', () => {
  test('expected: names or { name, args }; mode; args: a mode, a comparator, or per tool', () => {
    expectTypeOf(expect(trace).toCallTools(['lookup_order', { name: 'issue_refund', args: { amount: 20 } }], { mode: 'strict' })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(trace).toCallTools(['a'], { mode: 'superset', args: 'ignore' })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(trace).toCallTools(['a'], { args: (actual, expected) => actual.city === expected.city })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(trace).toCallTools(['a'], { mode: 'unordered', args: { '*': 'exact', get_weather: (actual: { celsius: number }, expected: { celsius: number }) => Math.abs(actual.celsius - expected.celsius) < 1 } })).toEqualTypeOf<Promise<void>>()
  })

  test('rejects misuse', () => {
    // @ts-expect-error unknown mode
    void expect(trace).toCallTools(['a'], { mode: 'in_order' })
    // @ts-expect-error unknown args mode
    void expect(trace).toCallTools(['a'], { args: 'loose' })
    // @ts-expect-error expected is an array
    void expect(trace).toCallTools('a')
    // @ts-expect-error each expected call needs a name
    void expect(trace).toCallTools([{ args: {} }])
  })
})
