// A `__proto__` key in a cassette (a file from a hostile pull request, a header or query name echoed from model text,
// model output with such a field) is data: read, it never becomes an object's prototype; written again, it is still
// there; and the request keys it enters stay the ones every existing cassette was recorded under.
import { describe, expect, test } from 'vitest'
import { parseCassette, serializeCassette } from '../../../src/cassettes/cassette-file.js'
import { parseQuery, requestKey } from '../../../src/cassettes/canonical.js'

// Written with `PROTO` for `__proto__`, then turned into JSON text: in an object literal `__proto__: …` sets the
// prototype, in JSON text it is a field. Keys are in the order the library writes them (sorted).
const request = { method: 'POST', url: 'https://api.openai.com/v1/x?__proto__=a&__proto__=b', path: '/v1/x', query: { PROTO: ['a', 'b'], constructor: 'c' }, headers: { PROTO: 'h', prototype: 'p' }, body: { PROTO: { polluted: true }, model: 'm' } }

/** A cassette's text as the library writes it, with `extra` fields on its entry (an unknown one sends the read through zod). */
function cassetteText(extra: Record<string, unknown> = {}): string {
  const entry = {
    test: 't', repeat: 0, call: 0, role: 'app', key: 'k', ...extra,
    request,
    response: { status: 200, headers: { PROTO: 'x', 'content-type': 'application/json' }, json: { PROTO: { isAdmin: true }, answer: 1 } },
    meta: { recordedAt: '2026-12-07T00:00:00.000Z', latencyMs: 1 },
  }
  return JSON.stringify({ version: 1, entries: [entry] }, null, 2).replaceAll('"PROTO"', '"__proto__"') + '\n'
}

describe('__proto__ keys in a cassette', () => {
  test('are read as own fields, never as a prototype, and written back unchanged', () => {
    const text = cassetteText()
    const document = parseCassette(text, 'a.cassette.json')
    const [entry] = document.entries
    expect(Object.getPrototypeOf(entry?.request.query)).toBe(Object.prototype)
    expect(Object.getPrototypeOf(entry?.request.headers)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(entry?.request.query, '__proto__')?.value).toEqual(['a', 'b'])
    expect(Object.getOwnPropertyDescriptor(entry?.request.headers, '__proto__')?.value).toBe('h')
    expect(serializeCassette(document)).toBe(text)
  })

  test('are kept when an unknown field sends the cassette through the schema', () => {
    const text = cassetteText({ comment: 'added by hand' })
    const [entry] = parseCassette(text, 'a.cassette.json').entries
    expect(Object.getPrototypeOf(entry?.request.query)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(entry?.request.query, '__proto__')?.value).toEqual(['a', 'b'])
    expect(Object.getOwnPropertyDescriptor(entry?.request.headers, '__proto__')?.value).toBe('h')
    expect(Object.getOwnPropertyDescriptor(entry?.response.headers, '__proto__')?.value).toBe('x')
  })

  test('in a new recording (model output, a repeated query parameter) are written as fields', () => {
    const json = JSON.parse('{"answer":1,"__proto__":{"isAdmin":true}}') as unknown
    const query = parseQuery('?__proto__=a&__proto__=b')
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype)
    const text = serializeCassette({
      version: 1,
      entries: [{ test: 't', repeat: 0, call: 0, role: 'app', request: { method: 'GET', url: 'https://x/y', path: '/y', query, headers: {}, body: null }, response: { status: 200, headers: {}, json }, meta: { recordedAt: 'x', latencyMs: 1 } }],
    })
    expect(text).toContain('"__proto__": [\n')
    expect(text).toContain('"__proto__": {\n            "isAdmin": true')
  })

  test('leave the request key as it was (the field is not part of it)', () => {
    const withField = JSON.parse('{"__proto__":["a","b"],"constructor":"c"}') as Record<string, string | string[]>
    const base = { method: 'GET', path: '/v1/x', headers: {}, body: null }
    expect(requestKey({ ...base, query: parseQuery('?__proto__=a&__proto__=b&constructor=c') })).toBe(requestKey({ ...base, query: { constructor: 'c' } }))
    expect(requestKey({ ...base, query: withField })).toBe(requestKey({ ...base, query: { constructor: 'c' } }))
  })
})
