import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { traceOf } from '../../src/agents/trace-of.js'
import { chatCompletion } from '../src/agents/wire-shapes.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()

const refund = traceOf([
  { name: 'search_orders', args: { customer: 'ada@example.com', status: 'delivered' } },
  { name: 'lookup_order', args: { orderId: '124', include: { items: true, tracking: false } } },
  { name: 'lookup_order', args: { orderId: '123', include: { items: true, tracking: true } } },
  { name: 'issue_refund', args: { orderId: '123', amount: 19.99, reason: 'Damaged' } },
])

describe('.toCallTool', () => {
  test('passes when the tool was called', async () => {
    await expect(refund).toCallTool('issue_refund')
  })

  test('passes when a call matches a partial, nested args object', async () => {
    await expect(refund).toCallTool('lookup_order', { args: { orderId: '123', include: { tracking: true } } })
  })

  test('passes with asymmetric matchers inside args (compared with Vitest’s equals)', async () => {
    await expect(refund).toCallTool('issue_refund', { args: { amount: expect.closeTo(20, 0), reason: expect.stringMatching(/damaged/i) } })
  })

  test('passes with a zod schema or a predicate for args', async () => {
    await expect(refund).toCallTool('issue_refund', { args: z.object({ orderId: z.string(), amount: z.number().positive() }) })
    await expect(refund).toCallTool<{ orderId: string }>('lookup_order', { args: (args) => args.orderId.startsWith('12'), times: 2 })
  })

  test('passes when the number of matching calls is within times', async () => {
    await expect(refund).toCallTool('lookup_order', { times: 2 })
    await expect(refund).toCallTool('lookup_order', { args: { orderId: '123' }, times: { max: 1 } })
    await expect(refund).toCallTool('lookup_order', { times: { min: 1, max: 3 } })
  })

  test('passes on an SDK result, read like traceOf reads it', async () => {
    await expect(chatCompletion).toCallTool('get_weather', { args: { location: 'Paris, France' } })
  })

  test('records tool-call:<name> and keeps a bounded copy of the trace on task.meta.trace', async ({ task }) => {
    await expect(refund).toCallTool('lookup_order', { args: { orderId: '123' } })
    expect(task.meta.evals).toEqual([
      {
        metric: 'tool-call:lookup_order',
        score: 1,
        pass: true,
        details: { name: 'lookup_order', calls: 2, matching: 1, times: { min: 1, max: null }, mismatch: 'args.orderId: expected "123", received "124"' },
        attempt: { retry: 0, repeat: 0 },
      },
    ])
    expect(task.meta.trace?.toolCalls.map((call) => call.name)).toEqual(['search_orders', 'lookup_order', 'lookup_order', 'issue_refund'])
  })

  test('fails when the tool was never called, listing what was', async () => {
    expect(await failureOf(expect(refund).toCallTool('send_email'))).toMatchInlineSnapshot(`
      "expect(trace).toCallTool(name)

      Expected the trace to call send_email.

      Score:     0.00
      Reasons:
        - send_email was never called; the trace called search_orders, lookup_order, issue_refund
      Calls:
        1 search_orders {"customer":"ada@example.com","status":"delivered…
        2 lookup_order {"orderId":"124","include":{"items":true,"tracking…
        3 lookup_order {"orderId":"123","include":{"items":true,"tracking…
        4 issue_refund {"orderId":"123","amount":19.99,"reason":"Damaged"}"
    `)
  })

  test('fails when no call has matching arguments, saying where each differs', async () => {
    expect(await failureOf(expect(refund).toCallTool('lookup_order', { args: { orderId: '125', include: { items: true } } }))).toMatchInlineSnapshot(`
      "expect(trace).toCallTool(name)

      Expected the trace to call lookup_order with matching arguments.

      Score:     0.00
      Reasons:
        - lookup_order was called 2 times, none with matching arguments; expected at least once
      Calls:
        1 search_orders {"customer":"ada@example.com","status":"delivered…
      > 2 lookup_order {"orderId":"124","include":{"items":true,"tracking…  args.orderId: expected "125", received "124"
      > 3 lookup_order {"orderId":"123","include":{"items":true,"tracking…  args.orderId: expected "125", received "123"
        4 issue_refund {"orderId":"123","amount":19.99,"reason":"Damaged"}"
    `)
  })

  test('fails when the count is outside times', async () => {
    expect(await failureOf(expect(refund).toCallTool('lookup_order', { times: 1 }))).toMatchInlineSnapshot(`
      "expect(trace).toCallTool(name)

      Expected the trace to call lookup_order exactly once.

      Score:     0.00
      Reasons:
        - lookup_order was called 2 times; expected exactly once
      Calls:
        1 search_orders {"customer":"ada@example.com","status":"delivered…
      > 2 lookup_order {"orderId":"124","include":{"items":true,"tracking…  matches
      > 3 lookup_order {"orderId":"123","include":{"items":true,"tracking…  matches
        4 issue_refund {"orderId":"123","amount":19.99,"reason":"Damaged"}"
    `)
  })

  test('fails with a clear reason (not a throw) when the arguments were not valid JSON', async ({ task }) => {
    const broken = traceOf([{ name: 'lookup_order', arguments: '{"orderId": "12' }])
    expect(await failureOf(expect(broken).toCallTool('lookup_order', { args: { orderId: '123' } }))).toMatchInlineSnapshot(`
      "expect(trace).toCallTool(name)

      Expected the trace to call lookup_order with matching arguments.

      Score:     0.00
      Reasons:
        - lookup_order was called once, none with matching arguments; expected at least once
      Calls:
      > 1 lookup_order {"orderId": "12  the arguments are not valid JSON (Unterminated string in JSON at position 15 (line 1 colu…"
    `)
    expect(task.meta.evals?.[0]?.reason).toMatch(/not valid JSON/)
    await expect(broken).toCallTool('lookup_order')
  })

  test('fails with the message of an expect() inside a predicate', async () => {
    const failure = await failureOf(
      expect(refund).toCallTool('issue_refund', {
        args: (args) => {
          expect(args.amount).toBeLessThan(10)
          return true
        },
      }),
    )
    expect(failure).toContain('the args predicate threw: expected 19.99 to be less than 10')
  })

  test('throws a ConfigError when misused', () => {
    expect(() => expect(refund).toCallTool('')).toThrowErrorMatchingInlineSnapshot(`[ConfigError: [vitest-llm-evals] toCallTool() needs the tool name as a non-empty string, e.g. \`toCallTool('lookup_order')\` (got "").]`)
    expect(() => expect(refund).toCallTool({ name: 'lookup_order', args: { orderId: '123' } } as never)).toThrowErrorMatchingInlineSnapshot(`[ConfigError: [vitest-llm-evals] toCallTool() needs the tool name as a non-empty string, e.g. \`toCallTool('lookup_order')\` (got an object); for { name, args } write toCallTool(name, { args }).]`)
    expect(() => expect(refund).toCallTool(['lookup_order'] as never)).toThrowErrorMatchingInlineSnapshot(`[ConfigError: [vitest-llm-evals] toCallTool() needs the tool name as a non-empty string, e.g. \`toCallTool('lookup_order')\` (got an array of 1); to check several calls, use toCallTools([...]).]`)
    expect(() => expect(refund).toCallTool('a', { times: -1 })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTool() got invalid options:
        - \`times\` must be a whole number >= 0 or { min?, max? } (got -1)
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTool('a', { args: ['x'] as never })).toThrow(/must be an object/)
    expect(() => expect({ answer: 'Paris' }).toCallTool('a')).toThrowErrorMatchingInlineSnapshot(`[ConfigError: [vitest-llm-evals] toCallTool() needs a trace as the received value. traceOf() cannot read an object with keys \`answer\`. It reads a Trace (testTrace()), an OpenAI ChatCompletion or Response, an Anthropic Message, a Gemini GenerateContentResponse, a Bedrock Converse output, the AI SDK generateText result (for streamText: \`await result.steps\`), a message history, a Conversation, or an array of { name, args }.]`)
  })

  test('misused options name the option, what it must be and the one meant', () => {
    expect(() => expect(refund).toCallTool('a', { tims: 1, input: {} } as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTool() got invalid options:
        - options has an unknown key \`tims\` (allowed: args, times); did you mean \`times\`?
        - options has an unknown key \`input\` (allowed: args, times); did you mean \`args\`?
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTool('a', { times: { min: 3, max: 1 } })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTool() got invalid options:
        - \`times\`: min (3) must not exceed max (1)
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTool('a', { times: { minimum: 1, max: 1.5 } } as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTool() got invalid options:
        - \`times\` has an unknown key \`minimum\` (allowed: min, max); did you mean \`min\`?
        - \`times.max\` must be a whole number >= 0 (got 1.5)
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTool('a', { args: 'orderId' } as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTool() got invalid options:
        - \`args\` must be an object (matched as a deep subset), a Standard Schema such as a zod schema, or a predicate (args) => boolean (got "orderId")
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTool('a', 2 as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTool() got invalid options:
        - options must be an object, e.g. { times: 2 } (got 2)
      Fix the call in your test.]
    `)
  })
})

describe('.not.toCallTool', () => {
  test('passes when the tool was not called', async () => {
    await expect(refund).not.toCallTool('delete_account')
  })

  test('passes when no call has the forbidden arguments', async () => {
    await expect(refund).not.toCallTool('issue_refund', { args: { amount: expect.closeTo(100, 0) } })
  })

  test('records the forbidding check as its own metric: a pass when the tool was not called', async ({ task }) => {
    await expect(refund).not.toCallTool('delete_account')
    expect(task.meta.evals?.[0]).toMatchObject({ metric: 'no-tool-call:delete_account', score: 1, pass: true, details: { not: true } })
  })

  test('records a fail under no-tool-call when the forbidden tool was called', async ({ task }) => {
    await expect(expect(refund).not.toCallTool('issue_refund')).rejects.toThrow()
    expect(task.meta.evals?.[0]).toMatchObject({ metric: 'no-tool-call:issue_refund', score: 0, pass: false, reason: 'issue_refund was called once' })
  })

  test('fails when the forbidden tool was called', async () => {
    expect(await failureOf(expect(refund).not.toCallTool('issue_refund'))).toMatchInlineSnapshot(`
      "expect(trace).not.toCallTool(name)

      Expected the trace not to call issue_refund.

      Score:     0.00
      Reasons:
        - issue_refund was called once
      Calls:
        1 search_orders {"customer":"ada@example.com","status":"delivered…
        2 lookup_order {"orderId":"124","include":{"items":true,"tracking…
        3 lookup_order {"orderId":"123","include":{"items":true,"tracking…
      > 4 issue_refund {"orderId":"123","amount":19.99,"reason":"Damaged"}  matches"
    `)
  })
})
