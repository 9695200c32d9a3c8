// Vitest prints a failure's received and expected values as its diff (`+ Received` / `- Expected`) and keeps them in
// its JUnit, JSON and blob reports: a matcher hands it at most DIFF_VALUE_LIMIT characters of each.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { DIFF_VALUE_LIMIT } from '../../matchers/shared/matcher-result.js'
import { failureMessage, OUTPUT_PREVIEW_LIMIT, REASON_PREVIEW_LIMIT, REASONS_LISTED } from '../../matchers/shared/failure-message.js'
import type { MatcherState } from 'vitest'
import { errorOf, registerMatchers } from './support.js'

registerMatchers()
afterEach(() => vi.unstubAllEnvs())

describe('received and expected values handed to Vitest', () => {
  test('a long output and a long reference are cut with how much was left out', async () => {
    const output = 'word '.repeat(100_000)
    const reference = 'other '.repeat(50_000)
    const error = await errorOf(expect(output).toBeSimilarTo(reference, { threshold: 0.9, method: 'dice' }))
    expect(error.actual).toBe(`${output.slice(0, DIFF_VALUE_LIMIT)}… (+${output.length - DIFF_VALUE_LIMIT} chars)`)
    expect(error.expected).toBe(`${reference.slice(0, DIFF_VALUE_LIMIT)}… (+${reference.length - DIFF_VALUE_LIMIT} chars)`)
  })

  test('a key across the cut is hidden whole, and an emoji is not cut in two', async () => {
    const key = 'svc-live-diff-0123456789abcdef'
    vi.stubEnv('DIFF_TEST_TOKEN', key)
    const output = `${'a'.repeat(DIFF_VALUE_LIMIT - 10)}${key}${'b'.repeat(50)}`
    const cut = (await errorOf(expect(output).toBeSimilarTo('zzz', { threshold: 0.9, method: 'levenshtein' }))).actual as string
    expect(cut).toBe(`${'a'.repeat(DIFF_VALUE_LIMIT - 10)}[REDACTED … (+${'[REDACTED DIFF_TEST_TOKEN]'.length - 10 + 50} chars)`)
    expect(cut).not.toContain('svc-live')
    const emoji = `${'a'.repeat(DIFF_VALUE_LIMIT - 1)}😀${'b'.repeat(10)}`
    const shown = (await errorOf(expect(emoji).toBeSimilarTo('zzz', { threshold: 0.9, method: 'levenshtein' }))).actual as string
    expect(shown).toBe(`${'a'.repeat(DIFF_VALUE_LIMIT - 1)}… (+12 chars)`)
  })

  test('10,000 control characters stay within the limit once escaped (each is 6 characters as shown)', async () => {
    const output = '\u0000'.repeat(10_000)
    const error = await errorOf(expect(output).toBeSimilarTo('zzz', { threshold: 0.9, method: 'levenshtein' }))
    const shown = DIFF_VALUE_LIMIT - (DIFF_VALUE_LIMIT % 6)
    expect(error.actual).toBe(`${'\\u0000'.repeat(shown / 6)}… (+${10_000 - shown / 6} chars)`)
    expect((error.actual as string).length).toBeLessThan(DIFF_VALUE_LIMIT + 20)
    // The `Output:` block of the message is bounded the same way (~400 characters as shown).
    const block = error.message.slice(error.message.indexOf('Output:'))
    expect(block.length).toBeLessThan(OUTPUT_PREVIEW_LIMIT + 40)
    expect(block).toMatch(/\\u0000… \(\+\d+ chars\)$/)
  })

  test('text within the limit is handed over as it is', async () => {
    const output = 'x'.repeat(DIFF_VALUE_LIMIT)
    const error = await errorOf(expect(output).toBeSimilarTo('y', { threshold: 0.9, method: 'levenshtein' }))
    expect(error.actual).toBe(output)
    expect(error.expected).toBe('y')
  })
})

describe('reasons in a failure message', () => {
  const state = { utils: { matcherHint: () => 'expect(output).toX()' }, isNot: false, promise: '' } as unknown as MatcherState

  test('a megabyte reason of control characters is shown at most REASON_PREVIEW_LIMIT characters long', () => {
    const message = failureMessage(state, { matcherName: 'toX', expectation: 'to pass', reasons: ['\u001b'.repeat(1_000_000)] })
    const line = message.split('\n').find((each) => each.startsWith('  - ')) ?? ''
    expect(line.length).toBeLessThan(REASON_PREVIEW_LIMIT + 40)
    expect(line).toMatch(/\\u001b… \(\+\d+ chars\)$/)
  })

  test(`at most ${REASONS_LISTED} reasons are listed, then how many more`, () => {
    const reasons = Array.from({ length: REASONS_LISTED + 7 }, (_, index) => `reason ${index}`)
    const message = failureMessage(state, { matcherName: 'toX', expectation: 'to pass', reasons })
    expect(message).toContain(`  - reason ${REASONS_LISTED - 1}\n  … and 7 more reasons`)
    expect(message).not.toContain(`reason ${REASONS_LISTED}\n`)
  })
})
