// No input may stall a worker: huge streams, long traces and big arguments cost time in proportion to
// their size, comparisons are capped, and what is kept with a test is bounded.
import { describe, expect, test } from 'vitest'
import { previewValue } from '../../../src/agents/tool-calls-args.js'
import { checkToolCalls, MAX_COMPARED_CALLS } from '../../../src/agents/tool-calls-check.js'
import { alignedCalls, callList } from '../../../src/agents/tool-calls-table.js'
import { boundedTrace, STORED_TRACE_LIMITS } from '../../../src/agents/trace-bounded.js'
import { traceFromExchanges } from '../../../src/agents/trace-exchanges.js'
import { traceOf } from '../../../src/agents/trace-of.js'

const elapsed = (work: () => unknown): number => {
  const start = performance.now()
  work()
  return performance.now() - start
}

describe('bounded work', () => {
  test('a stream of 200,000 argument deltas is put together in linear time', () => {
    const chunks = ['data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"write","arguments":"{\\"text\\":\\""}}]}}]}\n\n']
    for (let i = 0; i < 200_000; i++) chunks.push('data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ab"}}]}}]}\n\n')
    chunks.push('data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"}"}}]}}]}\n\n')
    let trace = traceFromExchanges([])
    expect(elapsed(() => (trace = traceFromExchanges([{ request: { body: {} }, response: { status: 200, chunks } }])))).toBeLessThan(5000)
    expect((trace.toolCalls[0]?.args as { text: string }).text).toHaveLength(400_000)
  })

  test('a trace of 20,000 calls is read, and bounded for storage, quickly', () => {
    const calls = Array.from({ length: 20_000 }, (_, n) => ({ name: 'step', args: { n, blob: 'x'.repeat(5000) } }))
    let trace = traceOf([])
    expect(elapsed(() => (trace = traceOf(calls)))).toBeLessThan(2000)
    const stored = boundedTrace(trace)
    expect(stored.toolCalls).toHaveLength(STORED_TRACE_LIMITS.toolCalls)
    expect(stored.truncated).toEqual({ toolCalls: 20_000 - STORED_TRACE_LIMITS.toolCalls })
    expect(stored.steps[0]?.toolCalls).toHaveLength(STORED_TRACE_LIMITS.callsPerStep)
    expect(JSON.stringify(stored).length).toBeLessThan(200_000)
    expect(stored.toolCalls[0]?.args).toMatch(/… \(\+\d+ chars\)$/)
  })

  test('toCallTools refuses comparisons past its caps instead of running them', async () => {
    const many = Array.from({ length: MAX_COMPARED_CALLS + 1 }, () => ({ name: 'step', args: {} }))
    await expect(checkToolCalls(many, [{ name: 'step' }], { mode: 'superset' })).rejects.toThrow(/Compare a slice of the trace/)
    const actual = Array.from({ length: 600 }, (_, n) => ({ name: 'step', args: { n } }))
    const expected = Array.from({ length: 600 }, (_, n) => ({ name: 'step', args: { n } }))
    await expect(checkToolCalls(actual, expected, { mode: 'unordered' })).rejects.toThrow(/360000 argument checks/)
  })

  test('names-only comparisons of long traces are not capped by argument checks', async () => {
    const actual = Array.from({ length: 2000 }, (_, n) => ({ name: n % 2 ? 'read' : 'write', args: { n } }))
    const expected = actual.map((call) => ({ name: call.name }))
    let verdict: Awaited<ReturnType<typeof checkToolCalls>> | undefined
    const start = performance.now()
    verdict = await checkToolCalls(actual, [...expected].reverse(), { mode: 'unordered' })
    expect(performance.now() - start).toBeLessThan(5000)
    expect(verdict.pass).toBe(true)
    expect(alignedCalls(verdict.rows, expected, actual, verdict.firstDifference).length).toBeLessThan(25)
  })

  test('previews of deep or huge values stop at their limit', () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(previewValue(deep)).toMatch(/^\[{8}…\]{8}$/)
    expect(boundedTrace(traceOf([{ name: 'deep', args: deep }])).toolCalls[0]?.args).toMatch(/^\(not JSON: /)
    expect(previewValue({ list: Array.from({ length: 1_000_000 }, (_, n) => n) }).length).toBeLessThanOrEqual(60)
    expect(callList(traceOf(Array.from({ length: 500 }, (_, n) => ({ name: `t${n}`, args: {} }))).toolCalls, new Map([[400, 'here']])).length).toBeLessThan(25)
  })
})
