import { describe, expect, test } from 'vitest'
import { keyedRequest, parseQuery, requestKey, stableStringify, withoutCredentials, type CanonicalRequest } from '../../../src/cassettes/canonical.js'

const base: CanonicalRequest = {
  method: 'POST',
  path: '/v1/chat/completions',
  query: {},
  headers: {},
  body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
}

describe('stableStringify', () => {
  test('sorts object keys at every depth and keeps array order', () => {
    expect(stableStringify({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}')
  })
})

describe('stableStringify prints what sorting every object first prints', () => {
  const sortKeys = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key]
    return sorted
  }
  const reference = (value: unknown, indent?: number) => JSON.stringify(value, (_key, inner: unknown) => sortKeys(inner), indent) ?? 'null'
  class Point {
    constructor(readonly y = 1, readonly x = 2) {}
  }
  const values: [string, unknown][] = [
    ['a sorted body', { messages: [{ content: 'hi', role: 'user' }], model: 'm', stream: true }],
    ['an unsorted body', { model: 'm', messages: [{ role: 'user', content: 'hi' }] }],
    ['unsorted only deep down', { a: [{ z: 1, b: { d: 1, c: 2 } }] }],
    ['array-index keys', { b: 1, 10: 'ten', 9: 'nine', a: { 2: 0, 1: 0, x: 0 } }],
    ['index-like keys that are not indices', { '01': 1, '-1': 2, '4294967295': 3, '4294967294': 4, a: 5 }],
    ['a __proto__ key, as JSON.parse makes it', JSON.parse('{"a":1,"__proto__":{"x":1},"b":2}')],
    ['undefined, functions and symbols', { a: undefined, b: [undefined, () => 1, Symbol('s')], c: () => 1, d: 1 }],
    ['numbers JSON cannot hold', { a: NaN, b: -0, c: Infinity, d: 1e21 }],
    ['a toJSON method', { b: new Date(0), a: { toJSON: () => ({ z: 1, y: 2 }) } }],
    ['class instances', { p: new Point(), m: new Map([[1, 2]]) }],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { b: 1, a: 2 })],
    ['escapes and unicode', { 'é': '\u0000"\\', 'a\n': '\ud800', z: 'ok' }],
    ['primitives and nothing', 'text'],
    ['undefined', undefined],
    ['a deep value', Array.from({ length: 100 }).reduce((inner: unknown) => ({ b: inner, a: 1 }), { z: 1 })],
  ]
  test.each(values)('%s', (_name, value) => {
    expect(stableStringify(value)).toBe(reference(value))
    expect(stableStringify(value, 2)).toBe(reference(value, 2))
  })

  test('a circular value throws (the sorted copies never end)', () => {
    const cycle: Record<string, unknown> = { a: 1 }
    cycle['self'] = cycle
    expect(() => stableStringify(cycle)).toThrow(RangeError)
  })
})

describe('parseQuery', () => {
  test('sorts keys and keeps repeated values as a list', () => {
    expect(parseQuery('?z=1&a=2&a=3')).toEqual({ a: ['2', '3'], z: '1' })
    expect(Object.keys(parseQuery('?z=1&a=2'))).toEqual(['a', 'z'])
  })
})

describe('requestKey', () => {
  test('is the same for the same request whatever the key order of its body', () => {
    const reordered = { ...base, body: { messages: [{ content: 'hi', role: 'user' }], model: 'gpt-4o-mini' } }
    expect(requestKey(reordered)).toBe(requestKey(base))
  })

  test('differs when the body differs', () => {
    expect(requestKey({ ...base, body: { ...(base.body as object), temperature: 0 } })).not.toBe(requestKey(base))
  })

  test('ignores end-user ids: user, safety_identifier and metadata.user_id', () => {
    const volatile = { ...base, body: { ...(base.body as object), user: 'u-1', safety_identifier: 's', metadata: { user_id: 'x', tag: 'kept' } } }
    const other = { ...base, body: { ...(base.body as object), user: 'u-2', metadata: { user_id: 'y', tag: 'kept' } } }
    expect(requestKey(volatile)).toBe(requestKey(other))
    expect(keyedRequest(volatile).body).toEqual({ ...(base.body as object), metadata: { tag: 'kept' } })
  })

  test('includes meaning-bearing headers and query parameters', () => {
    expect(requestKey({ ...base, headers: { 'anthropic-beta': 'tools-2024' } })).not.toBe(requestKey(base))
    expect(requestKey({ ...base, query: { 'api-version': '1' } })).not.toBe(requestKey(base))
  })

  test('applies the user normalizeRequest hook after removing volatile fields', () => {
    const stamp = (text: string) => ({ ...base, body: { model: 'm', messages: [{ role: 'user', content: text }] } })
    const normalize = (request: CanonicalRequest) => ({
      ...request,
      body: JSON.parse(JSON.stringify(request.body).replace(/\d{4}-\d\d-\d\d/g, '<date>')) as unknown,
    })
    expect(requestKey(stamp('today is 2026-11-28'), normalize)).toBe(requestKey(stamp('today is 2025-01-01'), normalize))
    expect(requestKey(stamp('today is 2026-11-28'))).not.toBe(requestKey(stamp('today is 2025-01-01')))
  })

  test('does not modify the request it is given', () => {
    const request = structuredClone({ ...base, body: { ...(base.body as object), user: 'u' } })
    requestKey(request)
    expect(request.body).toHaveProperty('user', 'u')
  })

  // Keys of recordings already in users' cassettes: these values were computed before replay got faster (issue 17).
  test('keeps the keys existing cassettes were recorded with, as sent and as stored', () => {
    const sent: CanonicalRequest = { method: 'POST', path: '/v1/chat/completions', query: {}, headers: { 'openai-beta': 'assistants=v2' }, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], user: 'u-1', metadata: { user_id: 'x', b: 1 } } }
    const stored: CanonicalRequest = { body: { messages: [{ content: 'Hi', role: 'user' }], metadata: { b: 1 }, model: 'gpt-4o-mini' }, headers: { 'openai-beta': 'assistants=v2' }, method: 'POST', path: '/v1/chat/completions', query: {} }
    expect(requestKey(sent)).toBe('32f64c90d17da12c')
    expect(requestKey(stored)).toBe('32f64c90d17da12c')
    expect(requestKey({ ...sent, extra: 'kept' } as CanonicalRequest)).toBe('46e67fa58887628d')
    expect(requestKey({ method: 'GET', path: '/v1/models', query: { a: 'x' }, body: null } as unknown as CanonicalRequest)).toBe('1aa5460c95da3ab7')
    expect(requestKey(sent, (request) => ({ ...request, body: 'n' }))).toBe('c06bffef2a849736')
  })
})

describe('withoutCredentials', () => {
  test('drops credential query parameters, whatever their case, and keeps the others', () => {
    const url = new URL('https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2025-01-01&API-KEY=secret&key=g&x-amz-signature=s')
    expect(withoutCredentials(url).href).toBe('https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2025-01-01')
    const plain = new URL('https://api.openai.com/v1/models?limit=2')
    expect(withoutCredentials(plain)).toBe(plain)
  })
})
