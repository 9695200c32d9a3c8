import { describe, expect, test } from 'vitest'
import { redactStreamChunks } from '../../../src/cassettes/stream-redaction.js'
import { streamTexts } from '../../../src/cassettes/stream-text.js'

const event = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`
const token = 'ghp_' + 'Zx9'.repeat(12)

describe('redactStreamChunks', () => {
  test('cuts a value split across events out of every event it spans, the marker in the first', () => {
    const chunks = [event('Your token is '), event(token.slice(0, 10)), event(token.slice(10, 30)), event(token.slice(30) + ', keep it.'), 'data: [DONE]\n\n']
    const redacted = redactStreamChunks(chunks, [token])
    expect(streamTexts(redacted)).toContain('Your token is [REDACTED], keep it.')
    expect(redacted.join('')).not.toContain(token.slice(10, 30))
    expect(redacted).toEqual([event('Your token is '), event('[REDACTED]'), event(''), event(', keep it.'), 'data: [DONE]\n\n'])
  })

  test('handles several occurrences, events split across network chunks, and CRLF lines', () => {
    const text = `${event(`a ${token.slice(0, 5)}`)}${event(`${token.slice(5)} b ${token}`)}`.replaceAll('\n', '\r\n')
    const redacted = redactStreamChunks([text.slice(0, 17), text.slice(17, 60), text.slice(60)], [token])
    expect(streamTexts(redacted)).toContain('a [REDACTED] b [REDACTED]')
    expect(redacted.every((chunk) => chunk.endsWith('\r\n\r\n'))).toBe(true)
  })

  test('leaves the chunks as they were when no value is in the stream', () => {
    const chunks = ['data: {"choices":[{"delta":{"con', 'tent":"hello"}}]}\n\n', 'event: ping\n', 'data: [DONE]\n\n']
    expect(redactStreamChunks(chunks, [token])).toEqual(chunks)
  })
})
