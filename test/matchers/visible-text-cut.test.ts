// Regressions: visibleTextCut pairing a lone high surrogate with a control character, and the Output: block cut before keys were hidden.
import { afterEach, describe, expect, test, vi } from 'vitest'
import type { MatcherState } from 'vitest'
import { visibleText, visibleTextCut } from '../../src/visible-text.js'
import { failureMessage, OUTPUT_PREVIEW_LIMIT } from '../../matchers/shared/failure-message.js'
import { errorOf, registerMatchers } from './support.js'

registerMatchers()
afterEach(() => vi.unstubAllEnvs())
const state = { utils: { matcherHint: () => 'expect(output).toX()' }, isNot: false, promise: '' } as unknown as MatcherState
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

describe('a lone high surrogate before a control character (model output is untrusted)', () => {
  // `pair` is taken from the high half alone: the next character, whatever it is, is passed through unescaped.
  const hostile = `\ud800\u001b[2K\ud800\u001b]8;;https://evil.example\u0007click\ud800\u001b[1A${'x'.repeat(5000)}`

  test('visibleTextCut escapes it as visibleText does', () => {
    expect(visibleText(hostile)).not.toMatch(RAW_CONTROL)
    expect(visibleTextCut(hostile, 400)).not.toMatch(RAW_CONTROL)
  })

  test('a reason and the Output: block show no raw ESC/BEL', () => {
    const message = failureMessage(state, { matcherName: 'toX', expectation: 'to pass', reasons: [hostile.repeat(1)], output: hostile })
    expect(message).not.toMatch(RAW_CONTROL)
  })

  test('the received value handed to Vitest (its diff) shows no raw ESC', async () => {
    const error = await errorOf(expect(hostile).toBeSimilarTo('zzz', { threshold: 0.9, method: 'levenshtein' }))
    expect(error.actual as string).not.toMatch(RAW_CONTROL)
  })
})

describe('a live key across the Output: cut', () => {
  test('is hidden whole, as in the reasons and the diff (Output is cut before keys are hidden)', () => {
    const key = 'Zq8vLiveServiceKey0123456789abcdefXYZ'
    vi.stubEnv('MY_SERVICE_TOKEN', key)
    const output = `${'a'.repeat(OUTPUT_PREVIEW_LIMIT - 12)}${key} tail`
    const message = failureMessage(state, { matcherName: 'toX', expectation: 'to pass', output })
    expect(message).not.toContain(key.slice(0, 12))
  })
})
