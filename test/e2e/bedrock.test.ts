// AWS Bedrock end to end: the real @aws-sdk/client-bedrock-runtime (HTTP/2, SigV4) records against the
// scripted server, then replays offline at its default endpoint with other credentials, another signing
// date, or none at all.
import { readdirSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

const RECORDING = { AWS_ACCESS_KEY_ID: 'AKIARECORDING0000001', AWS_SECRET_ACCESS_KEY: 'recording-secret-access-key-0123456789abc', AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjRecordingSessionToken0123456789' }
const TOKEN = 'ghp_' + 'Qm7'.repeat(12)
const THREE_DAYS_MS = 3 * 24 * 3600 * 1000

/** A fixture run's environment with no AWS variables of this machine. */
function awsEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = cleanEnv(extra)
  for (const name of Object.keys(env)) if (name.startsWith('AWS_') && !(name in extra)) delete env[name]
  return { ...env, HOME: '/nonexistent-home-for-aws', ...extra }
}

type Entry = { test: string; request: { url: string; path: string; headers: Record<string, string> }; response: { json?: unknown; events?: { headers: Record<string, unknown>; json?: unknown; bytesJson?: true }[]; file?: string }; meta: { usage?: unknown } }

describe('AWS Bedrock runtime', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: { output: string }
  let cassette: string
  const entries = () => (JSON.parse(cassette) as { entries: Entry[] }).entries
  const entry = (name: string) => entries().find((candidate) => candidate.test === name)

  beforeAll(async () => {
    server = await startModelServer()
    server.enqueue({ path: '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse', toolCall: { name: 'lookup_order', arguments: { id: 42 }, id: 'tooluse_1' } })
    server.enqueue({ path: '/model/amazon.nova-micro-v1%3A0/converse-stream', content: `the token is ${TOKEN} keep it` })
    project = fixture('bedrock')
    recorded = await project.run([], awsEnv({ BEDROCK_ENDPOINT: server.url, ...RECORDING, RESULTS_FILE: project.path('recorded.jsonl') }))
    cassette = project.read('__cassettes__', 'bedrock.test.ts.cassette.json')
    await server.close()
  }, 120_000)

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('auto mode records all four commands through the HTTP/2 client', () => {
    expect(recorded.output).toContain('Tests  6 passed')
    expect(entries().map((e) => [e.test, e.request.path])).toEqual([
      ['a streamed key is scrubbed', '/model/amazon.nova-micro-v1%3A0/converse-stream'],
      ['converse', '/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse'],
      ['converse stream', '/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream'],
      ['converse with a tool', '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse'],
      ['invoke model', '/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke'],
      ['invoke model with response stream', '/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke-with-response-stream'],
    ])
  })

  test('no credential, signature, date or SDK invocation header reaches the cassette or the key', () => {
    for (const value of [...Object.values(RECORDING), 'AWS4-HMAC-SHA256', 'Signature=', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'amz-sdk-invocation-id', 'amz-sdk-request', TOKEN]) {
      expect(cassette).not.toContain(value)
    }
    for (const recording of entries()) expect(recording.request.headers).toEqual({})
  })

  test('event streams are stored readable: event types, JSON payloads, InvokeModel chunks decoded', () => {
    const stream = entry('converse stream')?.response.events ?? []
    expect(stream.map((event) => event.headers[':event-type'])).toEqual(['messageStart', ...Array(stream.length - 4).fill('contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata'])
    expect(stream[1]?.json).toEqual({ contentBlockIndex: 0, delta: { text: 'echo ' } })
    const chunks = entry('invoke model with response stream')?.response.events ?? []
    expect(chunks.every((event) => event.bytesJson === true && event.headers[':event-type'] === 'chunk')).toBe(true)
    expect(chunks[0]?.json).toMatchObject({ bytes: { type: 'message_start', message: { role: 'assistant' } } })
    expect(entry('a streamed key is scrubbed')?.response.events?.map((event) => JSON.stringify(event.json)).join('')).toContain('[REDACTED]')
  })

  test('usage is read from Converse, the metadata event, InvokeModel bodies and the invocation metrics', () => {
    expect(entry('converse')?.meta.usage).toEqual({ inputTokens: 2, outputTokens: 4 })
    expect(entry('converse stream')?.meta.usage).toEqual({ inputTokens: 4, outputTokens: 6 })
    expect(entry('invoke model')?.meta.usage).toEqual({ inputTokens: 2, outputTokens: 4 })
    expect(entry('invoke model with response stream')?.meta.usage).toEqual({ inputTokens: 2, outputTokens: 4 })
  })

  test('replays offline at the default endpoint, with other credentials and a date three days later, event by event', async () => {
    const other = { AWS_ACCESS_KEY_ID: 'AKIAREPLAYING0000002', AWS_SECRET_ACCESS_KEY: 'replaying-secret-access-key-9876543210xyz', CLOCK_OFFSET_MS: String(THREE_DAYS_MS) }
    const replayed = await project.run([], awsEnv({ CI: 'true', ...other, RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replayed.output).toContain('Tests  6 passed')
    expect(replayed.output).toMatch(/cassettes \[replay\]: 6 replayed, 0 recorded/)
    // Parsed: a JSON body is stored with its keys sorted.
    const results = (file: string) => project.read(file).trim().split('\n').map((line) => JSON.parse(line.replace(TOKEN, '[REDACTED]')) as { name: string }).sort((a, b) => a.name.localeCompare(b.name))
    expect(results('replayed.jsonl')).toEqual(results('recorded.jsonl'))
    expect(results('replayed.jsonl').map((result) => result.name)).toEqual(['converse', 'invoke', 'invoke-stream', 'secret', 'stream', 'stream-usage', 'tool'])
  }, 60_000)

  test('replays with no AWS credentials at all (placeholders are set), and an auto miss says which variables to set', async () => {
    const replayed = await project.run([], awsEnv({ CI: 'true' }))
    expect(replayed.output).toContain('Tests  6 passed')
    writeFileSync(
      project.path('new.test.ts'),
      `import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime'
import { test } from 'vitest'
test('not recorded yet', async () => {
  const client = new BedrockRuntimeClient({ region: 'us-east-1', maxAttempts: 1 })
  await client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'new question' }] }] }))
})
`,
    )
    const missed = await project.run(['new.test.ts'], awsEnv({ LLM_EVALS_CASSETTES: 'auto' }))
    expect(missed.output).toContain('It could not be recorded: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or AWS_BEARER_TOKEN_BEDROCK) are not set. Set them to real credentials and run again')
    // The SDK throws the miss itself (not an UnknownError), and it is reported once.
    expect(missed.output).toContain('CassetteMissException: [vitest-llm-evals] No recording for POST https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse')
    expect(missed.output.split('It could not be recorded').length).toBe(2)
    expect(readdirSync(project.path('__cassettes__'))).not.toContain('new.test.ts.cassette.json')
  }, 60_000)
})
