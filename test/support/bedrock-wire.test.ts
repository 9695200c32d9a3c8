import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from './model-server.js'

const MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0'
const credentials = { accessKeyId: 'AKIAWIRETEST00000001', secretAccessKey: 'wire-test-secret-access-key-000000000000', sessionToken: 'wire-test-session-token' }
let server: ModelServer
let client: BedrockRuntimeClient

beforeAll(async () => {
  server = await startModelServer()
  // The client's default handler speaks HTTP/2 (cassettes bridge it to fetch); the scripted server speaks HTTP/1.1.
  client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 1, requestHandler: new NodeHttpHandler() })
})
afterAll(async () => {
  client.destroy()
  await server.close()
})
beforeEach(() => server.reset())

const ask = (text: string) => ({ modelId: MODEL, messages: [{ role: 'user' as const, content: [{ text }] }] })

describe('the scripted Bedrock runtime', () => {
  test('Converse: the echoed answer, stop reason and usage, to a SigV4-signed request on the model path', async () => {
    const reply = await client.send(new ConverseCommand(ask('hello bedrock')))
    expect(reply.output?.message?.content).toEqual([{ text: 'echo #1: hello bedrock' }])
    expect(reply.stopReason).toBe('end_turn')
    expect(reply.usage).toEqual({ inputTokens: 2, outputTokens: 4, totalTokens: 6 })
    const [request] = server.requests
    expect(request?.path).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse')
    expect(request?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAWIRETEST00000001\/\d{8}\/us-east-1\/bedrock\/aws4_request/)
    expect(request?.headers['x-amz-security-token']).toBe('wire-test-session-token')
  })

  test('Converse: a scripted tool call comes back as a toolUse block', async () => {
    server.enqueue({ toolCall: { name: 'lookup_order', arguments: { id: 42 }, id: 'tooluse_1' } })
    const reply = await client.send(new ConverseCommand(ask('where is my order')))
    expect(reply.output?.message?.content).toEqual([{ toolUse: { toolUseId: 'tooluse_1', name: 'lookup_order', input: { id: 42 } } }])
    expect(reply.stopReason).toBe('tool_use')
  })

  test('ConverseStream: messageStart, several deltas, messageStop and metadata with usage, as events', async () => {
    server.enqueue({ content: 'Paris is the capital' })
    const reply = await client.send(new ConverseStreamCommand(ask('capital of France?')))
    const events: string[] = []
    let text = ''
    for await (const event of reply.stream ?? []) {
      events.push(Object.keys(event).find((key) => key !== '$unknown') ?? '?')
      text += event.contentBlockDelta?.delta?.text ?? ''
      if (event.metadata) expect(event.metadata.usage).toEqual({ inputTokens: 3, outputTokens: 4, totalTokens: 7 })
    }
    expect(text).toBe('Paris is the capital')
    expect(events).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata'])
  })

  test('InvokeModel: an Anthropic messages body gets an Anthropic message', async () => {
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 64, messages: [{ role: 'user', content: 'invoke me' }] })
    const reply = await client.send(new InvokeModelCommand({ modelId: MODEL, body, contentType: 'application/json', accept: 'application/json' }))
    const message = JSON.parse(new TextDecoder().decode(reply.body)) as { content: { text: string }[]; usage: { input_tokens: number; output_tokens: number } }
    expect(message.content[0]?.text).toBe('echo #1: invoke me')
    expect(message.usage).toMatchObject({ input_tokens: 2, output_tokens: 4 })
  })

  test('InvokeModelWithResponseStream: chunk events whose bytes are Anthropic events, metrics in the last', async () => {
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 64, messages: [{ role: 'user', content: 'stream me' }] })
    const reply = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body, contentType: 'application/json' }))
    const chunks: Record<string, unknown>[] = []
    for await (const event of reply.body ?? []) if (event.chunk?.bytes) chunks.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)) as Record<string, unknown>)
    expect(chunks.map((chunk) => chunk['type'])).toEqual(['message_start', 'content_block_start', ...Array(4).fill('content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop'])
    expect(chunks.at(-1)?.['amazon-bedrock-invocationMetrics']).toMatchObject({ inputTokenCount: 2, outputTokenCount: 4 })
  })

  test('an unsigned request is refused, and a scripted error comes back as the named AWS exception', async () => {
    const unsigned = await fetch(`${server.url}/model/${MODEL}/converse`, { method: 'POST', body: '{}' })
    expect(unsigned.status).toBe(401)
    server.enqueue({ status: 400, error: { message: 'Malformed input request', type: 'ValidationException' } })
    await expect(client.send(new ConverseCommand(ask('bad')))).rejects.toMatchObject({ name: 'ValidationException', message: 'Malformed input request' })
  })
})
