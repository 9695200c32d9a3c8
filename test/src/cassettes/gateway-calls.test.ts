import { describe, expect, test } from 'vitest'
import { KEY_HEADERS, requestKey } from '../../../src/cassettes/canonical.js'
import { requestModel } from '../../../src/cassettes/request-model.js'
import { usageFromJson, usageFromStream } from '../../../src/cassettes/usage.js'

// The Vercel AI Gateway (`@ai-sdk/gateway`): the body is the AI SDK's call options, the model and the
// streaming flag are headers, the usage is the AI SDK's own shape.
const body = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }] }
const call = (model: string, streaming = 'false') => ({
  method: 'POST',
  path: '/v4/ai/language-model',
  query: {},
  headers: { 'ai-language-model-id': model, 'ai-language-model-streaming': streaming },
  body,
})
const usage = { inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } }

describe('AI Gateway calls', () => {
  test('the model and streaming headers are in the key: another model or a stream is another recording', () => {
    expect(KEY_HEADERS).toEqual(expect.arrayContaining(['ai-language-model-id', 'ai-language-model-streaming']))
    expect(requestKey(call('openai/gpt-4o-mini'))).not.toBe(requestKey(call('anthropic/claude-haiku-4-5')))
    expect(requestKey(call('openai/gpt-4o-mini'))).not.toBe(requestKey(call('openai/gpt-4o-mini', 'true')))
    expect(requestKey(call('openai/gpt-4o-mini'))).toBe(requestKey(call('openai/gpt-4o-mini')))
  })

  test('the model of a call is read from its header', () => {
    expect(requestModel(call('openai/gpt-4o-mini'))).toBe('openai/gpt-4o-mini')
    expect(requestModel({ path: '/v4/ai/language-model', body, headers: {} })).toBeUndefined()
  })

  test('usage is read from a generate result and from the finish part of a stream', () => {
    expect(usageFromJson({ content: [], usage })).toEqual({ inputTokens: 12, outputTokens: 5 })
    expect(usageFromStream([`data: {"type":"text-delta","id":"0","delta":"hi"}\n\n`, `data: ${JSON.stringify({ type: 'finish', usage })}\n\n`])).toEqual({ inputTokens: 12, outputTokens: 5 })
  })
})
