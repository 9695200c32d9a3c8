// testTrace() end to end: real SDK clients (openai chat + Responses, @anthropic-ai/sdk, the AI SDK) in a
// fixture project with the plugin, recorded from the scripted server (record and auto modes), then
// replayed with the server gone; concurrent tests each see only their own calls.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer, type ScriptedReply } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

const parallel = [
  { name: 'lookup_order', arguments: { orderId: '123' } },
  { name: 'check_policy', arguments: { topic: 'refunds' } },
]
const chat = '/v1/chat/completions'
const messages = '/v1/messages'

/** Each file's scripted replies, in the order its tests make the requests. */
const SCRIPTS: Record<string, ScriptedReply[]> = {
  'openai.test.ts': [
    { path: chat, toolCall: parallel },
    { path: chat, content: 'Refund issued.' },
    { path: chat, toolCall: parallel },
    { path: '/v1/responses', toolCall: parallel[0] },
    { path: '/v1/responses', content: 'Delivered, refund issued.' },
  ],
  'anthropic.test.ts': [
    { path: messages, toolCall: parallel },
    { path: messages, content: 'Refund issued.' },
    { path: messages, toolCall: parallel[0] },
  ],
  'ai-sdk.test.ts': [
    { path: chat, toolCall: parallel },
    { path: chat, content: 'Refund issued.' },
    { path: messages, toolCall: parallel },
    { path: messages, content: 'All set.' },
  ],
  'concurrent.test.ts': [],
  'outside.test.ts': [],
}
const FILES = Object.keys(SCRIPTS)

const lines = (project: FixtureProject, file: string) => project.read(file).trim().split('\n').sort()

describe('testTrace() with real SDKs, recorded then replayed', () => {
  let server: ModelServer
  let project: FixtureProject
  const recorded: RunResult[] = []

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('agent-traces')
    // One run per file, each with its own scripted replies (files of one run start in no fixed order).
    for (const [index, file] of FILES.entries()) {
      server.reset()
      for (const reply of SCRIPTS[file] ?? []) server.enqueue(reply)
      const env = cleanEnv({
        OPENAI_BASE_URL: server.openaiBaseURL,
        ANTHROPIC_BASE_URL: server.anthropicBaseURL,
        OPENAI_API_KEY: 'sk-proj-recording0123456789',
        ANTHROPIC_API_KEY: 'sk-ant-api03-recording0123456789',
        RESULTS_FILE: project.path('recorded.jsonl'),
        // The first file records in `record` mode, the others in `auto` (misses recorded).
        ...(index === 0 ? { LLM_EVALS_CASSETTES: 'record' } : {}),
      })
      recorded.push(await project.run([file], env))
    }
    await server.close()
  }, 180_000)

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('every file passes while recording: traces built from live responses, streamed ones from their chunks', () => {
    for (const run of recorded) expect(run.output, run.output).toMatch(/Tests {2}\d+ passed/)
    expect(recorded.map((run) => run.code)).toEqual(FILES.map(() => 0))
  })

  test('replay with the endpoint gone gives the same traces, concurrent tests each their own', async () => {
    const replayed = await project.run([], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replayed.output, replayed.output).toContain('Tests  15 passed')
    expect(lines(project, 'replayed.jsonl')).toEqual(lines(project, 'recorded.jsonl'))
  }, 120_000)

  test('the traces hold what the SDKs sent and received (a sample)', () => {
    const results = new Map(lines(project, 'recorded.jsonl').map((line) => {
      const { name, value } = JSON.parse(line) as { name: string; value: unknown }
      return [name, value] as const
    }))
    expect(results.get('chat loop')).toMatchObject({
      steps: [{ provider: 'openai-chat', model: 'gpt-4o-mini', text: '', calls: 2 }, { provider: 'openai-chat', text: 'Refund issued.', calls: 0 }],
      toolCalls: [
        { id: 'call_000001_0', name: 'lookup_order', args: { orderId: '123' }, result: { answered: 'call_000001_0' } },
        { id: 'call_000001_1', name: 'check_policy', args: { topic: 'refunds' }, result: { answered: 'call_000001_1' } },
      ],
      output: 'Refund issued.',
    })
    expect(results.get('concurrent charlie')).toEqual([
      { id: expect.any(String), name: 'charlie', args: { note: expect.stringContaining('charlie round 1') } },
      { id: expect.any(String), name: 'charlie', args: { note: expect.stringContaining('charlie round 2') } },
    ])
    expect(results.get('outside')).toContain('no test is running here with cassettes on')
  })
})
