// The worker hides well-known token shapes (GitHub, GitLab, Slack, AWS, Google, Stripe, npm, SendGrid, Shopify, Hugging
// Face and the other families of secretlint's preset, private key blocks, passwords in URLs)
// with light patterns: a test's meta, matcher messages and the suite gate's message reach Vitest's reports, where
// secretlint does not run. Ordinary text (words, hashes, UUIDs) is left alone.
import { describe, expect, test } from 'vitest'
import { KNOWN_SECRET_HINT, scrubShown, scrubString } from '../../src/cassettes/redact.js'
import { MetaSecrets } from '../../src/meta-secrets.js'
import { findSecretsSync } from '../../src/cassettes/secret-scan-sync.js'
import { WELL_KNOWN_TOKEN_PATTERNS } from '../../src/well-known-tokens.js'
import { boundedTrace, STORED_TRACE_LIMITS } from '../../src/agents/trace-bounded.js'
import type { Trace } from '../../src/agents/types.js'
import { truncateOutput } from '../../matchers/shared/failure-message.js'
import { growthAt4x } from '../support/growth.js'
import { FAKE_SECRET_TEXTS, FAKE_TOKENS, ORDINARY_LOOKALIKES, ORDINARY_TEXTS, UNSCANNED_SECRET_TEXTS } from '../support/fake-tokens.js'

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

describe('scrubShown, secrets known by what surrounds them (passwords in URLs, .npmrc tokens, AWS secret keys by name)', () => {
  test.each(Object.entries(FAKE_SECRET_TEXTS))('hides the %s, keeping what surrounds it', (_, { text, shown }) => {
    expect(scrubShown(`before ${text} after`)).toBe(`before ${shown} after`)
    expect(KNOWN_SECRET_HINT.test(text)).toBe(true)
  })

  test.each(ORDINARY_LOOKALIKES)('leaves text that only looks like one alone: %s', (text) => {
    expect(scrubShown(text)).toBe(text)
  })
})

describe("the main process's secret scan", () => {
  // The shapes shown text is scrubbed of are the ones the scan of written files reports: each fake is a real shape.
  // Not checked: the fake private key (secretlint reads the key's bytes) and the .npmrc line (secretlint reads
  // `_authToken=` only in a file named .npmrc; shown text hides it anyway).
  const scanned = [...Object.entries(FAKE_TOKENS), ...Object.entries(FAKE_SECRET_TEXTS).map(([name, { text }]) => [name, text] as const)]
  // Nor the URLs secretlint's basic-auth rule passes over (no user, an unescaped "@" in the password).
  test.each(scanned.filter(([name]) => name !== 'private key block' && !name.includes('.npmrc') && !UNSCANNED_SECRET_TEXTS.has(name)))('reports the %s too', (_, text) => {
    expect(findSecretsSync(`before ${text} after`)).not.toEqual([])
  })
})

describe('a Slack webhook URL in any case (hosts and schemes are case-insensitive: `HTTPS://HOOKS.SLACK.COM/…` works)', () => {
  const hook = FAKE_TOKENS['Slack incoming webhook URL']!
  const cases = [hook.toUpperCase(), hook.replace('https://hooks.slack.com/services', 'HTTPS://HOOKS.SLACK.COM/SERVICES'), hook.replace('https://hooks', 'Https://Hooks')]

  test.each(cases)('is hidden from shown text: %s', (url) => {
    // The prefilter looked for "hooks." in lower case only: the text was returned unscrubbed.
    expect(scrubShown(`post to ${url} now`)).toBe('post to [REDACTED] now')
    expect(findSecretsSync(`post to ${url} now`).map((finding) => finding.value)).toEqual([url])
  })

  test("is hidden in a test's meta and in a failure message's cut output", () => {
    const meta: Record<string, unknown> = { output: `post to ${cases[0]}`, evals: [{ metric: 'echo', score: 0, pass: false, reason: `it said ${cases[1]}` }] }
    new MetaSecrets([]).hideIn(meta)
    expect(meta).toEqual({ output: 'post to [REDACTED]', evals: [{ metric: 'echo', score: 0, pass: false, reason: 'it said [REDACTED]' }] })
    const cut = truncateOutput(`post to ${cases[0]} now`, 80)
    expect(scrubShown(cut)).toBe(`post to [REDACTED]${cut.slice(cut.indexOf('… (+'))}`)
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

  test.each(Object.entries(FAKE_SECRET_TEXTS))('scrubString leaves the %s as earlier versions did', (_, { text }) => {
    expect(scrubString(text)).toBe(text)
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

  test('10 MB of text, and hostile runs of the newer shapes, are scrubbed in bounded time', () => {
    const prose = 'Mail ada@example.com, see https://example.com/a?b=c, set key = value; SG.x and hf_hub are names. '
    const inputs = [
      prose.repeat(Math.ceil(10_000_000 / prose.length)),
      `${'SG.'}${'a'.repeat(10_000_000)}`,
      `${'SG.'}${'a'.repeat(20)}.`.repeat(400_000),
      `://${'a'.repeat(255)}:`.repeat(40_000),
      `://a:${'b'.repeat(10_000_000)}`,
      '://a:b'.repeat(1_500_000),
      `${'@'.repeat(5_000_000)}`,
      `https://u:p@${'x'.repeat(10_000_000)}`,
      '_authToken='.repeat(900_000),
      `_authToken=${'a'.repeat(10_000_000)}`,
      'secret_access_key = '.repeat(500_000),
      `aws_secret_access_key = ${'A'.repeat(10_000_000)}`,
      `tskey-ab-${'a'.repeat(40)}`.repeat(200_000),
      `hvs.${'a'.repeat(10_000_000)}`,
      `glc_${'a'.repeat(10_000_000)}`,
      'dapi'.repeat(2_500_000),
    ]
    const started = performance.now()
    for (const text of inputs) expect(() => scrubShown(text)).not.toThrow()
    // Each input takes a fraction of a second when the work is linear; one quadratic pattern would take minutes.
    expect(performance.now() - started).toBeLessThan(30_000)
  })

  test('repeated GitHub and Slack prefixes, and app-token prefixes with no JWT, are scrubbed in time linear in their size', () => {
    // A lookahead for the digit a token needs read 255 characters ahead of every `ghp_` (9 s for 10 MB), 250 of every
    // `xoxb-` (15 s); the app-token pattern read each JWT part to the 10,000th character and back from every `ghs_1_`
    // (minutes). Growth, not time: 4 times the text must cost under 8 times as much (a loaded machine slows both).
    for (const unit of ['ghp_', 'xoxb-', 'ghs_1_-', 'xghs_1_eyJ-']) {
      expect(scrubShown(unit.repeat(1000))).toBe(unit.repeat(1000))
      expect(growthAt4x((n) => unit.repeat(n), 60_000, scrubShown), unit).toBeLessThan(8)
    }
  })

  test('hostile text of every kind costs a few times what ordinary text with tokens of the same size costs, not more', () => {
    // Measured against this machine at this moment (the least of three or more runs each), so a loaded or slow machine
    // does not fail it: every pattern linear, no hostile input costs more than ~3 times the baseline; the old lookaheads cost 6-20
    // times (`ghp_`, `xoxb-`, `github_pat_` repeated), the app-token pattern 200-470 times.
    const size = 200_000
    const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
    const baseline = fill('The quick brown fox ghp_short jumps over sk-short AKIAshort at https://x.com/a?b. ')
    const prefixes = ['ghp_', 'github_pat_', 'ghs_1_', 'ghs_1_eyJ', 'xoxb-', 'xoxb-123456-', 'xapp-', 'AKIA', 'AIza', 'AIzaSy', 'sk_live_', 'npm_', 'glpat-', 'SG.', 'shpat_', 'hf_', 'gsk_', 'lin_api_', 'ntn_', 'dckr_pat_', 'figd_', 'dapi', 'cfut_', 'vcp_', 'glc_', 'glsa_', 'ops_ey', 'hvs.', 'tskey-ab-', 'HTTPS://HOOKS.SLACK.COM/SERVICES/T', '://a:', '_authToken=', 'secret_access_key = ', '-----BEGIN PRIVATE KEY-----\n', 'sk-', 'sk-proj-', 'sk-ant-api03-', 'Bearer ', 'Basic ', 'Basic QUJDOg', '… (+1 chars)']
    const cost = (text: string) => {
      const started = performance.now()
      scrubShown(text)
      return performance.now() - started
    }
    for (const prefix of prefixes) {
      // Repeated prefixes, prefixes glued to a letter, prefixes each followed by a near miss, one prefix and a long run.
      for (const text of [fill(prefix), fill(`x${prefix}`), fill(`${prefix}a1-`), prefix + fill('aB1')]) {
        let ordinary = Infinity
        let hostile = Infinity
        // Measured again while over the bound (up to 12 runs each): other workers' load comes in bursts.
        // The bound is generous (the old patterns cost 6-20 times, some hundreds): both are measured side by side, so
        // load slows both; the growth check below is what catches a pattern that reads back or ahead per position.
        for (let run = 0; run < 12 && (run < 3 || hostile >= 10 * ordinary + 20); run++) {
          ordinary = Math.min(ordinary, cost(baseline))
          hostile = Math.min(hostile, cost(text))
        }
        expect(hostile, `${text.slice(0, 24)}: ${hostile.toFixed(1)} ms, ordinary text ${ordinary.toFixed(1)} ms`).toBeLessThan(10 * ordinary + 20)
      }
    }
  }, 120_000)

  test('10 MB of private key headers, each with a line too short for a key, are scrubbed in bounded time', () => {
    // Each header used to read on through the next 20,000 characters looking for an end line: 50 s for this text.
    const unit = `-----BEGIN RSA ${'PRIVATE KEY-----'}\n${'A'.repeat(15)}\n`
    expect(scrubShown(unit.repeat(1000))).toBe(unit.repeat(1000))
    expect(growthAt4x((n) => unit.repeat(n), 12_000, scrubShown)).toBeLessThan(8)
  })
})


describe('a secret cut short before it is scrubbed (`… (+N chars)`)', () => {
  // A failure message's `Output:` and a test's stored trace are cut before the shown text is scrubbed: what a cut
  // left of a token (most of it) was too short for the token's pattern, and reached the reports.
  const cutAt = (text: string, at: number) => truncateOutput(text, at)

  test.each(Object.entries(FAKE_TOKENS).filter(([name]) => name !== 'private key block'))('hides what a cut left of a %s', (_, token) => {
    const text = `the model said ${token} ok`
    const cut = cutAt(text, text.length - 12)
    expect(scrubShown(cut)).toBe(`the model said [REDACTED]${cut.slice(cut.indexOf('… (+'))}`)
  })

  test.each(Object.entries(FAKE_SECRET_TEXTS))('hides what a cut left of the %s', (_, { text, shown }) => {
    const before = shown.split('[REDACTED]')[0]!
    const cut = cutAt(`${text} after`, text.length - 3 - shown.split('[REDACTED]')[1]!.length)
    expect(scrubShown(cut)).toBe(`${before}[REDACTED]${cut.slice(cut.indexOf('… (+'))}`)
  })

  test('hides it in a test meta\'s stored trace, whose tool result was cut at its limit', () => {
    const token = FAKE_TOKENS['GitHub personal token (ghp_)']!
    const result = { log: `${'x'.repeat(STORED_TRACE_LIMITS.json - 30)} ${token}` }
    const meta = { trace: boundedTrace({ steps: [], toolCalls: [{ name: 'read_log', args: {}, result }], output: 'done', usage: {} } as unknown as Trace) }
    new MetaSecrets([]).hideIn(meta)
    expect(JSON.stringify(meta)).toContain('[REDACTED]… (+')
    expect(JSON.stringify(meta)).not.toContain(token.slice(0, 12))
  })

  test('leaves ordinary text cut anywhere as it is, but for a word cut right after a prefix (`ghp_sh… (+3 chars)`)', () => {
    // A word that starts like a token, cut inside it, reads like a token cut short: hidden.
    const prefixCut = /(?<![A-Za-z0-9])(?:gh[pousr]_|sk_live_|npm_|AIza|hf_|SG\.|vc[pirak]_|glc_)[A-Za-z0-9_.]*… \(\+/
    for (const text of [...ORDINARY_TEXTS, ...ORDINARY_LOOKALIKES, 'Run npm_config_registry=https://registry.npmjs.org/ and Aida went to ASIA, then ASIAN markets.']) {
      for (let at = 1; at < text.length; at++) if (!prefixCut.test(cutAt(text, at))) expect(scrubShown(cutAt(text, at)), cutAt(text, at)).toBe(cutAt(text, at))
    }
    expect(scrubShown('cut here… (+12 chars) and there… (+3 chars)')).toBe('cut here… (+12 chars) and there… (+3 chars)')
  })

  test('10 MB of cut marks and token prefixes are scrubbed in bounded time', () => {
    const inputs = ['x… (+1 chars)'.repeat(800_000), `${' '.repeat(290)}… (+9 chars)`.repeat(30_000), `://a:${'b'.repeat(290)}… (+9 chars)`.repeat(30_000), `${'sk-'.repeat(99)}!… (+1 chars)`.repeat(30_000)]
    const started = performance.now()
    for (const text of inputs) expect(() => scrubShown(text)).not.toThrow()
    expect(performance.now() - started).toBeLessThan(15_000)
  })
})
