// The worker hides well-known token shapes (GitHub, Slack, AWS key ids, Google, Stripe, npm, private key blocks)
// with light patterns: a test's meta, matcher messages and the suite gate's message reach Vitest's reports, where
// secretlint does not run. Ordinary text (words, hashes, UUIDs) is left alone.
import { describe, expect, test } from 'vitest'
import { KNOWN_SECRET_HINT, scrubString } from '../../src/cassettes/redact.js'
import { MetaSecrets } from '../../src/meta-secrets.js'
import { WELL_KNOWN_TOKEN_PATTERNS } from '../../src/well-known-tokens.js'
import { FAKE_TOKENS, ORDINARY_TEXTS } from '../support/fake-tokens.js'

describe('scrubString', () => {
  test.each(Object.entries(FAKE_TOKENS))('hides a %s in free text', (_, token) => {
    expect(scrubString(`before ${token} after`)).toBe('before [REDACTED] after')
    expect(scrubString(`"${token}"`)).toBe('"[REDACTED]"')
    expect(KNOWN_SECRET_HINT.test(token)).toBe(true)
  })

  test.each(ORDINARY_TEXTS)('leaves ordinary text alone: %s', (text) => {
    expect(scrubString(text)).toBe(text)
  })

  test('the hint passes over words that start like a prefix (AIDA, ASIA, AKIA), hashes and UUIDs: no scrub pass for them', () => {
    for (const text of ORDINARY_TEXTS.filter((each) => !each.includes('npm_') && !each.includes('xoxo-'))) expect(KNOWN_SECRET_HINT.test(text), text).toBe(false)
  })

  test('hides the start of a private key block that was cut before its end', () => {
    const cut = FAKE_TOKENS['private key block']!.slice(0, 120)
    expect(scrubString(`key:\n${cut}`)).toBe('key:\n[REDACTED]')
  })

  test('every pattern holds a prefix the hint finds (else text with only that token would go unscrubbed)', () => {
    for (const token of Object.values(FAKE_TOKENS)) {
      const matched = WELL_KNOWN_TOKEN_PATTERNS.some((pattern) => new RegExp(pattern.source).test(token))
      expect(matched, token).toBe(true)
    }
  })
})

describe('MetaSecrets.hideIn', () => {
  test("hides every family in a test's meta, keys included", () => {
    const tokens = Object.values(FAKE_TOKENS)
    const meta: Record<string, unknown> = {
      output: tokens.join(' and '),
      input: { question: `echo ${tokens[0]}`, [tokens[1]!]: 1 },
      evals: tokens.map((token) => ({ metric: 'echo', score: 0, pass: false, reason: `the model said ${token}` })),
    }
    new MetaSecrets([]).hideIn(meta)
    expect(meta).toEqual({
      output: tokens.map(() => '[REDACTED]').join(' and '),
      input: { question: 'echo [REDACTED]', '[REDACTED]': 1 },
      evals: tokens.map(() => ({ metric: 'echo', score: 0, pass: false, reason: 'the model said [REDACTED]' })),
    })
  })

  test('leaves the meta of ordinary text as it is (the same objects)', () => {
    const input = { question: ORDINARY_TEXTS[0] }
    const meta = { output: ORDINARY_TEXTS.join('\n'), input }
    new MetaSecrets([]).hideIn(meta)
    expect(meta.output).toBe(ORDINARY_TEXTS.join('\n'))
    expect(meta.input).toBe(input)
  })
})
