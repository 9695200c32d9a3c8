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
    expect(() => parseMatcherOptions('toX', schema, { judge: { model: 1, client: { apiKey: 'live-value-of-a-key-123456' } } })).toThrow(/`judge`: Unrecognized key: "client" \(got an object\)/)
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
})
