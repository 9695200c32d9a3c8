import { describe, expect, test } from 'vitest'
import { assertNoSecrets, liveSecrets, scrubDeep, scrubString } from '../../../src/cassettes/redact.js'
import { SecretLeakError } from '../../../src/errors/index.js'

describe('scrubString', () => {
  test('scrubs OpenAI and Anthropic key patterns and bearer tokens', () => {
    expect(scrubString('key sk-proj-abcdefghijklmnop1234 end')).toBe('key [REDACTED] end')
    expect(scrubString('sk-ant-api03-abcdefgh_ijkl')).toBe('[REDACTED]')
    expect(scrubString('Authorization: Bearer eyJhbGciOi.J9.xyz')).toBe('Authorization: Bearer [REDACTED]')
  })

  test('leaves ordinary text alone', () => {
    expect(scrubString('a task-list and sk-short')).toBe('a task-list and sk-short')
    expect(scrubString('Explain Bearer authentication and bearer tokenization')).toBe('Explain Bearer authentication and bearer tokenization')
  })

  test('applies literal and regular-expression rules', () => {
    const rules = [{ literal: 'acme-secret.1' }, { source: 'tok_[0-9]+', flags: '' }]
    expect(scrubString('x acme-secret.1 y tok_123 z tok_9', rules)).toBe('x [REDACTED] y [REDACTED] z [REDACTED]')
  })
})

describe('scrubDeep', () => {
  test('scrubs every string in nested objects and arrays, keys included', () => {
    const value = { a: ['sk-abcdefghijklmnopqrstu'], 'sk-abcdefghijklmnopqrstu': 1, n: 2 }
    expect(scrubDeep(value)).toEqual({ a: ['[REDACTED]'], '[REDACTED]': 1, n: 2 })
  })
})

describe('assertNoSecrets', () => {
  test('refuses a write that contains a live key value, naming the variable and line', () => {
    const secrets = liveSecrets({ OPENAI_API_KEY: 'gateway-key-7f3a9' })
    expect(() => assertNoSecrets('{\n  "echo": "gateway-key-7f3a9"\n}', 'a.cassette.json', secrets)).toThrowError(SecretLeakError)
    expect(() => assertNoSecrets('{\n  "echo": "gateway-key-7f3a9"\n}', 'a.cassette.json', secrets)).toThrowError(
      /Refused to write a\.cassette\.json: it would contain the value of OPENAI_API_KEY \(line 2\)/,
    )
  })

  test('accepts a write without secrets, and ignores placeholders and short values', () => {
    const secrets = liveSecrets({ OPENAI_API_KEY: 'placeholder-key', ANTHROPIC_API_KEY: 'short' }, ['placeholder-key'])
    expect(secrets).toEqual([])
    expect(() => assertNoSecrets('{"ok":true}', 'a.json', liveSecrets({ OPENAI_API_KEY: 'real-key-123456' }))).not.toThrow()
  })
})
