import { describe, expect, test } from 'vitest'
import { streamTexts } from '../../../src/cassettes/stream-text.js'

describe('streamTexts', () => {
  test('joins each field of the events in order, whatever the array position', () => {
    const chunks = [
      'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"your key is gate"}}]}\n\ndata: {"id":"c1","choices":[{"index":0,"delta":',
      '{"content":"way-7d1c9e"}}]}\n\n',
      'data: [DONE]\n\n',
    ]
    expect(streamTexts(chunks)).toContain('your key is gateway-7d1c9e')
  })

  test("joins Anthropic's text and tool-input deltas, and keeps what is not JSON", () => {
    const chunks = [
      'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"input_json_delta","partial_json":"{\\"k\\": \\"ab"}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"input_json_delta","partial_json":"cd\\"}"}}\n\n',
    ]
    const texts = streamTexts(chunks)
    expect(texts).toContain('{"k": "abcd"}')
    expect(texts.at(-1)).toBe('event: content_block_deltaevent: content_block_delta')
  })
})
