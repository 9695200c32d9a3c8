import { describe, expect, test } from 'vitest'
import { lazyMatchers } from '../../matchers/lazy.js'
import { keepOutput, MAX_KEPT_OUTPUT_CHARS, OUTPUT_MATCHERS } from '../../matchers/shared/keep-output.js'

const stateOf = (meta: Record<string, unknown>) => ({ task: { meta } }) as unknown as Parameters<typeof keepOutput>[0]

describe('keepOutput: the text a plain test scored, for the report and the review page', () => {
  test('keeps the first text scored, bounded; an output already set (eval suites) stays', () => {
    const meta: Record<string, unknown> = {}
    keepOutput(stateOf(meta), 'first answer')
    keepOutput(stateOf(meta), 'second answer')
    expect(meta.output).toBe('first answer')
    const long: Record<string, unknown> = {}
    keepOutput(stateOf(long), 'x'.repeat(MAX_KEPT_OUTPUT_CHARS + 10))
    expect((long.output as string).length).toBe(MAX_KEPT_OUTPUT_CHARS)
  })

  test('ignores what is not text (chunks, ids, objects) and calls outside a test', () => {
    const meta: Record<string, unknown> = {}
    keepOutput(stateOf(meta), ['a', 'b'])
    keepOutput(stateOf(meta), { answer: 1 })
    expect(meta).toEqual({})
    expect(() => keepOutput({ task: undefined } as unknown as Parameters<typeof keepOutput>[0], 'text')).not.toThrow()
  })

  test('names only real matchers, and the ones scoring chunks, ids, traces or conversations are not among them', () => {
    for (const name of OUTPUT_MATCHERS) expect(Object.keys(lazyMatchers)).toContain(name)
    for (const name of ['toRetrieve', 'toHaveContextPrecision', 'toCallTool', 'toCallTools', 'toRetainKnowledge', 'toCompleteTask']) expect(OUTPUT_MATCHERS.has(name)).toBe(false)
  })
})
