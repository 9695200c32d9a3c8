// A judge prompt's long texts are cut at their limit. The cut must fall in the same place when recorded (the text
// live, a key in it) and in replay (the text as the cassette gave it back, the key "[REDACTED]"): else the prompt,
// so the recording's key, differs and the judge call misses.
import { describe, expect, test } from 'vitest'
import { DEFAULT_RENDER_LIMITS } from '../../../src/agents/bound-regions.js'
import { conversationRegions, outputRegions, traceRegions } from '../../../src/agents/render-trace.js'
import type { Trace } from '../../../src/agents/types.js'
import { scrubString } from '../../../src/cassettes/redact.js'
import { boundedAsStored } from '../../../src/judge/stored-cuts.js'

const key = 'sk-' + 'proj-' + 'aB3dE5gH7jK9'.repeat(6) + 'T3Blbk' + 'FJ' + 'mN1pQ3sT5vW7'.repeat(6)
const prose = (length: number) => 'Revenue grew while costs fell in the quarter. '.repeat(Math.ceil(length / 46)).slice(0, length)
/** The text as a cassette stores it and replay gives it back. */
const stored = (text: string) => scrubString(text)
const limit = DEFAULT_RENDER_LIMITS.textChars
const output = (text: string) => boundedAsStored((limits) => outputRegions(text, limits), 'output', DEFAULT_RENDER_LIMITS)

describe('boundedAsStored', () => {
  test.each([
    ['over the limit live, under it stored', `${prose(limit - 100)} ${key} ${prose(20)}`],
    ['a key across the cut', `${prose(limit - 40)} ${key} ${prose(limit)}`],
    ['a key past the cut', `${prose(limit + 500)} ${key} ${prose(100)}`],
    ['a key well before the cut', `${prose(10)} ${key} ${prose(2 * limit)}`],
  ])('cuts a text holding a key the same live and as stored: %s', async (_, text) => {
    // Cut as they are (what earlier versions sent), the live text and the stored one give different prompts.
    expect(outputRegions(text)).not.toEqual(outputRegions(stored(text)))
    const live = await output(text)
    expect(live).toEqual(await output(stored(text)))
    expect(live.regions[0]!.text).not.toContain(key.slice(0, 20))
  })

  test('leaves a text under its limit as it is, key and all (the prompt earlier versions sent; the cassette stores it redacted)', async () => {
    const text = `${prose(100)} ${key} ${prose(100)}`
    expect(await output(text)).toEqual(outputRegions(text))
  })

  test("cuts and leaves out regions as the renderers do when no text holds a secret (each tag's limit, the total)", async () => {
    const long = (seed: number) => `${seed} ${prose(5000)}`
    const steps = Array.from({ length: 15 }, (_, at) => ({ text: long(at), toolCalls: [{ name: 'lookup', args: { at }, result: long(at + 100), error: long(at + 200) }] }))
    const trace = { steps, toolCalls: steps.flatMap((step) => step.toolCalls), output: long(999), usage: {} } as unknown as Trace
    const conversation = { turns: steps.map((step) => ({ user: step.text, assistant: long(7), trace })) }
    expect(await boundedAsStored((limits) => traceRegions(trace, limits), 'step', DEFAULT_RENDER_LIMITS)).toEqual(traceRegions(trace))
    expect(await boundedAsStored((limits) => conversationRegions(conversation, limits), 'turn', DEFAULT_RENDER_LIMITS)).toEqual(conversationRegions(conversation))
    expect(traceRegions(trace).cuts.omittedRegions).toBeGreaterThan(0)
  })

  test('a long tool result holding a key is cut at the tool limit the same live and as stored', async () => {
    const result = `${prose(1990)} ${key} ${prose(3000)}`
    const traceOf = (text: string) => ({ steps: [{ text: '', toolCalls: [{ name: 'fetch_log', args: {}, result: text }] }], toolCalls: [{ name: 'fetch_log', args: {}, result: text }], output: 'Done.', usage: {} }) as unknown as Trace
    const render = (text: string) => boundedAsStored((limits) => traceRegions(traceOf(text), limits), 'step', DEFAULT_RENDER_LIMITS)
    expect(await render(result)).toEqual(await render(stored(result)))
  })
})
