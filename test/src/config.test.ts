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

  test('a wrong type is an error naming the option', () => {
    expect(() => parseOptions({ cassettes: { mode: 'recrod' } })).toThrowError(/`cassettes\.mode`: Invalid option: expected one of "replay"\|"auto"\|"record"\|"passthrough"/)
    expect(() => parseOptions({ judge: { provider: 'gemini', model: 'x' } })).toThrowError(/`judge\.provider`/)
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
