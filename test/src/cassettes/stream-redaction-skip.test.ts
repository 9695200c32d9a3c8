// Regression (review repro rside, scrub-cost/quadratic-scrub): a literal `redact` rule made every stream be parsed
// event by event, even one that cannot spell the value; the cut walked every piece for every match.
import { afterEach, expect, test, vi } from 'vitest'
import { redactStreamChunks } from '../../../src/cassettes/stream-redaction.js'

const event = (text: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\n`

afterEach(() => {
  vi.restoreAllMocks()
})

test('a stream that cannot spell the value is returned as received without parsing its events', () => {
  const chunks = Array.from({ length: 200 }, (_, index) => event(`word${index} `))
  const parse = vi.spyOn(JSON, 'parse')
  expect(redactStreamChunks(chunks, ['acme-4471'])).toEqual(chunks)
  expect(parse).not.toHaveBeenCalled()
})

test('a value split across events, or spelled through \\u escapes, is still cut out', () => {
  expect(redactStreamChunks([event('key acme-'), event('4471 end')], ['acme-4471']).join('')).toBe(event('key [REDACTED]') + event(' end'))
  expect(redactStreamChunks([event('a'), event('cme-44'), event('71!')], ['acme-4471']).join('')).toBe(event('[REDACTED]') + event('') + event('!'))
  const escaped = 'data: {"t":"x \\u0061cme-"}\n\ndata: {"t":"4471 y"}\n\n'
  expect(redactStreamChunks([escaped], ['acme-4471']).join('')).toBe('data: {"t":"x [REDACTED]"}\n\ndata: {"t":" y"}\n\n')
})

test('many split occurrences and several values are each cut once, longest first', () => {
  const chunks: string[] = []
  for (let index = 0; index < 2_000; index++) chunks.push(event(' acme-'), event('4471'))
  const out = redactStreamChunks(chunks, ['acme', 'acme-4471']).join('')
  expect(out.split('[REDACTED]').length - 1).toBe(2_000)
  expect(out).not.toContain('4471')
  expect(redactStreamChunks([event('acme acme-4471')], ['acme', 'acme-4471']).join('')).toBe(event('[REDACTED] [REDACTED]'))
})
