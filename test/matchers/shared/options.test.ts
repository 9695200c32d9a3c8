import { afterEach, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { parseMatcherOptions } from '../../../matchers/shared/options.js'

const schema = z.strictObject({ method: z.enum(['dice', 'bleu']).optional(), judge: z.strictObject({ model: z.string() }).optional(), k: z.number().int().positive().optional() })

describe('parseMatcherOptions', () => {
  const saved = process.env['MY_SERVICE_API_KEY']
  afterEach(() => {
    if (saved === undefined) delete process.env['MY_SERVICE_API_KEY']
    else process.env['MY_SERVICE_API_KEY'] = saved
  })

  test('names each bad option with the value it got, and the argument when it is not the options', () => {
    expect(() => parseMatcherOptions('toX', schema, { method: 'cosine', k: 0 })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toX() got invalid options:
        - \`method\`: Invalid option: expected one of "dice"|"bleu" (got "cosine")
        - \`k\`: Too small: expected number to be >0 (got 0)
      Fix the call in your test.]
    `)
    expect(() => parseMatcherOptions('toY', z.array(z.string()), 'lookup', 'expected calls')).toThrow('toY() got invalid expected calls:\n  - expected calls: Invalid input: expected array, received string (got "lookup")')
  })

  test('an object is named by its kind only (it may hold a client and its key), and a string keeps no secret', () => {
    process.env['MY_SERVICE_API_KEY'] = 'live-value-of-a-key-123456'
    expect(() => parseMatcherOptions('toX', schema, { judge: { model: 1, client: { apiKey: 'live-value-of-a-key-123456' } } })).toThrow(/`judge`: unknown key `client` \(allowed: model\)\n/)
    let message = ''
    try {
      parseMatcherOptions('toX', schema, { method: 'live-value-of-a-key-123456' })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain('`method`')
    expect(message).not.toContain('live-value-of-a-key-123456')
    expect(() => parseMatcherOptions('toX', schema, { method: `sk-proj-${'a'.repeat(40)}` })).not.toThrow(/aaaaaaaaaa/)
  })

  test('an unknown key gets the allowed keys and the one it was probably meant as, bounded and escaped', () => {
    expect(() => parseMatcherOptions('toX', schema, { methd: 'dice' })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toX() got invalid options:
        - options: unknown key \`methd\` (allowed: method, judge, k); did you mean \`method\`?
      Fix the call in your test.]
    `)
    expect(() => parseMatcherOptions('toX', schema, { judge: { modl: 'x' } })).toThrow('- `judge`: unknown key `modl` (allowed: model); did you mean `model`?')
    expect(() => parseMatcherOptions('toX', () => schema, { methd: 'dice', kk: 1, colour: 'red' })).toThrow('- options: unknown keys `methd`, `kk`, `colour` (allowed: method, judge, k); did you mean `method` for `methd`, `k` for `kk`?')
    const hostile = Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`\u001b[2J${index}${'x'.repeat(200)}`, 1]))
    expect(() => parseMatcherOptions('toX', schema, hostile)).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toX() got invalid options:
        - options: unknown keys \`\\u001b[2J0xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\`, \`\\u001b[2J1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\`, \`\\u001b[2J2xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\`, \`\\u001b[2J3xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\`, \`\\u001b[2J4xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\` (+3 more) (allowed: method, judge, k)
      Fix the call in your test.]
    `)
  })
})
