import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

const KEYS = { GROQ_API_KEY: 'gsk_livekey0123456789abcdefJUDGE', OPENAI_API_KEY: 'sk-proj-livekey0123456789JUDGE', ANTHROPIC_API_KEY: 'sk-ant-api03-livekey0123456789JUDGE' }
const GROQ = '/openai/v1/chat/completions'

interface Entry {
  test: string
  role: 'app' | 'judge'
  request: { path: string; body: { response_format?: { type: string } } }
  response: { status: number }
}

describe('judges on other providers record once and replay offline at the real hosts', () => {
  let server: ModelServer
  let project: FixtureProject
  let compatible: RunResult
  let aiSdk: RunResult
  const entries = (file: string) => (JSON.parse(project.read('__cassettes__', `${file}.cassette.json`)) as { entries: Entry[] }).entries
  const record = (args: string[], results: string) =>
    project.run(args, cleanEnv({ ...KEYS, SCRIPTED_URL: server.url, RESULTS_FILE: project.path(results) }))

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('judge-providers')
    // The Groq judge: json_schema refused (400) once, then json_object for the rest of the run.
    server.enqueue({ path: GROQ, status: 400, error: { message: "response_format type 'json_schema' is not supported" } })
    server.enqueue({ path: GROQ, content: { reasoning: 'Gives the duration.', verdict: 'relevant' } })
    server.enqueue({ path: GROQ, content: { reasoning: 'About trains.', verdict: 'irrelevant' } })
    compatible = await record([], 'compatible.jsonl')
    server.enqueue({ path: '/v1/responses', content: { reasoning: 'Gives the duration.', verdict: 'relevant' } })
    server.enqueue({ path: '/v1/messages', content: { reasoning: 'Same facts.', category: 'same' } })
    aiSdk = await record(['--config', 'vitest.ai-sdk.config.ts'], 'ai-sdk.jsonl')
    await server.close()
  }, 120_000)

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('openai-compatible (plugin config): judge calls recorded with role judge, the json_schema 400 and the json_object retry included', () => {
    expect(compatible.output).toContain('Tests  2 passed')
    const recorded = entries('compatible.test.ts')
    expect(recorded.every((entry) => entry.role === 'judge' && entry.request.path === GROQ)).toBe(true)
    expect(recorded.map((entry) => [entry.response.status, entry.request.body.response_format?.type])).toEqual([
      [400, 'json_schema'],
      [200, 'json_object'],
      [200, 'json_object'],
    ])
  })

  test('AI SDK models (setup file and judge option): judge calls recorded with role judge', () => {
    expect(aiSdk.output).toContain('Tests  2 passed')
    expect(entries('ai-sdk.test.ts').map((entry) => [entry.test, entry.role, entry.request.path]).sort()).toEqual([
      ['a judge option: an Anthropic model', 'judge', '/v1/messages'],
      ['the default judge: an OpenAI model from the setup file', 'judge', '/v1/responses'],
    ])
  })

  test('no key reaches disk', () => {
    for (const file of ['compatible.test.ts', 'ai-sdk.test.ts']) {
      const text = project.read('__cassettes__', `${file}.cassette.json`)
      for (const key of Object.values(KEYS)) expect(text).not.toContain(key)
    }
  })

  test('replay without keys or server gives the same verdicts and usage', async () => {
    const replay = (args: string[], results: string) => project.run(args, cleanEnv({ CI: 'true', RESULTS_FILE: project.path(results) }))
    const compatibleReplay = await replay([], 'compatible-replayed.jsonl')
    expect(compatibleReplay.output).toContain('Tests  2 passed')
    expect(compatibleReplay.output).toMatch(/cassettes \[replay\]: 3 replayed, 0 recorded/)
    expect(project.read('compatible-replayed.jsonl')).toBe(project.read('compatible.jsonl'))
    const aiSdkReplay = await replay(['--config', 'vitest.ai-sdk.config.ts'], 'ai-sdk-replayed.jsonl')
    expect(aiSdkReplay.output).toContain('Tests  2 passed')
    expect(project.read('ai-sdk-replayed.jsonl')).toBe(project.read('ai-sdk.jsonl'))
    const records = project.read('ai-sdk.jsonl').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { value: Array<{ judge: { provider: string }; usage: { inputTokens: number } }> })
    expect(records.map((record) => record.value[0]?.judge.provider)).toEqual(['openai.responses', 'anthropic.messages'])
    expect(records.every((record) => (record.value[0]?.usage.inputTokens ?? 0) > 0)).toBe(true)
  })
})

describe('a judge at its own base URL (judge.baseURL, no cassettes.hosts entry) is recorded, and replay never reaches it', () => {
  test('record against the server, then replay with the server gone', async () => {
    const server = await startModelServer()
    const project = fixture('judge-providers')
    try {
      server.enqueue({ path: '/v1/chat/completions', content: { reasoning: 'Gives the duration.', verdict: 'relevant' } })
      server.enqueue({ path: '/v1/chat/completions', content: { reasoning: 'About trains.', verdict: 'irrelevant' } })
      const args = ['--config', 'vitest.self-hosted.config.ts']
      const recorded = await project.run(args, cleanEnv({ JUDGE_BASE_URL: `${server.url}/v1`, JUDGE_API_KEY: 'local-key-not-needed', RESULTS_FILE: project.path('self-hosted.jsonl') }))
      expect(recorded.output).toContain('Tests  2 passed')
      expect(recorded.output).toMatch(/cassettes \[auto\]: 0 replayed, 2 recorded/)
      expect(recorded.output).not.toContain('do not cover')
      await server.close()
      // The judge's base URL now points at a port nothing listens on: a call that reached the network would fail.
      const replayed = await project.run(args, cleanEnv({ CI: 'true', RESULTS_FILE: project.path('self-hosted-replayed.jsonl') }))
      expect(replayed.output).toContain('Tests  2 passed')
      expect(replayed.output).toMatch(/cassettes \[replay\]: 2 replayed, 0 recorded/)
    } finally {
      project.remove()
      await server.close().catch(() => undefined)
    }
  }, 120_000)
})

