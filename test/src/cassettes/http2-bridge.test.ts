import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime'
import http2 from 'node:http2'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { bridgeHttp2 } from '../../../src/cassettes/http2-bridge.js'
import { startModelServer, type ModelServer } from '../../support/model-server.js'

const credentials = { accessKeyId: 'AKIABRIDGETEST000001', secretAccessKey: 'bridge-test-secret-access-key-0000000000' }
const ask = (text: string) => ({ modelId: 'amazon.nova-micro-v1:0', messages: [{ role: 'user' as const, content: [{ text }] }] })
let server: ModelServer
let restore: () => void
const fetched: string[] = []
const originalFetch = globalThis.fetch

beforeAll(async () => {
  server = await startModelServer({ sseGapMs: 20 })
  restore = bridgeHttp2((url) => url.host === new URL(server.url).host)
  globalThis.fetch = (input, init) => (fetched.push(String(input)), originalFetch(input, init))
})
afterAll(async () => {
  restore()
  globalThis.fetch = originalFetch
  await server.close()
})
beforeEach(() => {
  server.reset()
  fetched.length = 0
})

describe('bridgeHttp2', () => {
  test("the Bedrock client's HTTP/2 requests to an owned host are sent with fetch, body and signature intact", async () => {
    const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 1 })
    const reply = await client.send(new ConverseCommand(ask('over the bridge')))
    expect(reply.output?.message?.content).toEqual([{ text: 'echo #1: over the bridge' }])
    expect(fetched).toEqual([`${server.url}/model/amazon.nova-micro-v1%3A0/converse`])
    expect(server.requests[0]?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIABRIDGETEST000001\//)
    expect(server.requests[0]?.body).toEqual({ messages: [{ role: 'user', content: [{ text: 'over the bridge' }] }] })
  })

  test('a stream arrives event by event, and aborting it stops the fetch', async () => {
    const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 1 })
    server.enqueue({ content: 'one two three four five six seven eight' })
    const controller = new AbortController()
    const reply = await client.send(new ConverseStreamCommand(ask('stream')), { abortSignal: controller.signal })
    const seen: string[] = []
    await expect(
      (async () => {
        for await (const event of reply.stream ?? []) {
          seen.push(Object.keys(event)[0] ?? '?')
          if (seen.length === 3) controller.abort()
        }
      })(),
    ).rejects.toThrow()
    expect(seen).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockDelta'])
    await expect.poll(() => server.abandoned.length).toBe(1)
  })

  test('other hosts connect as usual, and restoring puts the original connect back', () => {
    const other = http2.connect('http://127.0.0.1:9')
    other.on('error', () => undefined)
    expect(other.constructor.name).toBe('ClientHttp2Session')
    other.destroy()
    const before = http2.connect
    const undo = bridgeHttp2(() => true)
    expect(http2.connect('http://example.test').constructor.name).toBe('BridgedSession')
    undo()
    expect(http2.connect).toBe(before)
  })

  test('in replay a bidirectional stream is refused, never sent to the network', () => {
    const connected: string[] = []
    const fake = { connect: (authority: string) => (connected.push(authority), { request: () => 'real stream', close: () => undefined }) }
    const undo = bridgeHttp2(() => true, fake as unknown as typeof http2, { replaying: () => true })
    const session = fake.connect('https://bedrock-runtime.us-east-1.amazonaws.com') as unknown as http2.ClientHttp2Session
    expect(() => session.request({ ':path': '/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream' })).toThrow(
      'https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream is a bidirectional stream, which cassettes cannot record or replay, and replay never reaches the network.',
    )
    expect(connected).toEqual([])
    undo()
  })

  test('bidirectional streams (Nova Sonic) go to a real HTTP/2 session, not recorded', () => {
    const connected: string[] = []
    const fake = { connect: (authority: string) => (connected.push(authority), { request: () => 'real stream', close: () => undefined }) }
    const undo = bridgeHttp2(() => true, fake as unknown as typeof http2)
    const session = fake.connect('https://bedrock-runtime.us-east-1.amazonaws.com') as unknown as http2.ClientHttp2Session
    expect(connected).toEqual([])
    expect(session.request({ ':path': '/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream' })).toBe('real stream')
    expect(connected).toEqual(['https://bedrock-runtime.us-east-1.amazonaws.com'])
    expect(session.request({ ':path': '/model/amazon.nova-lite-v1%3A0/converse' }).constructor.name).toBe('BridgedStream')
    undo()
  })

  test('a caller that brings its own socket (gRPC clients such as @google-cloud/aiplatform on *-aiplatform.googleapis.com) keeps real HTTP/2', () => {
    const connected: unknown[][] = []
    const fake = { connect: (...args: unknown[]) => (connected.push(args), { real: true }) }
    const undo = bridgeHttp2(() => true, fake as unknown as typeof http2)
    const createConnection = () => undefined
    const session = fake.connect('https://us-central1-aiplatform.googleapis.com:443', { createConnection })
    expect(session).toEqual({ real: true })
    expect(connected).toEqual([['https://us-central1-aiplatform.googleapis.com:443', { createConnection }]])
    undo()
  })
})
