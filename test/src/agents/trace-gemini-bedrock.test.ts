import { describe, expect, test } from 'vitest'
import { traceFromExchanges, type TraceExchange } from '../../../src/agents/trace-exchanges.js'

const GEMINI_PATH = '/v1beta/models/gemini-2.5-flash:generateContent'
const lookup = { functionCall: { name: 'lookup_order', args: { orderId: '123' } } }

/** Gemini's two calls of an agent: a function call, then the answer once the app sent the result back. */
function geminiAgent(): TraceExchange[] {
  const ask = { role: 'user', parts: [{ text: 'Where is order 123?' }] }
  return [
    {
      request: { path: GEMINI_PATH, body: { contents: [ask] } },
      response: { status: 200, json: { candidates: [{ content: { role: 'model', parts: [lookup] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 5, thoughtsTokenCount: 7 }, modelVersion: 'gemini-2.5-flash' } },
    },
    {
      request: {
        path: GEMINI_PATH,
        body: { contents: [ask, { role: 'model', parts: [lookup] }, { role: 'user', parts: [{ functionResponse: { name: 'lookup_order', response: { output: { status: 'shipped' } } } }] }] },
      },
      response: { status: 200, json: { candidates: [{ content: { role: 'model', parts: [{ text: 'Thinking…', thought: true }, { text: 'It has shipped.' }] } }], usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 6 } } },
    },
  ]
}

describe('traces of Gemini / Vertex AI calls', () => {
  test('function calls become tool calls; a functionResponse without id answers the call of the same name before it', () => {
    const trace = traceFromExchanges(geminiAgent())
    expect(trace.toolCalls).toEqual([{ name: 'lookup_order', args: { orderId: '123' }, result: { status: 'shipped' } }])
    expect(trace.output).toBe('It has shipped.')
    expect(trace.steps.map((step) => [step.provider, step.model])).toEqual([
      ['gemini', 'gemini-2.5-flash'],
      ['gemini', 'gemini-2.5-flash'],
    ])
    // Thinking tokens are output tokens.
    expect(trace.usage).toEqual({ inputTokens: 60, outputTokens: 18 })
  })

  test('calls with ids are answered by id, and a response { error } is an error', () => {
    const call = { functionCall: { id: 'c1', name: 'refund', args: { amount: 5 } } }
    const trace = traceFromExchanges([
      { request: { path: GEMINI_PATH, body: { contents: [] } }, response: { status: 200, json: { candidates: [{ content: { parts: [call] } }] } } },
      {
        request: { path: GEMINI_PATH, body: { contents: [{ role: 'model', parts: [call] }, { role: 'user', parts: [{ functionResponse: { id: 'c1', name: 'refund', response: { error: 'card expired' } } }] }] } },
        response: { status: 200, json: { candidates: [{ content: { parts: [{ text: 'Sorry.' }] } }] } },
      },
    ])
    expect(trace.toolCalls).toEqual([{ id: 'c1', name: 'refund', args: { amount: 5 }, error: 'card expired' }])
  })

  test('a streamed response (SSE, alt=sse) is put back together: text joined, calls kept, the last usage', () => {
    const chunk = (body: object) => `data: ${JSON.stringify(body)}\r\n\r\n`
    const chunks = [
      chunk({ candidates: [{ content: { role: 'model', parts: [{ text: 'It has ' }] } }], modelVersion: 'gemini-2.5-pro' }),
      chunk({ candidates: [{ content: { role: 'model', parts: [{ text: 'shipped.' }] } }] }),
      chunk({ candidates: [{ content: { role: 'model', parts: [lookup] } }], usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 4 } }),
    ]
    const trace = traceFromExchanges([{ request: { path: '/v1beta/models/gemini-2.5-pro:streamGenerateContent', body: { contents: [] } }, response: { status: 200, chunks } }])
    expect(trace.steps[0]).toMatchObject({ provider: 'gemini', model: 'gemini-2.5-pro', text: 'It has shipped.', usage: { inputTokens: 9, outputTokens: 4 } })
    expect(trace.toolCalls).toEqual([{ name: 'lookup_order', args: { orderId: '123' } }])
  })

  test('a stream written as one JSON array (REST without alt=sse) reads the same', () => {
    const text = JSON.stringify([{ candidates: [{ content: { parts: [{ text: 'Hel' }] } }] }, { candidates: [{ content: { parts: [{ text: 'lo' }] } }] }], null, 2)
    const chunks = [text.slice(0, 40), text.slice(40)]
    const trace = traceFromExchanges([{ request: { path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent', body: { contents: [] } }, response: { status: 200, chunks } }])
    expect(trace.output).toBe('Hello')
    expect(trace.steps[0]?.model).toBe('gemini-2.5-flash')
  })
})

describe('traces of Bedrock Converse calls', () => {
  const path = '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse'
  const use = { toolUse: { toolUseId: 'tooluse_1', name: 'lookup_order', input: { orderId: '123' } } }
  test('toolUse blocks become tool calls, answered by toolResult blocks by id (json or text content, error status)', () => {
    const ask = { role: 'user', content: [{ text: 'Where is order 123?' }] }
    const trace = traceFromExchanges([
      {
        request: { path, body: { messages: [ask] } },
        response: { status: 200, json: { output: { message: { role: 'assistant', content: [{ text: 'Let me look.' }, use, { toolUse: { toolUseId: 'tooluse_2', name: 'eta', input: {} } }] } }, stopReason: 'tool_use', usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 } } },
      },
      {
        request: {
          path,
          body: {
            messages: [
              ask,
              { role: 'assistant', content: [use] },
              { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ json: { status: 'shipped' } }] } }, { toolResult: { toolUseId: 'tooluse_2', content: [{ text: 'carrier down' }], status: 'error' } }] },
            ],
          },
        },
        response: { status: 200, json: { output: { message: { role: 'assistant', content: [{ text: 'It has shipped.' }] } }, usage: { inputTokens: 50, outputTokens: 5 } } },
      },
    ])
    expect(trace.toolCalls).toEqual([
      { id: 'tooluse_1', name: 'lookup_order', args: { orderId: '123' }, result: { status: 'shipped' } },
      { id: 'tooluse_2', name: 'eta', args: {}, error: 'carrier down' },
    ])
    expect(trace.steps.map((step) => [step.provider, step.model, step.text])).toEqual([
      ['bedrock', 'anthropic.claude-3-5-haiku-20241022-v1:0', 'Let me look.'],
      ['bedrock', 'anthropic.claude-3-5-haiku-20241022-v1:0', 'It has shipped.'],
    ])
    expect(trace.usage).toEqual({ inputTokens: 80, outputTokens: 17 })
  })
})

describe('traceOf on the SDKs\' own results', () => {
  test('a @google/genai GenerateContentResponse and a Bedrock ConverseCommandOutput read as one step each', async () => {
    const { GenerateContentResponse } = await import('@google/genai')
    const { traceOf } = await import('../../../src/agents/trace-of.js')
    const gemini = Object.assign(new GenerateContentResponse(), { candidates: [{ content: { role: 'model', parts: [lookup] } }], modelVersion: 'gemini-2.5-flash' })
    expect(traceOf(gemini).toolCalls).toEqual([{ name: 'lookup_order', args: { orderId: '123' } }])
    const bedrock = { $metadata: { httpStatusCode: 200 }, output: { message: { role: 'assistant', content: [{ text: 'Done.' }] } }, stopReason: 'end_turn', usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 } }
    expect(traceOf(bedrock)).toMatchObject({ output: 'Done.', usage: { inputTokens: 3, outputTokens: 1 } })
  })
})
