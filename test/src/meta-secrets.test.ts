import { describe, expect, test } from 'vitest'
import { MetaSecrets } from '../../src/meta-secrets.js'

const KEY = 'k3y-' + 'Q7w'.repeat(12)
const PATTERN = 'sk-proj-' + 'a1B2'.repeat(6)
const secrets = new MetaSecrets([{ name: 'OPENAI_API_KEY', value: KEY }])

describe('MetaSecrets.hideIn', () => {
  test('names live key values and hides key-looking text in every field, nested and in keys', () => {
    const meta: Record<string, unknown> = {
      output: `Your key is ${KEY}.`,
      input: { question: `Use ${PATTERN}`, [KEY]: 1 },
      evals: [{ metric: 'similarity', score: 1, pass: true, reason: `echoed "${KEY}" and Bearer abc123def456` }],
      trace: { steps: [{ output: PATTERN }] },
    }
    secrets.hideIn(meta)
    expect(meta).toEqual({
      output: 'Your key is [REDACTED OPENAI_API_KEY].',
      input: { question: 'Use [REDACTED]', '[REDACTED OPENAI_API_KEY]': 1 },
      evals: [{ metric: 'similarity', score: 1, pass: true, reason: 'echoed "[REDACTED OPENAI_API_KEY]" and Bearer [REDACTED]' }],
      trace: { steps: [{ output: '[REDACTED]' }] },
    })
  })

  test('replaces a field that holds a secret by a copy: the objects the test holds are not changed', () => {
    const trace = { steps: [{ output: KEY }], toolCalls: [{ name: 'lookup' }] }
    const meta = { trace, caseId: 'a' }
    secrets.hideIn(meta)
    expect(trace.steps[0]?.output).toBe(KEY)
    expect(meta.trace).not.toBe(trace)
    expect(meta.trace.toolCalls).toBe(trace.toolCalls)
  })

  test('leaves a meta without secrets as it is, and follows cycles', () => {
    const evals = [{ metric: 'm', score: 0.5, reason: 'fine' }]
    const clean = { evals }
    secrets.hideIn(clean)
    expect(clean.evals).toBe(evals)

    const cyclic: Record<string, unknown> = { output: KEY }
    cyclic.self = cyclic
    secrets.hideIn(cyclic)
    expect(cyclic.output).toBe('[REDACTED OPENAI_API_KEY]')
  })

  test('finds a value as JSON writes it (a quote in a password) and an own __proto__ field stays a field', () => {
    const quoted = 'pa"ss-' + 'w0rd'.repeat(4)
    const withQuote = new MetaSecrets([{ name: 'DB_PASSWORD', value: quoted }])
    const meta: Record<string, unknown> = { output: JSON.stringify({ password: quoted }), parsed: JSON.parse(`{"__proto__": {"key": "${KEY}"}}`) }
    withQuote.hideIn(meta)
    expect(meta.output).toBe('{"password":"[REDACTED DB_PASSWORD]"}')
    secrets.hideIn(meta)
    expect(Object.keys(meta.parsed as object)).toEqual(['__proto__'])
    expect(JSON.stringify(meta.parsed)).toBe('{"__proto__":{"key":"[REDACTED OPENAI_API_KEY]"}}')
  })
})
