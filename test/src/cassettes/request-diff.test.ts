import { describe, expect, test } from 'vitest'
import type { CanonicalRequest } from '../../../src/cassettes/canonical.js'
import { differenceWindow, diffRequests, nearestRequest } from '../../../src/cassettes/request-diff.js'

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

  test('a field named like what objects inherit (`constructor`, `toString`) that one side lacks is absent there, not `null`', () => {
    expect(diffRequests(request({ constructor: 'x', a: 1 }), request({ a: 1, toString: 'y' }))).toEqual([
      { path: 'body.constructor', recorded: '"x"', received: '(absent)' },
      { path: 'body.toString', recorded: '(absent)', received: '"y"' },
    ])
  })

  test('long values that differ past the point where they would be cut are shown as windows around the difference', () => {
    const prompt = (days: string) => `${'Be kind. '.repeat(400)}Refunds within ${days} days.`
    const [difference] = diffRequests(request({ system: prompt('30') }), request({ system: prompt('45') }))
    expect(difference).toEqual({
      path: 'body.system',
      recorded: '…kind. Be kind. Refunds within [-30-] days.',
      received: '…kind. Be kind. Refunds within {+45+} days.',
      window: { same: 3615, recordedLength: 3623, receivedLength: 3623, json: false },
    })
  })

  test('ignores volatile fields', () => {
    expect(diffRequests(request({ model: 'm', user: 'a' }), request({ model: 'm', user: 'b' }))).toEqual([])
  })
})

describe('differenceWindow', () => {
  test('cuts a long differing part, and marks cuts with …', () => {
    expect(differenceWindow(`start ${'a'.repeat(100)} end`, `start ${'b'.repeat(100)} end`)).toEqual({
      recorded: `start [-${'a'.repeat(40)}…-]`,
      received: `start {+${'b'.repeat(40)}…+}`,
      window: { same: 6, recordedLength: 110, receivedLength: 110, json: false },
    })
  })

  test('compares a string with another type as JSON, from the start; line breaks stay escaped', () => {
    expect(differenceWindow('line one\nline two', [{ type: 'text', text: 'line one\nline two' }])).toEqual({
      recorded: '[-"line one\\nline two"-]',
      received: '{+[{"text":"line one\\nline two","type":"te…+}',
      window: { same: 0, recordedLength: 20, receivedLength: 45, json: true },
    })
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
