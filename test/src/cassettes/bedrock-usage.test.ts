import { describe, expect, test } from 'vitest'
import { usageFromEvents, usageFromHeaders } from '../../../src/cassettes/bedrock-usage.js'
import { usageFromJson } from '../../../src/cassettes/usage.js'

const headers = (type: string) => ({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' })

describe('Bedrock usage', () => {
  test("Converse's camelCase usage, and Amazon Nova's InvokeModel body", () => {
    expect(usageFromJson({ output: { message: {} }, usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 } })).toEqual({ inputTokens: 12, outputTokens: 5 })
  })

  test("InvokeModel's token count headers, for models whose body has no usage (Llama, Mistral, Titan)", () => {
    expect(usageFromHeaders({ 'content-type': 'application/json', 'x-amzn-bedrock-input-token-count': '31', 'x-amzn-bedrock-output-token-count': '7' })).toEqual({ inputTokens: 31, outputTokens: 7 })
    expect(usageFromHeaders({ 'x-amzn-bedrock-input-token-count': 'n/a' })).toBeUndefined()
    expect(usageFromHeaders({})).toBeUndefined()
  })

  test('a stream of base64 chunks still not decoded (kept as stored) is read through its bytes', () => {
    const metrics = { type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 40, outputTokenCount: 9 } }
    const encoded = { headers: headers('chunk'), json: { bytes: Buffer.from(JSON.stringify(metrics)).toString('base64') } }
    expect(usageFromEvents([encoded])).toEqual({ inputTokens: 40, outputTokens: 9 })
  })

  test("Bedrock's invocation metrics win over the model's own counts; events without usage give none", () => {
    const start = { headers: headers('chunk'), json: { bytes: { type: 'message_start', message: { usage: { input_tokens: 10, output_tokens: 1 } } } }, bytesJson: true as const }
    const delta = { headers: headers('chunk'), json: { bytes: { type: 'message_delta', usage: { output_tokens: 6 } } }, bytesJson: true as const }
    const stop = { headers: headers('chunk'), json: { bytes: { type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 11, outputTokenCount: 6 } } }, bytesJson: true as const }
    expect(usageFromEvents([start, delta])).toEqual({ inputTokens: 10, outputTokens: 6 })
    expect(usageFromEvents([start, delta, stop])).toEqual({ inputTokens: 11, outputTokens: 6 })
    expect(usageFromEvents([{ headers: headers('messageStart'), json: { role: 'assistant' } }, { headers: headers('x'), text: 'not json' }])).toBeUndefined()
  })
})
