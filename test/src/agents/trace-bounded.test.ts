import { describe, expect, test, vi } from 'vitest'
import { boundedTrace } from '../../../src/agents/trace-bounded.js'
import { traceOf } from '../../../src/agents/trace-of.js'

describe('boundedTrace', () => {
  const trace = () => traceOf([
    { name: 'lookup_order', args: { orderId: 'o1' }, result: { status: 'delivered', items: [{ sku: 'a' }] } },
    { name: 'refund', args: { orderId: 'o1', amount: 30 }, error: 'Error: refused' },
  ])

  test("a step's calls and the trace's calls are equal copies, sharing no object", () => {
    const source = trace()
    const stored = boundedTrace(source)
    const [step] = stored.steps
    expect(step?.toolCalls).toStrictEqual(stored.toolCalls)
    expect(stored.toolCalls).toStrictEqual([
      { name: 'lookup_order', args: { orderId: 'o1' }, result: { status: 'delivered', items: [{ sku: 'a' }] } },
      { name: 'refund', args: { orderId: 'o1', amount: 30 }, error: 'Error: refused' },
    ])
    stored.toolCalls.forEach((call, index) => {
      expect(call).not.toBe(step?.toolCalls[index])
      expect(call.args).not.toBe(step?.toolCalls[index]?.args)
    })
    expect(stored.toolCalls[0]?.result).not.toBe(source.toolCalls[0]?.result)
    ;(stored.toolCalls[0]?.result as { items: unknown[] }).items.push('changed')
    expect((step?.toolCalls[0]?.result as { items: unknown[] }).items).toHaveLength(1)
  })

  test('prints the JSON of each call once, although it is in a step and in the list of calls', () => {
    const source = trace()
    const stringify = vi.spyOn(JSON, 'stringify')
    try {
      boundedTrace(source)
      // Two calls, each with arguments; one with a result.
      expect(stringify).toHaveBeenCalledTimes(3)
    } finally {
      stringify.mockRestore()
    }
  })
})
