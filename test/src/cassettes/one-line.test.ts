// `oneLine` shows untrusted text (test names, URLs and paths from cassettes and usage reports, which are files on
// disk) in messages: on one line, escaped, cut, and at a cost bounded by what it shows, not by the text's size.
import { describe, expect, test } from 'vitest'
import { oneLine, printableText } from '../../../src/cassettes/one-line.js'

/** What oneLine gave before it stopped escaping at the cut: the whole text escaped, then cut. */
const reference = (text: string, limit: number) => {
  const shown = printableText(text)
  return shown.length <= limit ? shown : `${shown.slice(0, limit)}… (+${(shown.length - limit).toLocaleString('en-US')} chars)`
}

describe('oneLine', () => {
  test('escapes and cuts as before, escapes and surrogate pairs at the cut too', () => {
    const texts = ['', 'short', 'a\nb\u202e', 'x'.repeat(121), `${'y'.repeat(118)}\n\n\n${'z'.repeat(50)}`, `${'😀'.repeat(70)}\u0000\ud800`, `${'a'.repeat(119)}😀b`, `\u001b[31m${'é'.repeat(300)}\u2028`, `${'a'.repeat(130)}\ud800\udc00\udc00\n\u202e\ud83d`]
    for (const text of texts) for (const limit of [0, 1, 5, 119, 120, 121]) expect(oneLine(text, limit)).toBe(reference(text, limit))
  })

  test('a test name of 30 MB (a hostile cassette) is shown in well under a second', () => {
    const name = `${'x'.repeat(30_000_000)}\n`
    const started = performance.now()
    const shown = oneLine(name, 120)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(shown).toBe(`${'x'.repeat(120)}… (+29,999,882 chars)`)
  })
})
