// A failing matcher's message and received value are printed, and Vitest writes them to its JUnit, JSON and blob
// reports: model output in them shows no live key (a key-like environment variable's value) and no character a
// terminal would act on (cursor moves, line erases, bidirectional overrides), which could fake a "✓" line in a CI log.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { visibleText } from '../../src/visible-text.js'
import { errorOf, registerMatchers } from './support.js'
import { FAKE_TOKENS } from '../support/fake-tokens.js'

registerMatchers()

const KEY = `sk-proj-${'Q7xT2mVb9LcR4nWp8ZaK3sHd6FgJ1yUe5oPi0Bv'.repeat(1)}Tz`

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('failure messages of the matchers', () => {
  test('hide the value of a key-like environment variable the output holds, in the message and the received value', async () => {
    vi.stubEnv('MY_SERVICE_API_KEY', KEY)
    const error = await errorOf(expect(`The key is ${KEY}, use it.`).toBeSimilarTo('Nothing to see here.', { threshold: 0.9 }))
    expect(error.message).not.toContain(KEY)
    expect(error.message).toContain('[REDACTED MY_SERVICE_API_KEY]')
    expect(String(error.actual)).not.toContain(KEY)
    expect(String(error.actual)).toContain('The key is [REDACTED MY_SERVICE_API_KEY], use it.')
  })

  test('hide it under .not too', async () => {
    vi.stubEnv('MY_SERVICE_API_KEY', KEY)
    const error = await errorOf(expect(`key ${KEY}`).not.toBeSimilarTo(`key ${KEY}`))
    expect(error.message).not.toContain(KEY)
    expect(String(error.actual)).not.toContain(KEY)
    expect(String(error.expected)).not.toContain(KEY)
  })

  test('show terminal control characters of the output as escapes, newlines kept', async () => {
    const output = 'Refund denied.\n\u001b[1A\u001b[2K✓ all good\u202e'
    const error = await errorOf(expect(output).toBeSimilarTo('Refund approved.', { threshold: 0.99 }))
    expect(error.message).toContain('Refund denied.\n  \\u001b[1A\\u001b[2K✓ all good\\u202e')
    expect(error.message).not.toMatch(/\u001b\[1A|\u001b\[2K|\u202e/)
  })

  test.each(Object.entries(FAKE_TOKENS))('hide a %s the output holds, in the message and the received value', async (_, token) => {
    const error = await errorOf(expect(`Here it is: ${token} (keep it safe)`).toBeSimilarTo('Nothing to see here.', { threshold: 0.9 }))
    expect(error.message).not.toContain(token)
    expect(error.message).toContain('Here it is: [REDACTED] (keep it safe)')
    expect(error.actual).toBe('Here it is: [REDACTED] (keep it safe)')
  })

  test('show control characters of the received value as escapes: no working OSC-8 link, ESC, BEL or NUL', async () => {
    const output = '\u001b[31mRED\u001b[0m \u001b]8;;http://evil\u0007link\u001b]8;;\u0007 \u0000nul'
    const error = await errorOf(expect(output).toBeSimilarTo('x', { threshold: 0.99 }))
    expect(error.actual).toBe('\\u001b[31mRED\\u001b[0m \\u001b]8;;http://evil\\u0007link\\u001b]8;;\\u0007 \\u0000nul')
    const notError = await errorOf(expect(output).not.toBeSimilarTo(output))
    expect(notError.expected).toBe(notError.actual)
    expect(String(notError.expected)).not.toMatch(/[\u0000\u0007\u001b]/)
  })

  test("keep ordinary received text as it is (Vitest's diff of it is unchanged)", async () => {
    const output = 'Line one — café 🙂\n\tindented "quoted" \\ back'
    const error = await errorOf(expect(output).toBeSimilarTo('Something else entirely.', { threshold: 0.99 }))
    expect(error.actual).toBe(output)
    expect(error.expected).toBe('Something else entirely.')
  })

  test('leave a passing call\'s received value as it is', async () => {
    vi.stubEnv('MY_SERVICE_API_KEY', KEY)
    await expect(`key ${KEY}`).toBeSimilarTo(`key ${KEY}`)
  })
})

describe('visibleText', () => {
  test('writes C0/C1 controls, DEL, separators and bidirectional controls as \\u escapes', () => {
    expect(visibleText('a\u0000b\u0007c\u001b[31md\u007fe\u0085f\u2028g\u202eh\u2066i\ufeffj')).toBe(
      'a\\u0000b\\u0007c\\u001b[31md\\u007fe\\u0085f\\u2028g\\u202eh\\u2066i\\ufeffj',
    )
  })

  test('keeps newlines, tabs and ordinary text (accents, emoji, right-to-left script)', () => {
    expect(visibleText('line 1\n\tline 2 — café 🙂 שלום')).toBe('line 1\n\tline 2 — café 🙂 שלום')
  })

  test('writes a carriage return as its escape (it would overwrite the line)', () => {
    expect(visibleText('ok\rFAIL')).toBe('ok\\u000dFAIL')
  })
})

describe('failure messages of the trace matchers', () => {
  // The model writes tool call arguments: a key it echoes, or control characters, reach the message too.
  test('toCallTool hides a live key in the calls and the reasons, and shows control characters as escapes', async () => {
    vi.stubEnv('MY_SERVICE_API_KEY', KEY)
    const { traceOf } = await import('../../src/agents/trace-of.js')
    const trace = traceOf([{ name: 'http_get', args: { token: KEY, note: 'ok\u001b[2K\u001b[1A✓ done' } }])
    const error = await errorOf(expect(trace).toCallTool('http_get', { args: { token: 'other' } }))
    // Nor a part of it: the call's label and its note are cut to the table's width.
    expect(error.message).not.toContain(KEY.slice(0, 20))
    expect(error.message).toContain('[REDACTED MY_SERVICE_API_KEY]')
    // Arguments that are not JSON are shown raw.
    const raw = traceOf([{ name: 'http_get', args: {} }])
    Object.assign(raw.toolCalls[0]!, { args: '{"note": "ok\u001b[2K\u001b[1A✓ done', argsError: 'not JSON' })
    const cut = await errorOf(expect(raw).toCallTool('http_get', { args: { token: 'other' } }))
    expect(cut.message).not.toMatch(/\u001b\[2K|\u001b\[1A/)
    expect(cut.message).toContain('\\u001b[2K')
  })

  test('toCallTools hides a live key in the aligned calls', async () => {
    vi.stubEnv('MY_SERVICE_API_KEY', KEY)
    const { traceOf } = await import('../../src/agents/trace-of.js')
    const trace = traceOf([{ name: 'http_get', args: { token: KEY } }])
    const error = await errorOf(expect(trace).toCallTools([{ name: 'http_get', args: { token: 'other' } }]))
    expect(error.message).not.toContain(KEY.slice(0, 20))
  })
})
