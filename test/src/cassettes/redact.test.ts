import { describe, expect, test } from 'vitest'
import { assertNoSecrets, hideSecrets, liveSecrets, mayScrub, scrubDeep, scrubString } from '../../../src/cassettes/redact.js'
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

  test('scrubs an OpenAI or Anthropic key glued to the word before it, and after it', () => {
    // Built at run time: no key-shaped literal in the repository. The shapes of real keys (secretlint's rules).
    const run = (length: number) => Array.from({ length }, (_, i) => 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF3hJ5kL7nP9rS1uX3wY5'[(i * 7) % 50]).join('')
    const keys = ['sk-' + 'proj-', 'sk-' + 'svcacct-', 'sk-' + 'admin-'].map((prefix) => prefix + run(74) + 'T3Blbk' + 'FJ' + run(74))
    keys.push('sk-' + run(20) + 'T3Blbk' + 'FJ' + run(20), 'sk-' + 'ant-api03-' + run(93) + 'AA', 'sk-' + 'ant-admin01-' + run(93) + 'AA')
    for (const key of keys) {
      expect(scrubString(`Your key isthe${key}Then use it.`), key.slice(0, 12)).toBe('Your key isthe[REDACTED] use it.')
      expect(scrubString(`OPENAI_${key}`), key.slice(0, 12)).toBe('OPENAI_[REDACTED]')
      // Bounded as before: the key only, whatever follows it glued.
      expect(scrubString(`key: ${key}Then`), key.slice(0, 12)).toBe('key: [REDACTED]')
    }
  })

  test('leaves hyphenated words that hold "sk-" alone, however long', () => {
    const texts = [
      'a task-list, a desk-lamp, the risk-free-rate and the kiosk-mode setting',
      'the desk-proj-planning board and the desk-admin-panel-settings-for-the-whole-team-2024 page',
      'see /blog/how-to-set-up-a-desk-admin-panel-in-2024-with-react-and-node-v20',
      'ask-proj-Alpha-2, Desk-admin-Beta-3 and tasks-ant-Colony-9',
      'the risk-ant-Colony-Survey-2024-Final-Report-Revised-Edition',
    ]
    for (const text of texts) expect(scrubString(text)).toBe(text)
  })

  test('applies literal and regular-expression rules', () => {
    const rules = [{ literal: 'acme-secret.1' }, { source: 'tok_[0-9]+', flags: '' }]
    expect(scrubString('x acme-secret.1 y tok_123 z tok_9', rules)).toBe('x [REDACTED] y [REDACTED] z [REDACTED]')
  })

  test('scrubs as a regular expression per pattern and rule would, for text with and without key-like parts', () => {
    // The reference: every pattern and rule applied as a global regular expression, as scrubString did before its
    // fast paths (text without `sk-` or `bearer`, literals that are not there, rules compiled once).
    const rules = [{ literal: 'p@ss.w*rd$1' }, { literal: 'hunter2hunter2' }, { source: 'tok_[0-9]+', flags: 'i' }]
    const reference = (text: string) => {
      let result = text
      result = result.replace(/\bsk-ant-[A-Za-z0-9_-]{8,}/g, '[REDACTED]').replace(/\bsk-[A-Za-z0-9_-]{16,}/g, '[REDACTED]')
      result = result.replace(/\bBearer\s+(?=[A-Za-z._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer [REDACTED]')
      for (const rule of rules) result = result.replace('literal' in rule && rule.literal !== undefined ? new RegExp(rule.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : new RegExp(rule.source, `${rule.flags}g`), '[REDACTED]')
      return result
    }
    const parts = ['sk-', 'sk-ant-', 'abcdefghijklmnopqrst', 'BEARER ', 'bearer', 'Bearer x1y2z3w4v5', 'p@ss.w*rd$1', 'hunter2', 'hunter2hunter2', 'TOK_42', ' ', '-', '9']
    let seed = 7
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31)
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: 1 + (next() % 8) }, () => parts[next() % parts.length]).join('')
      expect(scrubString(text, rules), text).toBe(reference(text))
    }
  })
})

describe('scrubDeep', () => {
  test('scrubs every string in nested objects and arrays, keys included', () => {
    const value = { a: ['sk-abcdefghijklmnopqrstu'], 'sk-abcdefghijklmnopqrstu': 1, n: 2 }
    expect(scrubDeep(value)).toEqual({ a: ['[REDACTED]'], '[REDACTED]': 1, n: 2 })
  })

  test('keeps an own __proto__ field (from JSON.parse of model output) as a field, scrubbed, not as the prototype', () => {
    const value = JSON.parse('{"__proto__": {"key": "sk-abcdefghijklmnopqrstu"}, "n": 1}') as object
    const copy = scrubDeep(value)
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"key":"[REDACTED]"},"n":1}')
  })
})

describe('mayScrub', () => {
  const rules = [{ literal: 'live-secret-123456' }]
  const clean = { suite: 'a.test.ts', cases: [{ reason: 'fine', judge: { model: 'gpt-4.1-mini' } }, 1, null, true] }

  test('is false exactly when scrubDeep returns an equal copy', () => {
    expect(mayScrub(clean, rules)).toBe(false)
    expect(scrubDeep(clean, rules)).toEqual(clean)
  })

  test('is true for a known key pattern, a literal or a non-literal rule, in a value or a key, at any depth', () => {
    const cases: unknown[] = [{ a: [{ b: 'key sk-abcdefghijklmnopqrstu' }] }, { a: ['has live-secret-123456 in it'] }, { 'Bearer abc123defg': 1 }, 'live-secret-123456']
    for (const value of cases) {
      expect(mayScrub(value, rules)).toBe(true)
      expect(scrubDeep(value, rules)).not.toEqual(value)
    }
    expect(mayScrub(clean, [{ source: 'zzz', flags: '' }])).toBe(true)
    expect(mayScrub(clean, [{ literal: '' }])).toBe(true)
  })
})

describe('liveSecrets', () => {
  test('guards every variable whose name says it is a credential, of at least 12 characters', () => {
    const env = {
      OPENAI_API_KEY: 'sk-proj-0123456789ab', MISTRAL_API_KEY: 'mistral-0123456789', GOOGLE_API_KEY: 'AIzaSyA-0123456789abcdef',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG', AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEJr0123',
      AZURE_CLIENT_SECRET: 'azure-secret-0123456', GITHUB_TOKEN: 'ghp_0123456789abcdef', DB_PASSWORD: 'correct-horse-battery',
      HOME: '/root/some/long/home/path', NODE_ENV: 'production-like-value', SHORT_TOKEN: 'abc123', GOOGLE_APPLICATION_CREDENTIALS: '/secrets/google.json',
    }
    expect(liveSecrets(env).map((secret) => secret.name).sort()).toEqual([
      'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AZURE_CLIENT_SECRET', 'DB_PASSWORD', 'GITHUB_TOKEN', 'GOOGLE_API_KEY', 'MISTRAL_API_KEY', 'OPENAI_API_KEY',
    ])
  })

  test('guards a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK), not the AWS placeholder credentials set for replay', () => {
    const env = { AWS_BEARER_TOKEN_BEDROCK: 'ABSKQmVkcm9ja0FQSUtleS0wMTIz', AWS_ACCESS_KEY_ID: 'AKIALLMEVALSPLACEHOLDER', AWS_SECRET_ACCESS_KEY: 'llm-evals-placeholder-aws-secret-access-key', AWS_REGION: 'ap-southeast-2-long' }
    expect(liveSecrets(env).map((secret) => secret.name)).toEqual(['AWS_BEARER_TOKEN_BEDROCK'])
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

  test('never prints the value when the test\'s name holds it, and says the name is why (found by a new user)', () => {
    const secrets = liveSecrets({ SERVICE_TOKEN: 'svc9f8e7d6c5b4a3928' })
    const name = 'answers Refund order 123 for token svc9f8e7d6c5b4a3928'
    const refusal = () => assertNoSecrets(JSON.stringify({ test: name }), 'a.cassette.json', secrets, name)
    expect(refusal).toThrowError('a recording of test "answers Refund order 123 for token [REDACTED SERVICE_TOKEN]"')
    expect(refusal).toThrowError("The test's name holds it")
    expect(refusal).not.toThrowError('svc9f8e7d6c5b4a3928')
  })

  test('a tool recording names the tool, says its result held the value, and the fix (found by a new user)', () => {
    const secrets = liveSecrets({ SERVICE_TOKEN: 'svc9f8e7d6c5b4a3928' })
    const refusal = () => assertNoSecrets(JSON.stringify({ name: 'whoami', result: { key: 'svc9f8e7d6c5b4a3928' } }), 'a.cassette.json', secrets, 'tool returns the live key', 'whoami')
    expect(refusal).toThrowError('a recording of tool "whoami" in test "tool returns the live key"')
    expect(refusal).toThrowError("The tool's result (or its arguments) held the value: do not return the secret from the tool")
    expect(refusal).not.toThrowError('prompt')
  })

  test('refuses a live value with a quote or backslash in it, as JSON and HTML write it (escaped)', () => {
    const secrets = liveSecrets({ DB_PASSWORD: 'Tr0ub4dor"&3-horse\\battery' })
    expect(() => assertNoSecrets(JSON.stringify({ dsn: `password ${secrets[0]!.value}` }), 'a.cassette.json', secrets)).toThrowError(/value of DB_PASSWORD/)
    expect(() => assertNoSecrets('<td>Tr0ub4dor&quot;&amp;3-horse\\battery</td>', 'report.html', secrets)).toThrowError(/value of DB_PASSWORD/)
    expect(hideSecrets(JSON.stringify({ dsn: secrets[0]!.value }), secrets)).toBe('{"dsn":"[REDACTED DB_PASSWORD]"}')
  })

  test('refuses a live value URL-encoded (a query parameter the app encoded, or that removing a credential parameter re-encoded)', () => {
    const secrets = liveSecrets({ GATEWAY_SECRET: 'aGVsbG8/d29y+bGQ=' })
    const url = new URL('https://gateway.example/v1/chat')
    url.searchParams.set('client_secret', secrets[0]!.value)
    expect(url.href).not.toContain(secrets[0]!.value)
    for (const text of [JSON.stringify({ url: url.href }), `?client_secret=${encodeURIComponent(secrets[0]!.value)}`]) {
      expect(() => assertNoSecrets(text, 'a.cassette.json', secrets)).toThrowError(/value of GATEWAY_SECRET/)
      expect(hideSecrets(text, secrets)).toContain('client_secret=[REDACTED GATEWAY_SECRET]')
    }
  })

  test('accepts a write without secrets, and ignores placeholders and short values', () => {
    const secrets = liveSecrets({ OPENAI_API_KEY: 'placeholder-key', ANTHROPIC_API_KEY: 'short-value' }, ['placeholder-key'])
    expect(secrets).toEqual([])
    expect(() => assertNoSecrets('{"ok":true}', 'a.json', liveSecrets({ OPENAI_API_KEY: 'real-key-123456' }))).not.toThrow()
  })
})
