// The worker hides well-known token shapes (GitHub, Slack, AWS key ids, Google, Stripe, npm, private key blocks)
// with light patterns: a test's meta, matcher messages and the suite gate's message reach Vitest's reports, where
// secretlint does not run. Ordinary text (words, hashes, UUIDs) is left alone.
import { describe, expect, test } from 'vitest'
import { KNOWN_SECRET_HINT, scrubShown, scrubString } from '../../src/cassettes/redact.js'
import { MetaSecrets } from '../../src/meta-secrets.js'
import { WELL_KNOWN_TOKEN_PATTERNS } from '../../src/well-known-tokens.js'
import { FAKE_TOKENS, ORDINARY_TEXTS } from '../support/fake-tokens.js'

describe('scrubShown', () => {
  test.each(Object.entries(FAKE_TOKENS))('hides a %s in free text', (_, token) => {
    expect(scrubShown(`before ${token} after`)).toBe('before [REDACTED] after')
    expect(scrubShown(`"${token}"`)).toBe('"[REDACTED]"')
    expect(KNOWN_SECRET_HINT.test(token)).toBe(true)
  })

  test.each(ORDINARY_TEXTS)('leaves ordinary text alone: %s', (text) => {
    expect(scrubShown(text)).toBe(text)
  })

  test('the hint passes over words that start like a prefix (AIDA, ASIA, AKIA), hashes and UUIDs: no scrub pass for them', () => {
    for (const text of ORDINARY_TEXTS.filter((each) => !each.includes('npm_') && !each.includes('xoxo-'))) expect(KNOWN_SECRET_HINT.test(text), text).toBe(false)
  })

  test('hides the start of a private key block that was cut before its end', () => {
    const cut = FAKE_TOKENS['private key block']!.slice(0, 120)
    expect(scrubShown(`key:\n${cut}`)).toBe('key:\n[REDACTED]')
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

describe('what a cassette stores and is looked up by', () => {
  test.each(Object.entries(FAKE_TOKENS))('scrubString leaves a %s as earlier versions did (test names key recordings; stored answers replay as live)', (_, token) => {
    const name = `signs with ${token}`
    expect(scrubString(name)).toBe(name)
  })

  test('AWS documentation ids, a private key header in prose and snake_case identifiers are not tokens', () => {
    for (const text of [
      'const id = "AKIAIOSFODNN7EXAMPLE"',
      'A PEM file starts with -----BEGIN PRIVATE KEY----- followed by base64 lines, and ends with a footer line.',
      'def ghs_compute_weighted_average_for_all_sessions():',
    ])
      expect(scrubShown(text)).toBe(text)
  })
})

describe('bounded work on hostile text', () => {
  test('megabytes of token prefixes and token characters are scrubbed in bounded time, without a RangeError', () => {
    const started = performance.now()
    for (const text of ['xoxb-'.repeat(200_000), `ghp_${'A1'.repeat(5_000_000)}`, `github_pat_${'a1'.repeat(5_000_000)}`, `sk_live_${'A'.repeat(10_000_000)}`, `ghs_1_${'a'.repeat(3_000_000)}.b.c`]) {
      expect(() => scrubShown(text)).not.toThrow()
    }
    // Quadratic (the Slack pattern's unbounded lookahead) took seconds at 100 KB; linear takes well under this.
    expect(performance.now() - started).toBeLessThan(20_000)
  })
})

