import { describe, expect, test } from 'vitest'
import type { CanonicalRequest } from '../../../src/cassettes/canonical.js'
import { diffRequests, nearestRequest } from '../../../src/cassettes/request-diff.js'

const request = (body: unknown, path = '/v1/chat/completions'): CanonicalRequest => ({ method: 'POST', path, query: {}, headers: {}, body })

describe('diffRequests', () => {
  test('names each differing path with both values', () => {
    const recorded = request({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] })
    const received = request({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }], temperature: 0 })
    expect(diffRequests(recorded, received)).toEqual([
      { path: 'body.model', recorded: '"gpt-4o"', received: '"gpt-4.1"' },
      { path: 'body.messages[0].content', recorded: '"Hello"', received: '"Hi"' },
      { path: 'body.temperature', recorded: '(absent)', received: '0' },
    ])
  })

  test('ignores volatile fields', () => {
    expect(diffRequests(request({ model: 'm', user: 'a' }), request({ model: 'm', user: 'b' }))).toEqual([])
  })
})

describe('nearestRequest', () => {
  test('picks the candidate of the same method and path with the fewest differences', () => {
    const candidates = [
      { id: 1, request: request({ model: 'a', messages: ['x', 'y'] }) },
      { id: 2, request: request({ model: 'b', messages: ['x', 'z'] }) },
      { id: 3, request: request({ model: 'b', messages: ['x', 'z'] }, '/v1/embeddings') },
    ]
    const found = nearestRequest(candidates, request({ model: 'b', messages: ['x', 'y'] }))
    expect(found?.candidate.id).toBe(1)
    expect(found?.differences).toHaveLength(1)
    expect(nearestRequest(candidates, request({}, '/v1/responses'))).toBeUndefined()
  })
})
