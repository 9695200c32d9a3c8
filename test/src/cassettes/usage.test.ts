import { describe, expect, test } from 'vitest'
import { usageFromJson, usageFromStream } from '../../../src/cassettes/usage.js'

describe('usageFromJson', () => {
  test('reads OpenAI chat, Responses and Anthropic usage', () => {
    expect(usageFromJson({ usage: { prompt_tokens: 5, completion_tokens: 7 } })).toEqual({ inputTokens: 5, outputTokens: 7 })
    expect(usageFromJson({ usage: { input_tokens: 3, output_tokens: 2 } })).toEqual({ inputTokens: 3, outputTokens: 2 })
    expect(usageFromJson({ type: 'response.completed', response: { usage: { input_tokens: 1, output_tokens: 9 } } })).toEqual({ inputTokens: 1, outputTokens: 9 })
    expect(usageFromJson({ data: [] })).toBeUndefined()
  })
})

describe('usageFromStream', () => {
  test('combines Anthropic message_start input with message_delta output', () => {
    const chunks = [
      'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":12,"output_tokens":1}}}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":30}}\n\n',
    ]
    expect(usageFromStream(chunks)).toEqual({ inputTokens: 12, outputTokens: 30 })
  })

  test('reads the OpenAI include_usage chunk, even when split across chunks, and skips [DONE]', () => {
    const line = 'data: {"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":6}}\n\n'
    expect(usageFromStream([line.slice(0, 20), line.slice(20), 'data: [DONE]\n\n'])).toEqual({ inputTokens: 4, outputTokens: 6 })
  })
})
