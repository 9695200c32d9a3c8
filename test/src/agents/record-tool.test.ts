import { describe, expect, expectTypeOf, test } from 'vitest'
import { recordTool } from '../../../src/agents/record-tool.js'
import { ConfigError } from '../../../src/errors/index.js'

// This project's own tests run without the plugin: no cassette session, so recordTool only calls the tool.
describe('recordTool outside a run with the plugin', () => {
  test('calls the tool with every argument and `this`, and always returns a promise', async () => {
    const seen: unknown[] = []
    const tool = recordTool('add', function (this: { base: number } | undefined, args: { a: number }, options?: { signal?: AbortSignal }) {
      seen.push(this, options)
      return (this?.base ?? 0) + args.a
    })
    const holder = { base: 10, tool }
    const pending = holder.tool({ a: 1 }, { signal: AbortSignal.timeout(1000) })
    expect(pending).toBeInstanceOf(Promise)
    expect(await pending).toBe(11)
    expect(seen[0]).toBe(holder)
  })

  test('a sync tool that throws rejects the promise (it does not throw at the call)', async () => {
    const tool = recordTool('boom', () => {
      throw new RangeError('boom')
    })
    const call = tool()
    await expect(call).rejects.toThrow(RangeError)
  })

  test('a name and a function are required', () => {
    expect(() => recordTool('', () => 1)).toThrow(ConfigError)
    expect(() => recordTool('x', 'not a function' as never)).toThrow('recordTool("x", fn) needs the tool\'s function as its second argument, got string.')
  })

  test('keeps the tool\'s parameters and makes its result a promise', () => {
    const lookup = recordTool('lookup', async (args: { id: string }) => ({ ok: true as boolean }))
    expectTypeOf(lookup).parameters.toEqualTypeOf<[args: { id: string }]>()
    expectTypeOf(lookup).returns.toEqualTypeOf<Promise<{ ok: boolean }>>()
    expectTypeOf(recordTool('now', () => 1)).returns.toEqualTypeOf<Promise<number>>()
  })
})
