import { describe, expect, test } from 'vitest'
import { compileFunction, parseOptions, toProvidedOptions } from '../../src/config.js'
import { ConfigError } from '../../src/errors/index.js'
import type { CanonicalRequest } from '../../src/cassettes/canonical.js'

describe('parseOptions', () => {
  test('accepts no options and a full set of valid ones', () => {
    expect(parseOptions(undefined)).toEqual({})
    expect(() =>
      parseOptions({
        cassettes: { mode: 'replay', dir: 'cassettes', hosts: ['llm.internal:8080'], redact: ['acme-secret', /tok_\d+/], maxInlineBytes: 1024 },
        judge: { provider: 'anthropic', model: 'claude-sonnet-5-5' },
        history: false,
        report: { html: 'evals.html' },
        gate: { failOnRegression: true, tolerance: 0.02 },
        labels: { file: 'labels.jsonl' },
        pricing: { 'gpt-4o-mini': { input: 0.15, output: 0.6 } },
      }),
    ).not.toThrow()
  })

  test('an unknown option is an error naming it and what is allowed there', () => {
    expect(() => parseOptions({ cassettes: { mdoe: 'replay' } })).toThrowError(ConfigError)
    expect(() => parseOptions({ cassettes: { mdoe: 'replay' } })).toThrowError(
      'unknown option `cassettes.mdoe`; allowed here: mode, dir, hosts, redact, normalizeRequest, maxInlineBytes',
    )
    expect(() => parseOptions({ cassete: {} })).toThrowError(/unknown option `cassete`; allowed here: cassettes, judge, history/)
  })

  test('a misspelt option: the error suggests the closest known one, at any depth, and keeps the allowed list', () => {
    const message = (input: unknown) => {
      try {
        parseOptions(input)
      } catch (error) {
        return (error as Error).message
      }
      throw new Error('no error')
    }
    expect(message({ histroy: { file: 'h.jsonl' } })).toContain(
      'unknown option `histroy`; allowed here: cassettes, judge, history, report, gate, labels, annotations, pricing; did you mean `history`?',
    )
    expect(message({ cassetes: false })).toContain('unknown option `cassetes`; allowed here: cassettes, judge, history, report, gate, labels, annotations, pricing; did you mean `cassettes`?')
    expect(message({ report: { htlm: 'r.html' } })).toContain('unknown option `report.htlm`; allowed here: html, json, stepSummary, live; did you mean `report.html`?')
    expect(message({ cassettes: { mdoe: 'replay' } })).toContain('unknown option `cassettes.mdoe`; allowed here: mode, dir, hosts, redact, normalizeRequest, maxInlineBytes; did you mean `cassettes.mode`?')
    expect(message({ gate: { agreement: { minKapa: 0.6 } } })).toContain('unknown option `gate.agreement.minKapa`; allowed here: minKappa, minFailureRecall, minN; did you mean `gate.agreement.minKappa`?')
    expect(message({ judge: { provider: 'openai-compatible', model: 'm', baseUrl: 'http://127.0.0.1:1/v1' } })).toContain('did you mean `judge.baseURL`?')
    // Inside a record: every key holds the same options.
    expect(message({ pricing: { 'gpt-4o': { inptu: 1, output: 2 } } })).toContain('unknown option `pricing.gpt-4o.inptu`; allowed here: input, output; did you mean `pricing.gpt-4o.input`?')
  })

  test('a misplaced option: the error names where it belongs; a name close to none gets no guess', () => {
    expect(() => parseOptions({ mode: 'replay' })).toThrowError(/unknown option `mode`; allowed here: cassettes, [^\n]*; did you mean `cassettes\.mode`\?/)
    expect(() => parseOptions({ cassettes: { judge: {} } })).toThrowError(/unknown option `cassettes\.judge`; [^\n]*; did you mean `judge`\?/)
    expect(() => parseOptions({ colour: 'red' })).toThrowError(/unknown option `colour`; allowed here: cassettes, judge, history, report, gate, labels, annotations, pricing\n/)
    expect(() => parseOptions({ histroy: {}, cassetes: {}, colour: 'red' })).toThrowError(
      'unknown option `histroy`, `cassetes`, `colour`; allowed here: cassettes, judge, history, report, gate, labels, annotations, pricing; did you mean `history` for `histroy`, `cassettes` for `cassetes`?',
    )
  })

  test('the error points at the docs the package ships, where this package is', () => {
    expect(() => parseOptions({ histroy: {} })).toThrowError(/\nSee the options in docs\/configuration\.md\.$/)
  })

  test('gate.agreement floors are validated', () => {
    expect(() => parseOptions({ gate: { agreement: { minKappa: 0.6, minFailureRecall: 0.8, minN: 20 } } })).not.toThrow()
    expect(() => parseOptions({ gate: { agreement: { minKappa: 2 } } })).toThrowError(/`gate\.agreement\.minKappa`/)
    expect(() => parseOptions({ gate: { agreement: { kappa: 0.6 } } })).toThrowError(/unknown option `gate\.agreement\.kappa`; allowed here: /)
  })

  test('judge.timeoutMs is a whole number of ms, 1 up to what a timer can hold, and reaches the workers', () => {
    const options = parseOptions({ judge: { provider: 'openai', model: 'gpt-4o-mini', timeoutMs: 120_000 } })
    expect(toProvidedOptions(options, '/repo', {}).judge).toEqual({ provider: 'openai', model: 'gpt-4o-mini', timeoutMs: 120_000 })
    for (const timeoutMs of [0, -1, 1.5, 2 ** 31]) {
      expect(() => parseOptions({ judge: { provider: 'openai', model: 'm', timeoutMs } })).toThrowError(/`judge\.timeoutMs`/)
    }
  })

  test('a wrong type is an error naming the option, what it expects and the value given', () => {
    expect(() => parseOptions({ cassettes: { mode: 'recrod' } })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] Invalid llmEvals() options:
        - \`cassettes.mode\`: expected one of "replay", "auto", "record", "passthrough", received "recrod"; did you mean "record"?
      See the options in docs/configuration.md.]
    `)
    expect(() => parseOptions({ gate: { tolerance: '5%' }, history: 'h.jsonl', report: { html: 3 } })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] Invalid llmEvals() options:
        - \`history\`: expected false or an object ({ file, baselineBranch, keepCaseScores, … }), received "h.jsonl"
        - \`report.html\`: expected a non-empty string, true or false, received 3
        - \`gate.tolerance\`: expected a number from 0 to 1, received "5%"
      See the options in docs/configuration.md.]
    `)
    expect(() => parseOptions({ judge: { provider: 'openai', model: 'm', maxConcurrency: 2.5, timeoutMs: 0 }, pricing: { 'gpt-4o': { input: '2.5', output: 10 } } })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] Invalid llmEvals() options:
        - \`judge.maxConcurrency\`: expected a whole number above 0, received 2.5
        - \`judge.timeoutMs\`: expected a whole number above 0 and at most 2147483647, received 0
        - \`pricing.gpt-4o.input\`: expected a number of at least 0, received "2.5"
      See the options in docs/configuration.md.]
    `)
    expect(() => parseOptions({ gate: true, cassettes: { redact: ['abc', 3], normalizeRequest: 'x' }, labels: {} })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] Invalid llmEvals() options:
        - \`cassettes.redact.0\`: expected a string of at least 4 characters or a RegExp, received "abc"
        - \`cassettes.redact.1\`: expected a string of at least 4 characters or a RegExp, received 3
        - \`cassettes.normalizeRequest\`: expected a function (request) => request, received "x"
        - \`gate\`: expected an object ({ failOnRegression, tolerance, confidence, … }), received true
        - \`labels.file\`: missing; expected a non-empty string
      See the options in docs/configuration.md.]
    `)
    expect(() => parseOptions('cassettes')).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] Invalid llmEvals() options:
        - options: expected an object ({ cassettes, judge, history, … }), received "cassettes"
      See the options in docs/configuration.md.]
    `)
  })

  test('a wrong value is shown bounded, on one line, without secrets', () => {
    const saved = process.env['ACME_API_KEY']
    process.env['ACME_API_KEY'] = 'acme-live-value-0123456789'
    try {
      expect(() => parseOptions({ annotations: `yes\u001b[2J\n\u0085${'x'.repeat(10_000)}` })).toThrowErrorMatchingInlineSnapshot(`
        [ConfigError: [vitest-llm-evals] Invalid llmEvals() options:
          - \`annotations\`: expected true or false, received "yes\\u001b[2J\\n\\u0085xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (10,009 chars)
        See the options in docs/configuration.md.]
      `)
      // Hidden before the value is cut: a long key is not shown by its first characters either.
      const longKey = `acme-${'k'.repeat(200)}`
      process.env['ACME_LONG_TOKEN'] = longKey
      expect(() => parseOptions({ judge: { provider: 'openai', model: 'm', maxRetries: `${'x'.repeat(40)} ${longKey}` } })).not.toThrow(/acme-k/)
      expect(() => parseOptions({ judge: { provider: 'openai', model: 'm', maxRetries: `${'x'.repeat(40)} ${longKey}` } })).toThrow(/received "x{40} \[REDACTED ACME_LON… \(246 chars\)/)
      expect(() => parseOptions({ judge: { provider: 'openai', model: 'm', maxTokens: 'acme-live-value-0123456789', temperature: 'sk-proj-0123456789abcdefghij' } })).toThrowErrorMatchingInlineSnapshot(`
        [ConfigError: [vitest-llm-evals] Invalid llmEvals() options:
          - \`judge.temperature\`: expected a number from 0 to 2, received "[REDACTED]"
          - \`judge.maxTokens\`: expected a whole number above 0, received "[REDACTED ACME_API_KEY]"
        See the options in docs/configuration.md.]
      `)
      // A key pasted as the variable's name is never printed back.
      expect(() => parseOptions({ judge: { provider: 'openai-compatible', model: 'm', baseURL: 'https://api.groq.com/openai/v1', apiKeyEnv: 'gsk_live0123456789' } })).toThrowErrorMatchingInlineSnapshot(`
        [ConfigError: [vitest-llm-evals] Invalid llmEvals() options:
          - \`judge.apiKeyEnv\`: must name the environment variable that holds the key, in capitals (e.g. "GROQ_API_KEY"), never the key itself
        See the options in docs/configuration.md.]
      `)
    } finally {
      delete process.env['ACME_LONG_TOKEN']
      if (saved === undefined) delete process.env['ACME_API_KEY']
      else process.env['ACME_API_KEY'] = saved
    }
  })
})

describe('toProvidedOptions', () => {
  test('resolves the mode from the environment and turns regular expressions into plain data', () => {
    const provided = toProvidedOptions(parseOptions({ cassettes: { redact: ['acme-secret', /tok_\d+/gi] } }), '/repo', { CI: 'true' })
    expect(provided.cassettes.mode).toBe('replay')
    expect(provided.cassettes.redact).toEqual([{ literal: 'acme-secret' }, { source: 'tok_\\d+', flags: 'gi' }])
    expect(structuredClone(provided)).toEqual(provided)
  })

  test('cassettes: false means passthrough', () => {
    expect(toProvidedOptions(parseOptions({ cassettes: false }), '/repo', {}).cassettes.mode).toBe('passthrough')
  })

  test('normalizeRequest crosses to workers as source text and is rebuilt there', () => {
    const options = parseOptions({
      cassettes: { normalizeRequest: (request: CanonicalRequest) => ({ ...request, path: request.path.toUpperCase() }) },
    })
    const source = toProvidedOptions(options, '/repo', {}).cassettes.normalizeRequest ?? ''
    const rebuilt = compileFunction<(request: CanonicalRequest) => CanonicalRequest>(source, 'normalizeRequest')
    expect(rebuilt({ method: 'POST', path: '/v1/x', query: {}, headers: {}, body: null }).path).toBe('/V1/X')
  })

  test('method shorthand is rebuilt too', () => {
    const holder = { normalizeRequest(request: CanonicalRequest) { return { ...request, body: 'n' } } }
    const rebuilt = compileFunction<(request: CanonicalRequest) => CanonicalRequest>(holder.normalizeRequest.toString(), 'normalizeRequest')
    expect(rebuilt({ method: 'GET', path: '/', query: {}, headers: {}, body: null }).body).toBe('n')
  })

  test('a normalizeRequest that uses outside variables is rejected at start-up', () => {
    const pattern = /\d+/g
    const options = parseOptions({ cassettes: { normalizeRequest: (request: CanonicalRequest) => ({ ...request, path: request.path.replace(pattern, 'n') }) } })
    expect(() => toProvidedOptions(options, '/repo', {})).toThrowError(/must be self-contained/)
  })
})
