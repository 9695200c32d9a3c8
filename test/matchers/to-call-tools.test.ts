import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { traceOf } from '../../src/agents/trace-of.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()

const refund = traceOf([
  { name: 'lookup_order', args: { orderId: '123' } },
  { name: 'check_policy', args: { topic: 'refunds' } },
  { name: 'issue_refund', args: { orderId: '123', amount: 19.99 } },
])
const weather = traceOf([
  { name: 'get_weather', args: { city: 'Paris', celsius: 18.2 } },
  { name: 'get_weather', args: { city: 'Bogotá', celsius: 24 } },
])

describe('.toCallTools', () => {
  test('passes in strict mode (the default) when the same calls come in the same order', async () => {
    await expect(refund).toCallTools(['lookup_order', 'check_policy', 'issue_refund'])
    await expect(refund).toCallTools([{ name: 'lookup_order', args: { orderId: '123' } }, 'check_policy', { name: 'issue_refund', args: { amount: 19.99 } }], { mode: 'strict' })
  })

  test('passes in unordered mode when the same calls come in any order', async () => {
    await expect(refund).toCallTools(['issue_refund', 'lookup_order', 'check_policy'], { mode: 'unordered' })
  })

  test('passes in subset mode when no call is outside the expected ones', async () => {
    await expect(refund).toCallTools(['lookup_order', 'check_policy', 'issue_refund', 'send_email'], { mode: 'subset' })
  })

  test('passes in superset mode when every expected call was made, extras allowed', async () => {
    await expect(refund).toCallTools(['issue_refund', 'lookup_order'], { mode: 'superset' })
  })

  test('passes matching parallel calls of one tool to the right expectations in any order', async () => {
    await expect(weather).toCallTools([{ name: 'get_weather', args: { city: 'Bogotá' } }, { name: 'get_weather', args: { city: 'Paris' } }], { mode: 'unordered' })
  })

  test('args: exact compares whole objects, ignore compares names only', async () => {
    await expect(refund).toCallTools([{ name: 'issue_refund', args: { orderId: '123', amount: 19.99 } }], { mode: 'superset', args: 'exact' })
    await expect(refund).not.toCallTools([{ name: 'issue_refund', args: { orderId: '123' } }], { mode: 'superset', args: 'exact' })
    await expect(refund).toCallTools([{ name: 'issue_refund', args: { orderId: 'other' } }], { mode: 'superset', args: 'ignore' })
  })

  test('args: per-tool comparators (tolerance, case) and asymmetric matchers inside args', async () => {
    await expect(weather).toCallTools(
      [
        { name: 'get_weather', args: { city: 'PARIS', celsius: 18 } },
        { name: 'get_weather', args: { city: 'bogotá', celsius: 24.4 } },
      ],
      { args: { get_weather: (actual, expected) => String(actual.city).toLowerCase() === String(expected.city).toLowerCase() && Math.abs(Number(actual.celsius) - Number(expected.celsius)) <= 0.5 } },
    )
    await expect(weather).toCallTools([
      { name: 'get_weather', args: { city: expect.stringMatching(/^par/i), celsius: expect.closeTo(18, 0) } },
      { name: 'get_weather', args: z.object({ city: z.string(), celsius: z.number().min(20) }) },
    ])
  })

  test("args: '*' sets the mode of the tools not listed", async () => {
    await expect(refund).toCallTools([{ name: 'lookup_order', args: { orderId: '123' } }, { name: 'issue_refund', args: { orderId: '123' } }], {
      mode: 'superset',
      args: { '*': 'exact', issue_refund: 'partial' },
    })
  })

  test('records tool-calls with the share of calls that matched', async ({ task }) => {
    await expect(refund).toCallTools(['lookup_order', 'issue_refund'], { mode: 'superset' })
    await expect(refund).not.toCallTools(['lookup_order', 'issue_refund', 'send_email'], { mode: 'superset' })
    expect(task.meta.evals).toEqual([
      { metric: 'tool-calls', score: 1, pass: true, details: { mode: 'superset', expected: ['lookup_order', 'issue_refund'], actual: ['lookup_order', 'check_policy', 'issue_refund'] }, attempt: { retry: 0, repeat: 0 } },
      {
        metric: 'tool-calls',
        score: 2 / 3,
        pass: false,
        reason: 'send_email was not called',
        details: { mode: 'superset', expected: ['lookup_order', 'issue_refund', 'send_email'], actual: ['lookup_order', 'check_policy', 'issue_refund'], not: true },
        attempt: { retry: 0, repeat: 0 },
      },
    ])
  })

  test('fails in strict mode when a call is replaced, showing both sequences aligned', async () => {
    const expected = ['lookup_order', 'issue_refund', { name: 'send_email', args: { template: 'refund' } }]
    expect(await failureOf(expect(refund).toCallTools(expected, { mode: 'strict' }))).toMatchInlineSnapshot(`
      "expect(trace).toCallTools(expected)

      Expected the trace to make the expected tool calls (strict: the same calls in the same order).

      Score:     0.667
      Reasons:
        - 2 of 3 calls match in order (3 expected, 3 made)
        - first difference (marked >): not expected here
      Calls:
        expected                            actual
        1 lookup_order                      1 lookup_order {"orderId":"123"}
      > —                                   2 check_policy {"topic":"refunds"}              not expected here
        2 issue_refund                      3 issue_refund {"orderId":"123","amount":19.9…
        3 send_email {"template":"refund"}  —                                               send_email was not called"
    `)
  })

  test('fails in strict mode when the order differs', async () => {
    expect(await failureOf(expect(refund).toCallTools(['check_policy', 'lookup_order', 'issue_refund']))).toMatchInlineSnapshot(`
      "expect(trace).toCallTools(expected)

      Expected the trace to make the expected tool calls (strict: the same calls in the same order).

      Score:     0.667
      Reasons:
        - 2 of 3 calls match in order (3 expected, 3 made)
        - first difference (marked >): out of order: made as call 2
      Calls:
        expected        actual
      > 1 check_policy  —                                               out of order: made as call 2
        2 lookup_order  1 lookup_order {"orderId":"123"}
        —               2 check_policy {"topic":"refunds"}              out of order: expected as call 1
        3 issue_refund  3 issue_refund {"orderId":"123","amount":19.9…"
    `)
  })

  test('fails when arguments differ, saying where', async () => {
    const expected = ['lookup_order', 'check_policy', { name: 'issue_refund', args: { orderId: '123', amount: 25 } }]
    expect(await failureOf(expect(refund).toCallTools(expected, { mode: 'unordered' }))).toMatchInlineSnapshot(`
      "expect(trace).toCallTools(expected)

      Expected the trace to make the expected tool calls (unordered: the same calls in any order).

      Score:     0.667
      Reasons:
        - 2 of 3 calls match (3 expected, 3 made)
        - first difference (marked >): args.amount: expected 25, received 19.99
      Calls:
        expected                                      actual
        1 lookup_order                                1 lookup_order {"orderId":"123"}
        2 check_policy                                2 check_policy {"topic":"refunds"}
      > 3 issue_refund {"orderId":"123","amount":25}  3 issue_refund {"orderId":"123","amount":19.9…  args.amount: expected 25, received 19.99"
    `)
  })

  test('fails in subset mode on a call outside the expected ones', async () => {
    expect(await failureOf(expect(refund).toCallTools(['lookup_order', 'issue_refund', 'send_email'], { mode: 'subset' }))).toMatchInlineSnapshot(`
      "expect(trace).toCallTools(expected)

      Expected the trace to make the expected tool calls (subset: no call outside the expected ones).

      Score:     0.667
      Reasons:
        - 2 of the 3 calls made were expected
        - first difference (marked >): not expected
      Calls:
        expected        actual
        1 lookup_order  1 lookup_order {"orderId":"123"}
      > —               2 check_policy {"topic":"refunds"}              not expected
        2 issue_refund  3 issue_refund {"orderId":"123","amount":19.9…
        3 send_email    —                                               not called, allowed"
    `)
  })

  test('fails readably on a 50-call trace: a window around the first difference', async () => {
    const long = traceOf(Array.from({ length: 50 }, (_, index) => ({ name: index === 40 ? 'delete_account' : 'step', args: { n: index } })))
    const expected = Array.from({ length: 50 }, () => 'step')
    const failure = await failureOf(expect(long).toCallTools(expected))
    expect(failure).toMatchInlineSnapshot(`
      "expect(trace).toCallTools(expected)

      Expected the trace to make the expected tool calls (strict: the same calls in the same order).

      Score:     0.98
      Reasons:
        - 49 of 50 calls match in order (50 expected, 50 made)
        - first difference (marked >): expected step, called delete_account
      Calls:
        expected  actual
        … 30 rows before
        31 step   31 step {"n":30}
        32 step   32 step {"n":31}
        33 step   33 step {"n":32}
        34 step   34 step {"n":33}
        35 step   35 step {"n":34}
        36 step   36 step {"n":35}
        37 step   37 step {"n":36}
        38 step   38 step {"n":37}
        39 step   39 step {"n":38}
        40 step   40 step {"n":39}
      > 41 step   41 delete_account {"n":40}  expected step, called delete_account
        42 step   42 step {"n":41}
        43 step   43 step {"n":42}
        44 step   44 step {"n":43}
        45 step   45 step {"n":44}
        46 step   46 step {"n":45}
        47 step   47 step {"n":46}
        48 step   48 step {"n":47}
        49 step   49 step {"n":48}
        50 step   50 step {"n":49}"
    `)
    expect(failure.split('\n').length).toBeLessThan(45)
  })

  test('throws a ConfigError when misused', () => {
    expect(() => expect(refund).toCallTools('lookup_order' as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTools() got invalid expected calls:
        - expected calls must be an array of tool names or { name, args? } objects (got "lookup_order"); for one tool write ["lookup_order"]
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTools(['a'], { mode: 'in_order' as never })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTools() got invalid options:
        - \`mode\` must be one of strict, unordered, subset, superset (got "in_order"); did you mean \`strict\`?
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTools(['a'], { args: 'loose' as never })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTools() got invalid options:
        - \`args\` must be partial, exact, ignore or a comparator (actual, expected, call) => boolean, or an object of those per tool name ('*' for the rest) (got "loose"); did you mean \`partial\`?
      Fix the call in your test.]
    `)
  })

  test('a misused expected call names the field: missing or wrong name, unknown keys (other libraries\' names), bad args', () => {
    expect(() => expect(refund).toCallTools([{ tool: 'lookup_order' }] as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTools() got invalid expected calls:
        - expected calls[0] needs a \`name\` (a string); got keys: tool; did you mean \`name\` instead of \`tool\`?
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTools([{ toolName: 'lookup_order', arguments: { orderId: '123' } }] as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTools() got invalid expected calls:
        - expected calls[0] needs a \`name\` (a string); got keys: toolName, arguments; did you mean \`name\` instead of \`toolName\`?
        - expected calls[0] has an unknown key \`arguments\` (allowed: name, args); did you mean \`args\`?
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTools([{ name: 'lookup_order', arg: {} }, { name: '' }, '', { name: 'x', args: 'y' }] as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTools() got invalid expected calls:
        - expected calls[0] has an unknown key \`arg\` (allowed: name, args); did you mean \`args\`?
        - expected calls[1].name must be a non-empty string (got "")
        - expected calls[2] is an empty tool name
        - expected calls[3].args must be an object (matched as a deep subset), a Standard Schema such as a zod schema, or a predicate (args) => boolean (got "y")
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTools([42, null, ['a'], { name: 'x', times: 2 }] as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTools() got invalid expected calls:
        - expected calls[0] must be a tool name or a { name, args? } object (got 42)
        - expected calls[1] must be a tool name or a { name, args? } object (got null)
        - expected calls[2] must be a tool name or a { name, args? } object (got an array of 1)
        - expected calls[3] has an unknown key \`times\` (allowed: name, args); to count the calls of one tool, use toCallTool(name, { times })
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTools(['a', , 'b'] as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTools() got invalid expected calls:
        - expected calls[1] must be a tool name or a { name, args? } object (got an empty slot or undefined)
      Fix the call in your test.]
    `)
  })

  test('misused options name the option, the allowed values and the one meant', () => {
    expect(() => expect(refund).toCallTools(['a'], { mod: 'unorderd' } as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTools() got invalid options:
        - options has an unknown key \`mod\` (allowed: mode, args); did you mean \`mode\`?
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTools(['a'], { mode: 'unorderd', args: { a: 'exakt', b: () => true } } as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTools() got invalid options:
        - \`mode\` must be one of strict, unordered, subset, superset (got "unorderd"); did you mean \`unordered\`?
        - \`args.a\` must be partial, exact, ignore or a comparator (actual, expected, call) => boolean (got "exakt"); did you mean \`exact\`?
      Fix the call in your test.]
    `)
    expect(() => expect(refund).toCallTools(['a'], 'unordered' as never)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toCallTools() got invalid options:
        - options must be an object, e.g. { mode: 'unordered' } (got "unordered")
      Fix the call in your test.]
    `)
  })
})

describe('.not.toCallTools', () => {
  test('passes when the calls differ', async () => {
    await expect(refund).not.toCallTools(['lookup_order', 'issue_refund'])
  })

  test('fails when the calls match', async () => {
    expect(await failureOf(expect(refund).not.toCallTools(['lookup_order', 'issue_refund'], { mode: 'superset' }))).toMatchInlineSnapshot(`
      "expect(trace).not.toCallTools(expected)

      Expected the trace not to make the expected tool calls (superset: every expected call, extras allowed).

      Score:     1.00
      Reasons:
        - 2 of the 2 expected calls were made
      Calls:
        expected        actual
        1 lookup_order  1 lookup_order {"orderId":"123"}
        —               2 check_policy {"topic":"refunds"}              extra, allowed
        2 issue_refund  3 issue_refund {"orderId":"123","amount":19.9…"
    `)
  })
})
