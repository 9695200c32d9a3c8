// traceOf on what the real SDKs return, talking to the scripted OpenAI/Anthropic stand-in: the openai and
// @anthropic-ai/sdk clients (plain and streamed), and the AI SDK (`ai` with @ai-sdk/openai and
// @ai-sdk/anthropic) running a tool loop.
import { createAnthropic } from '@ai-sdk/anthropic'
import { createOpenAI } from '@ai-sdk/openai'
import Anthropic from '@anthropic-ai/sdk'
import { generateText, isStepCount, streamText, tool } from 'ai'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { traceOf } from '../../../src/agents/trace-of.js'
import { startModelServer, type ModelServer } from '../../support/model-server.js'
import { registerMatchers } from '../../matchers/support.js'

registerMatchers()

let server: ModelServer
beforeAll(async () => {
  server = await startModelServer({ sseGapMs: 0 })
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const parallel = [
  { name: 'lookup_order', arguments: { orderId: '123' } },
  { name: 'check_policy', arguments: { topic: 'refunds' } },
]
const expectedCalls = [
  { name: 'lookup_order', args: { orderId: '123' } },
  { name: 'check_policy', args: { topic: 'refunds' } },
]
const chatTools = ['lookup_order', 'check_policy'].map((name) => ({ type: 'function' as const, function: { name, parameters: { type: 'object', properties: {} } } }))

describe('openai: chat completions', () => {
  const client = () => new OpenAI({ apiKey: 'sk-test', baseURL: server.openaiBaseURL, maxRetries: 0 })

  test('a completion with parallel tool calls, then the run as a message history with the results', async () => {
    server.enqueue({ toolCall: parallel })
    server.enqueue({ content: 'Refund issued.' })
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'refund order 123' }]
    const first = await client().chat.completions.create({ model: 'gpt-4o-mini', messages, tools: chatTools })
    expect(traceOf(first).toolCalls).toMatchObject(expectedCalls)
    const message = first.choices[0]!.message
    messages.push(message, ...(message.tool_calls ?? []).map((call) => ({ role: 'tool' as const, tool_call_id: call.id, content: JSON.stringify({ ok: call.id }) })))
    const second = await client().chat.completions.create({ model: 'gpt-4o-mini', messages, tools: chatTools })
    messages.push(second.choices[0]!.message)
    const trace = traceOf(messages)
    expect(trace.toolCalls).toEqual(expectedCalls.map((call, index) => ({ ...call, id: `call_000001_${index}`, result: { ok: `call_000001_${index}` } })))
    expect(trace.output).toBe('Refund issued.')
    await expect(messages).toCallTools(['lookup_order', 'check_policy'], { mode: 'strict' })
  })

  test('streamed with the stream helper: the final completion', async () => {
    server.enqueue({ toolCall: parallel })
    const final = await client().chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'refund' }], tools: chatTools }).finalChatCompletion()
    expect(traceOf(final).toolCalls).toMatchObject(expectedCalls)
  })
})

describe('openai: Responses API', () => {
  const client = () => new OpenAI({ apiKey: 'sk-test', baseURL: server.openaiBaseURL, maxRetries: 0 })
  const tools = ['lookup_order', 'check_policy'].map((name) => ({ type: 'function' as const, name, strict: false, parameters: { type: 'object', properties: {} } }))

  test('plain and streamed (finalResponse)', async () => {
    server.enqueue({ toolCall: parallel, times: 2 })
    const plain = await client().responses.create({ model: 'gpt-4.1-mini', input: 'refund 123', tools })
    await expect(plain).toCallTools(expectedCalls)
    const final = await client().responses.stream({ model: 'gpt-4.1-mini', input: 'refund 123', tools }).finalResponse()
    expect(traceOf(final).toolCalls).toMatchObject(expectedCalls)
  })
})

describe('@anthropic-ai/sdk: messages', () => {
  const client = () => new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.anthropicBaseURL, maxRetries: 0 })
  const tools = ['lookup_order', 'check_policy'].map((name) => ({ name, input_schema: { type: 'object' as const, properties: {} } }))
  const ask = { model: 'claude-haiku-4-5', max_tokens: 200, messages: [{ role: 'user' as const, content: 'refund 123' }], tools }

  test('plain and streamed (finalMessage), text before the tool_use blocks', async () => {
    server.enqueue({ content: 'Checking.', toolCall: parallel, times: 2 })
    const plain = await client().messages.create(ask)
    expect(traceOf(plain)).toMatchObject({ toolCalls: expectedCalls, output: 'Checking.' })
    const final = await client().messages.stream(ask).finalMessage()
    expect(traceOf(final)).toMatchObject({ toolCalls: expectedCalls, output: 'Checking.' })
  })

  test('malformed tool input is kept as text with argsError; a matcher on its args fails, not throws', async () => {
    server.enqueue({ toolCall: { name: 'lookup_order', arguments: '{"orderId": "12' } })
    const trace = traceOf(await client().messages.create(ask))
    expect(trace.toolCalls[0]).toMatchObject({ name: 'lookup_order', args: '{"orderId": "12', argsError: expect.any(String) })
    await expect(trace).not.toCallTool('lookup_order', { args: { orderId: '123' } })
  })
})

describe('ai: generateText and streamText tool loops', () => {
  const tools = {
    lookup_order: tool({ inputSchema: z.object({ orderId: z.string() }), execute: async ({ orderId }) => ({ orderId, status: 'delivered' }) }),
    check_policy: tool({
      inputSchema: z.object({ topic: z.string() }),
      execute: async (): Promise<{ refundable: boolean }> => {
        throw new Error('policy service down')
      },
    }),
  }

  test('@ai-sdk/openai (chat): every step, results and tool errors', async () => {
    server.enqueue({ path: '/v1/chat/completions', toolCall: parallel })
    server.enqueue({ path: '/v1/chat/completions', content: 'Refund issued.' })
    const openai = createOpenAI({ apiKey: 'sk-test', baseURL: server.openaiBaseURL })
    const result = await generateText({ model: openai.chat('gpt-4o-mini'), tools, stopWhen: isStepCount(3), prompt: 'refund order 123' })
    const trace = traceOf(result)
    expect(trace.steps.map((step) => [step.provider, step.model, step.toolCalls.length])).toEqual([['ai-sdk', 'gpt-4o-mini', 2], ['ai-sdk', 'gpt-4o-mini', 0]])
    expect(trace.toolCalls).toMatchObject([
      { ...expectedCalls[0], result: { orderId: '123', status: 'delivered' } },
      { ...expectedCalls[1], error: 'policy service down' },
    ])
    expect(trace.output).toBe('Refund issued.')
    await expect(result).toCallTool('lookup_order', { args: { orderId: '123' }, times: 1 })
  })

  test('@ai-sdk/openai (Responses) streamed: pass `await result.steps`', async () => {
    server.enqueue({ path: '/v1/responses', toolCall: parallel[0] })
    server.enqueue({ path: '/v1/responses', content: 'Done.' })
    const openai = createOpenAI({ apiKey: 'sk-test', baseURL: server.openaiBaseURL })
    const result = streamText({ model: openai('gpt-4.1-mini'), tools, stopWhen: isStepCount(3), prompt: 'refund order 123' })
    await result.consumeStream()
    expect(() => traceOf(result)).toThrow(/await result.steps/)
    const trace = traceOf(await result.steps)
    expect(trace).toMatchObject({ toolCalls: [{ ...expectedCalls[0], result: { status: 'delivered' } }], output: 'Done.' })
  })

  test('@ai-sdk/anthropic', async () => {
    server.enqueue({ path: '/v1/messages', toolCall: parallel })
    server.enqueue({ path: '/v1/messages', content: 'All set.' })
    const anthropic = createAnthropic({ apiKey: 'sk-ant-test', baseURL: `${server.anthropicBaseURL}/v1` })
    const result = await generateText({ model: anthropic('claude-haiku-4-5'), tools, stopWhen: isStepCount(3), prompt: 'refund order 123' })
    await expect(result).toCallTools(expectedCalls, { mode: 'strict' })
    expect(traceOf(result).output).toBe('All set.')
  })
})
