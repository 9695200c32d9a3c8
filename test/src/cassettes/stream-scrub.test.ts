import { describe, expect, test } from 'vitest'
import { scrubStreamChunks, streamEventChunks } from '../../../src/cassettes/stream-scrub.js'

const event = (text: string) => `data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}\n\n`

describe('scrubStreamChunks', () => {
  test('scrubs a literal the network split inside one event, cutting the stream at its events', () => {
    const text = event('account acme-4471 ok') + event('bye')
    const at = text.indexOf('acme-44') + 7
    expect(scrubStreamChunks([text.slice(0, at), text.slice(at)], [{ literal: 'acme-4471' }], [])).toEqual([event('account [REDACTED] ok'), event('bye')])
  })

  test('scrubs a literal a model split across two events', () => {
    expect(scrubStreamChunks([event('account acme-'), event('4471 ok')], [{ literal: 'acme-4471' }], []).join('')).toBe(event('account [REDACTED]') + event(' ok'))
  })

  test('leaves chunks no rule touches as received', () => {
    const chunks = [event('hel'), 'data: {"choices":[{"delta":{"content":"lo"}}]}\n', '\n']
    expect(scrubStreamChunks(chunks, [{ literal: 'acme-4471' }], [])).toEqual(chunks)
  })
})

describe('streamEventChunks', () => {
  test('cuts a streamed JSON array before each element separator and its closing bracket, whatever the network did', () => {
    const text = '[{"t":"a, [b]"}\r\n,\r\n{"t":"c\\"}"}\r\n]'
    const expected = ['[{"t":"a, [b]"}\r\n', ',\r\n{"t":"c\\"}"}\r\n', ']']
    expect(streamEventChunks([text])).toEqual(expected)
    expect(streamEventChunks([text.slice(0, 5), text.slice(5, 20), text.slice(20)])).toEqual(expected)
  })
})
