// A well-known token glued to the word before it ("keyisghp_…", "tokenAKIA…", URL-encoded "%3Aghp_…") has no word
// boundary before it: the token patterns and secretlint's rules passed it over, so a cassette stored it and shown
// text kept it. It is now found by the secret scan (what a cassette, history or report stores) and hidden from shown
// text, the word before it kept; identifiers that hold a prefix, base64 data, UUIDs and hashes are left alone.
import { describe, expect, test } from 'vitest'
import { scrubShown } from '../../src/cassettes/redact.js'
import { findSecretsSync } from '../../src/cassettes/secret-scan-sync.js'
import { gluedTokensIn } from '../../src/glued-tokens.js'
import { MetaSecrets } from '../../src/meta-secrets.js'
import { FAKE_TOKENS } from '../support/fake-tokens.js'
import { truncateOutput } from '../../matchers/shared/failure-message.js'

// Each token kind that has a prefix of its own: the private key block and the Slack webhook URL need no word boundary.
const GLUABLE = Object.entries(FAKE_TOKENS).filter(([name]) => name !== 'private key block' && name !== 'Slack incoming webhook URL')
/** What may stand before a token: a word, a digit, an `_`, and URL-encoded text (`%3A` is ":", `%20` a space). */
const BEFORE = ['keyis', 'token9', 'my_', 'note%3A', 'q=a%20']

describe('a token glued to the word before it', () => {
  test.each(GLUABLE)('is hidden from shown text, the word kept: %s', (_, token) => {
    for (const before of BEFORE) {
      expect(scrubShown(`The ${before}${token} works.`), before).toBe(`The ${before}[REDACTED] works.`)
      expect(scrubShown(`"${before}${token}"`), before).toBe(`"${before}[REDACTED]"`)
    }
  })

  test.each(GLUABLE)('is found by the secret scan, the token alone (so a cassette stores none of it): %s', (_, token) => {
    for (const before of BEFORE) {
      const text = `{"content":"The ${before}${token} works."}`
      const found = findSecretsSync(text)
      // What the scan finds is redacted from the stored copy: together the findings cover the whole token.
      const covered = found.some((finding) => finding.value.includes(token) && !finding.value.includes(`${before}${token}`.slice(0, before.length + 1)))
      expect(covered, `${before}${token}`).toBe(true)
    }
  })

  test("is hidden in a test's meta", () => {
    const tokens = GLUABLE.map(([, token]) => token)
    const meta: Record<string, unknown> = { output: tokens.map((token) => `keyis${token}`).join(' ') }
    new MetaSecrets([]).hideIn(meta)
    expect(meta.output).toBe(tokens.map(() => 'keyis[REDACTED]').join(' '))
  })
})

describe('text that only holds a prefix after a word is left alone', () => {
  const base64 = (length: number, seed: number) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    let state = seed
    return Array.from({ length }, () => alphabet[(state = (state * 1103515245 + 12345) % 2 ** 31) % 64]).join('')
  }
  const ordinary = [
    'mask_livestock, task_live_counter, desk_test_runner and flask_test_client_for_the_api are names',
    'highs_and_lows_2024_quarterly_report, laughs_at_the_joke, graphs_renderChart2DWithLegend',
    'aspnetmvc_HomeController, pnpm_config_store_dir, berlin_api_gateway_v2, linkedin_api_client',
    'a git sha 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 and UUID 3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b',
    'EURASIA2024 CONFERENCE, MALAKIA, ROOMAKIA7, the ASIAN markets, KAIzen, xoxo-love-you, detoxoxb-free',
    // Identifiers that hold a prefix and are as long as a token, but with no digit (or one case) in them.
    `widget_${'ghp_'}${'abcdefghijklmnopqrstuvwxyzabcdefghij'} and ${'my'}sk_live_${'abcdefghijklmnopqrstuvwxyz'} and ${'la'}hf_${'abcdefghijklmnopqrstuvwxyzabcdefgh'}`,
    // A JWT (base64url) and long base64 data, as an embedding or an image in a request or response.
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    base64(200_000, 7),
    base64(200_000, 11).replace(/\+/g, '-').replace(/\//g, '_'),
  ]

  test.each(ordinary.map((text) => [text.slice(0, 60), text]))('%s', (_, text) => {
    expect(gluedTokensIn(text)).toEqual([])
    expect(scrubShown(text)).toBe(text)
  })

  test("the AWS documentation's example ids glued to a word stay, as secretlint leaves them", () => {
    expect(scrubShown('theAKIAIOSFODNN7EXAMPLE id')).toBe('theAKIAIOSFODNN7EXAMPLE id')
  })
})

describe('a glued token cut before it is shown (`keyisghp_a1b2… (+20 chars)`)', () => {
  test.each(GLUABLE)('what the cut left of it is hidden, the word before it kept: %s', (_, token) => {
    const text = `The keyis${token} works.`
    const cut = truncateOutput(text, text.length - 12)
    expect(scrubShown(cut)).toBe(`The keyis[REDACTED]${cut.slice(cut.indexOf('… (+'))}`)
  })

  test('identifiers holding a prefix, cut anywhere, stay as they are', () => {
    const text = 'highs_and_lows_2024_quarterly_report laughs_at_it task_live_counter_v2 mvc_Home_Controller_9'
    for (let at = 1; at < text.length; at++) expect(scrubShown(truncateOutput(text, at))).toBe(truncateOutput(text, at))
  })
})
