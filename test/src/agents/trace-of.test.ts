import { describe, expect, test } from 'vitest'
import { traceOf } from '../../../src/agents/trace-of.js'
import { traceFromExchanges } from '../../../src/agents/trace-exchanges.js'
import { anthropicMessage, anthropicStream, chatCompletion, chatCompletionStream, chatTextStream, responsesResponse, responsesStream, responsesStreamCut } from './wire-shapes.js'

const parallelWeather = [
  { id: 'call_abc', name: 'get_weather', args: { location: 'Paris, France' } },
  { id: 'call_def', name: 'get_weather', args: { location: 'Bogotá, Colombia' } },
]
const ok = (response: { json?: unknown; chunks?: string[] }, body: unknown = {}) => ({ request: { body }, response: { status: 200, ...response } })

describe('traceOf: OpenAI chat completions', () => {
  test('reads parallel tool calls in the order the model listed them, with model and usage', () => {
    expect(traceOf(chatCompletion)).toEqual({
      steps: [{ provider: 'openai-chat', model: 'gpt-4o-2024-08-06', text: '', toolCalls: parallelWeather, usage: { inputTokens: 82, outputTokens: 17 } }],
      toolCalls: parallelWeather,
      output: '',
      usage: { inputTokens: 82, outputTokens: 17 },
    })
  })

  test('streamed: argument deltas joined by index, usage from the final chunk', () => {
    const trace = traceFromExchanges([ok({ chunks: chatCompletionStream })])
    expect(trace.toolCalls).toEqual(parallelWeather)
    expect(trace.steps[0]).toMatchObject({ provider: 'openai-chat', model: 'gpt-4o-2024-08-06', usage: { inputTokens: 82, outputTokens: 17 } })
  })

  test('streamed text is joined', () => {
    expect(traceFromExchanges([ok({ chunks: chatTextStream })]).output).toBe('It is 18 °C in Paris.')
  })

  test('arguments that are not valid JSON are kept as text with argsError', () => {
    const broken = structuredClone(chatCompletion)
    broken.choices[0]!.message.tool_calls[1]!.function.arguments = '{"location": "Bog'
    const [first, second] = traceOf(broken).toolCalls
    expect(first).toEqual(parallelWeather[0])
    expect(second).toEqual({ id: 'call_def', name: 'get_weather', args: '{"location": "Bog', argsError: expect.stringMatching(/JSON/) })
  })

  test('compatible servers that leave out the delta index still get one call per id', () => {
    const stream = [
      'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"id":"a","function":{"name":"one","arguments":"{\\"x\\":"}}]}}]}\n\n',
      'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"1}"}}]}}]}\n\n',
      'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"id":"b","function":{"name":"two","arguments":"{}"}}]}}]}\n\n',
    ]
    expect(traceFromExchanges([ok({ chunks: stream })]).toolCalls).toEqual([
      { id: 'a', name: 'one', args: { x: 1 } },
      { id: 'b', name: 'two', args: {} },
    ])
  })
})

describe('traceOf: OpenAI Responses API', () => {
  const call = { id: 'call_12345xyz', name: 'get_weather', args: { location: 'Paris, France' } }

  test('reads function_call output items by call_id', () => {
    expect(traceOf(responsesResponse)).toMatchObject({ steps: [{ provider: 'openai-responses', model: 'gpt-4.1-2025-04-14', usage: { inputTokens: 291, outputTokens: 23 } }], toolCalls: [call] })
  })

  test('streamed: the completed response; a stream cut before it: the call built from its deltas', () => {
    expect(traceFromExchanges([ok({ chunks: responsesStream })]).toolCalls).toEqual([call])
    expect(traceFromExchanges([ok({ chunks: responsesStreamCut })]).toolCalls).toEqual([call])
  })
})

describe('traceOf: Anthropic messages', () => {
  const calls = [
    { id: 'toolu_01A09q90qw90lq917835lq9', name: 'lookup_order', args: { orderId: '123' } },
    { id: 'toolu_01B', name: 'lookup_customer', args: { email: 'ada@example.com' } },
  ]

  test('reads tool_use blocks in order and the text blocks', () => {
    expect(traceOf(anthropicMessage)).toEqual({
      steps: [{ provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', text: 'I will look up the order and the customer.', toolCalls: calls, usage: { inputTokens: 472, outputTokens: 91 } }],
      toolCalls: calls,
      output: 'I will look up the order and the customer.',
      usage: { inputTokens: 472, outputTokens: 91 },
    })
  })

  test('streamed: input_json_delta pieces joined per block, usage from message_start and message_delta', () => {
    const trace = traceFromExchanges([ok({ chunks: anthropicStream })])
    expect(trace.toolCalls).toEqual(calls)
    expect(trace.steps[0]).toMatchObject({ text: 'I will look up the order and the customer.', usage: { inputTokens: 472, outputTokens: 91 } })
  })

  test('a streamed tool call with no input deltas has no arguments ({}); broken partial JSON keeps its text', () => {
    const stream = [
      'event: message_start\ndata: {"type":"message_start","message":{"type":"message","role":"assistant","model":"claude-haiku-4-5","content":[]}}\n\n',
      'data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t1","name":"now","input":{}}}\n\n',
      'data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t2","name":"search","input":{}}}\n\n',
      'data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"q\\": \\"refu"}}\n\n',
    ]
    expect(traceFromExchanges([ok({ chunks: stream })]).toolCalls).toEqual([
      { id: 't1', name: 'now', args: {} },
      { id: 't2', name: 'search', args: '{"q": "refu', argsError: expect.any(String) },
    ])
  })
})

describe('tool results from later requests', () => {
  test('OpenAI chat: role tool messages by tool_call_id (JSON text parsed, other text kept)', () => {
    const second = { messages: [{ role: 'user', content: 'weather?' }, chatCompletion.choices[0]!.message, { role: 'tool', tool_call_id: 'call_def', content: 'sunny, 24 °C' }, { role: 'tool', tool_call_id: 'call_abc', content: '{"celsius":18}' }] }
    const trace = traceFromExchanges([ok({ json: chatCompletion }, { messages: [{ role: 'user', content: 'weather?' }] }), ok({ json: { object: 'chat.completion', model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'Paris 18 °C, Bogotá 24 °C.' } }] } }, second)])
    expect(trace.toolCalls.map((call) => call.result)).toEqual([{ celsius: 18 }, 'sunny, 24 °C'])
    expect(trace.output).toBe('Paris 18 °C, Bogotá 24 °C.')
    expect(trace.steps[1]?.messages).toHaveLength(4)
  })

  test('Responses: function_call_output items by call_id (previous_response_id requests send only the outputs)', () => {
    const second = { previous_response_id: 'resp_1', input: [{ type: 'function_call_output', call_id: 'call_12345xyz', output: '{"celsius":18}' }] }
    const trace = traceFromExchanges([ok({ json: responsesResponse }, { input: 'weather in Paris?' }), ok({ json: { object: 'response', model: 'gpt-4.1', output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: '18 °C' }] }] } }, second)])
    expect(trace.toolCalls[0]?.result).toEqual({ celsius: 18 })
    expect(trace.steps[0]?.messages).toEqual([{ role: 'user', content: 'weather in Paris?' }])
    expect(trace.output).toBe('18 °C')
  })

  test('Anthropic: tool_result blocks by tool_use_id, is_error as the error', () => {
    const results = {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: [{ type: 'text', text: '{"status":"shipped"}' }] },
        { type: 'tool_result', tool_use_id: 'toolu_01B', content: 'no customer with that email', is_error: true },
      ],
    }
    const trace = traceFromExchanges([ok({ json: anthropicMessage }), ok({ json: { type: 'message', model: 'claude', content: [{ type: 'text', text: 'Shipped.' }] } }, { messages: [{ role: 'assistant', content: anthropicMessage.content }, results] })])
    expect(trace.toolCalls).toMatchObject([{ name: 'lookup_order', result: { status: 'shipped' } }, { name: 'lookup_customer', error: 'no customer with that email' }])
    expect(trace.toolCalls[1]).not.toHaveProperty('result')
  })

  test('recordTool records answer calls no message answered: by name and canonical arguments, identical calls in order', () => {
    const list = traceOf([
      { name: 'lookup_order', args: { orderId: '1', verbose: true } },
      { name: 'lookup_order', args: { orderId: '1', verbose: true } },
      { name: 'search', args: { q: 'x' }, result: 'kept' },
    ])
    const records = [
      { name: 'lookup_order', args: { verbose: true, orderId: '1' }, result: 'first' },
      { name: 'lookup_order', args: { verbose: true, orderId: '1' }, error: 'timeout' },
      { name: 'search', args: { q: 'x' }, result: 'not used: the call has one' },
      { name: 'missing', args: {}, result: 'ignored' },
    ]
    const trace = traceFromExchanges(
      [ok({ json: { object: 'chat.completion', choices: [{ index: 0, message: { content: null, tool_calls: list.toolCalls.map((call) => ({ type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } })) } }] } })],
      { toolRecords: records },
    )
    expect(trace.toolCalls.map(({ result, error }) => ({ result, error }))).toEqual([{ result: 'first', error: undefined }, { result: undefined, error: 'timeout' }, { result: 'not used: the call has one', error: undefined }])
  })

  test('API errors and non-model calls (embeddings) are no steps', () => {
    const trace = traceFromExchanges([
      { request: { body: {} }, response: { status: 429, json: { error: { message: 'slow down' } } } },
      ok({ json: { object: 'list', data: [{ embedding: [0.1] }] } }),
      ok({ json: chatCompletion }),
    ])
    expect(trace.steps).toHaveLength(1)
  })
})

describe('traceOf: other inputs', () => {
  test('a Trace is returned as is', () => {
    const trace = traceOf(chatCompletion)
    expect(traceOf(trace)).toBe(trace)
  })

  test('an array of { name, args } (arguments text parsed)', () => {
    expect(traceOf([{ name: 'a', args: { x: 1 } }, { name: 'b', arguments: '{"y":2}' }, { name: 'c' }]).toolCalls).toEqual([
      { name: 'a', args: { x: 1 } },
      { name: 'b', args: { y: 2 } },
      { name: 'c', args: {} },
    ])
  })

  test('an array of SDK results is one step each', () => {
    expect(traceOf([chatCompletion, anthropicMessage]).steps.map((step) => step.provider)).toEqual(['openai-chat', 'anthropic'])
  })

  test('an OpenAI message history: each assistant message a step, tool messages its results', () => {
    const trace = traceOf([
      { role: 'system', content: 'You are a weather bot.' },
      { role: 'user', content: 'weather?' },
      chatCompletion.choices[0]!.message,
      { role: 'tool', tool_call_id: 'call_abc', content: '{"celsius":18}' },
      { role: 'tool', tool_call_id: 'call_def', content: '{"celsius":24}' },
      { role: 'assistant', content: 'Paris 18, Bogotá 24.' },
    ])
    expect(trace.toolCalls.map((call) => [call.name, call.result])).toEqual([['get_weather', { celsius: 18 }], ['get_weather', { celsius: 24 }]])
    expect(trace.output).toBe('Paris 18, Bogotá 24.')
  })

  test('Responses items and Anthropic messages as histories', () => {
    const responses = traceOf([{ role: 'user', content: 'hi' }, responsesResponse.output[1]!, { type: 'function_call_output', call_id: 'call_12345xyz', output: 'ok' }])
    expect(responses.toolCalls).toEqual([{ id: 'call_12345xyz', name: 'get_weather', args: { location: 'Paris, France' }, result: 'ok' }])
    const anthropic = traceOf({ messages: [{ role: 'user', content: 'refund 123' }, { role: 'assistant', content: anthropicMessage.content }] })
    expect(anthropic.toolCalls.map((call) => call.name)).toEqual(['lookup_order', 'lookup_customer'])
  })

  test('AI SDK steps: toolCalls with input, toolResults with output, tool-error parts as errors', () => {
    const step = (stepNumber: number, extra: object) => ({ stepNumber, model: { provider: 'openai.chat', modelId: 'gpt-4o-mini' }, content: [], text: '', toolCalls: [], toolResults: [], usage: { inputTokens: 5, outputTokens: 2 }, ...extra })
    const trace = traceOf({
      steps: [
        step(0, {
          toolCalls: [
            { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } },
            { type: 'tool-call', toolCallId: 'c2', toolName: 'weather', input: '{"city":', invalid: true, dynamic: true, error: new Error('bad input') },
          ],
          toolResults: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' }, output: { celsius: 18 } }],
          content: [{ type: 'tool-error', toolCallId: 'c2', toolName: 'weather', error: new Error('Invalid input for tool weather') }],
        }),
        step(1, { text: 'It is 18 °C.' }),
      ],
    })
    expect(trace.toolCalls).toEqual([
      { id: 'c1', name: 'weather', args: { city: 'Paris' }, result: { celsius: 18 } },
      { id: 'c2', name: 'weather', args: '{"city":', argsError: expect.any(String), error: 'Invalid input for tool weather' },
    ])
    expect(trace).toMatchObject({ output: 'It is 18 °C.', usage: { inputTokens: 10, outputTokens: 4 } })
  })

  test('a streamText result (steps still a promise) is a clear error saying what to pass', () => {
    expect(() => traceOf({ steps: Promise.resolve([]), text: Promise.resolve('') })).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: [vitest-llm-evals] traceOf() got a streamText result, whose steps are still a promise: pass the awaited steps, \`traceOf(await result.steps)\`, once the stream is consumed.]`,
    )
  })

  test('anything else is a ConfigError listing what it reads', () => {
    expect(() => traceOf({ answer: 'Paris' })).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: [vitest-llm-evals] traceOf() cannot read an object with keys \`answer\`. It reads a Trace (testTrace()), an OpenAI ChatCompletion or Response, an Anthropic Message, a Gemini GenerateContentResponse, a Bedrock Converse output, the AI SDK generateText result (for streamText: \`await result.steps\`), a message history, a Conversation, or an array of { name, args }.]`,
    )
    expect(() => traceOf('Paris' as never)).toThrow(/cannot read a string/)
    expect(() => traceOf(undefined as never)).toThrow(/cannot read undefined\./)
    expect(() => traceOf(Promise.resolve({}) as never)).toThrow(/cannot read a Promise \(await the agent's result first/)
    expect(() => traceOf([chatCompletion, { answer: 1 }])).toThrow(/at index 1 of the array/)
  })

  test('a conversation: its turns’ traces merged, its output the last answer', () => {
    const trace = traceOf({
      turns: [
        { user: 'refund 123', assistant: 'Looking.', trace: traceOf([{ name: 'lookup_order', args: { orderId: '123' } }]) },
        { user: 'thanks', assistant: 'Refund issued.', trace: traceOf([{ name: 'issue_refund', args: {} }]) },
      ],
      messages: [],
      ended: { reason: 'script-done', turns: 2 },
    })
    expect(trace.toolCalls.map((call) => call.name)).toEqual(['lookup_order', 'issue_refund'])
    expect(trace.output).toBe('Refund issued.')
  })
})
