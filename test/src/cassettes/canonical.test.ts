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
})

describe('withoutCredentials', () => {
  test('drops credential query parameters, whatever their case, and keeps the others', () => {
    const url = new URL('https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2025-01-01&API-KEY=secret&key=g&x-amz-signature=s')
    expect(withoutCredentials(url).href).toBe('https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2025-01-01')
    const plain = new URL('https://api.openai.com/v1/models?limit=2')
    expect(withoutCredentials(plain)).toBe(plain)
  })
})
