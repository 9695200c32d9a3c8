import { runInNewContext } from 'node:vm'
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

  test('hides a secret in every place an object shared between fields is reached from', () => {
    const message = { role: 'user', content: KEY }
    const meta: Record<string, unknown> = { input: { messages: [message] }, trace: { steps: [{ messages: [message] }] } }
    secrets.hideIn(meta)
    expect(JSON.stringify(meta)).not.toContain(KEY)
    expect(message.content).toBe(KEY)
  })

  test('a cycle in the copy leads back to the copy, not to the secret', () => {
    const parent: Record<string, unknown> = { name: 'root' }
    parent.child = { parent }
    parent.secret = KEY
    const meta: Record<string, unknown> = { tree: parent }
    secrets.hideIn(meta)
    const tree = meta.tree as { secret: string; child: { parent: unknown } }
    expect(tree.secret).toBe('[REDACTED OPENAI_API_KEY]')
    expect(tree.child.parent).toBe(tree)
    expect(parent.secret).toBe(KEY)
  })

  test("hides secrets in the fields of class instances, other realms' objects, Maps and Sets (which reach the reporters)", () => {
    class Completion {
      text = `echo ${KEY}`
    }
    const foreign = runInNewContext('({ content: key })', { key: KEY }) as object
    const meta: Record<string, unknown> = { completion: new Completion(), foreign, byName: new Map([[KEY, { value: PATTERN }]]), seen: new Set([PATTERN]) }
    secrets.hideIn(meta)
    expect(structuredClone(meta)).toEqual({
      completion: { text: 'echo [REDACTED OPENAI_API_KEY]' },
      foreign: { content: '[REDACTED OPENAI_API_KEY]' },
      byName: new Map([['[REDACTED OPENAI_API_KEY]', { value: '[REDACTED]' }]]),
      seen: new Set(['[REDACTED]']),
    })
    const date = new Date(0)
    const clean: Record<string, unknown> = { date, lookup: new Map([['a', 1]]) }
    const lookup = clean.lookup
    secrets.hideIn(clean)
    expect(clean).toEqual({ date, lookup })
    expect(clean.lookup).toBe(lookup)
  })

  test('does not stall on an object shared at every level', () => {
    let shared: Record<string, unknown> = { leaf: 'text' }
    for (let level = 0; level < 25; level++) shared = { left: shared, right: shared }
    const started = performance.now()
    secrets.hideIn({ shared })
    expect(performance.now() - started).toBeLessThan(1000)
  })

  test('does not overflow the stack on nesting deeper than the rewrite goes (Vitest still sends it)', () => {
    let deep: unknown = KEY
    for (let level = 0; level < 2500; level++) deep = [deep]
    const meta = { deep }
    expect(() => secrets.hideIn(meta)).not.toThrow()
    expect(JSON.stringify(meta)).not.toContain(KEY)
  })
})
