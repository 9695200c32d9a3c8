import { rmSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

// Real-looking keys for the recording run: none may reach a cassette.
const KEYS: Record<string, string> = {
  AZURE_OPENAI_API_KEY: 'azure-livekey-0123456789abcdef0123',
  MISTRAL_API_KEY: 'mistral-livekey-0123456789abcdef',
  GROQ_API_KEY: 'gsk_livekey0123456789abcdef',
  OPENROUTER_API_KEY: 'sk-or-v1-livekey0123456789abcdef',
  DEEPSEEK_API_KEY: 'sk-deepseek-livekey0123456789',
  XAI_API_KEY: 'xai-livekey0123456789abcdef',
  TOGETHER_API_KEY: 'together-livekey-0123456789abcdef',
  FIREWORKS_API_KEY: 'fw_livekey0123456789abcdef',
  AI_GATEWAY_API_KEY: 'vck_livekey0123456789abcdef',
}
const NO_KEYS = Object.fromEntries(Object.keys(KEYS).map((name) => [name, undefined]))

interface Entry {
  test: string
  request: { url: string; path: string; query: Record<string, string>; headers: Record<string, string> }
  response: { chunks?: string[] }
  meta: { usage?: { inputTokens?: number; outputTokens?: number } }
}
const entriesOf = (project: FixtureProject, file: string) => (JSON.parse(project.read('__cassettes__', `${file}.cassette.json`)) as { entries: Entry[] }).entries

describe('Azure OpenAI, Mistral and OpenAI-compatible APIs through their SDKs: recorded, then replayed at the real hosts', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: { code: number | null; output: string }

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('compat-providers')
    recorded = await project.run([], cleanEnv({ ...KEYS, SCRIPTED_URL: server.url, RESULTS_FILE: project.path('recorded.jsonl') }))
    await server.close()
  }, 120_000)

  afterAll(async () => {
    if (!process.env.KEEP_FIXTURE) project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('records every call, with the provider paths the SDKs use', () => {
    expect(recorded.output).toContain('Tests  15 passed')
    const azure = entriesOf(project, 'azure.test.ts')
    // api-version stays in the key (a new version can change the reply); the key itself is never stored.
    expect(azure.map((entry) => JSON.stringify([entry.request.path, entry.request.query])).sort().map((text) => JSON.parse(text) as unknown)).toEqual([
      ['/openai/deployments/gpt-4o-mini-prod/chat/completions', { 'api-version': '2024-10-21' }],
      ['/openai/deployments/gpt-4o-mini-prod/chat/completions', { 'api-version': '2024-10-21' }],
      ['/openai/deployments/gpt-4o-mini-prod/chat/completions', { 'api-version': '2025-04-01-preview' }],
    ])
    const paths = entriesOf(project, 'compatible.test.ts').map((entry) => entry.request.path)
    expect(paths.sort()).toEqual([
      '/api/v1/chat/completions',
      '/chat/completions',
      '/inference/v1/chat/completions',
      '/openai/v1/chat/completions',
      '/v1/chat/completions',
      '/v1/chat/completions',
    ])
  })

  // Stored as read from the socket (a read may hold several events); replay hands them to the SDK one read at a
  // time, and the fixture checks the SDK saw the deltas one by one, the same in both runs.
  test('Mistral and AI SDK streams are stored as their SSE events', () => {
    const events = (entry: Entry | undefined) => (entry?.response.chunks ?? []).join('').match(/^data: /gm)?.length ?? 0
    expect(events(entriesOf(project, 'mistral.test.ts').find((entry) => entry.test === 'chat.stream gives its events one by one'))).toBeGreaterThan(4)
    expect(events(entriesOf(project, 'ai-sdk.test.ts').find((entry) => entry.test === 'streamText through @ai-sdk/openai-compatible'))).toBeGreaterThan(4)
  })

  test('the AI Gateway names its model in a header: it is in the key (the same prompt to two models is two recordings), and gives usage and model', () => {
    const gateway = entriesOf(project, 'gateway.test.ts')
    expect(gateway.map((entry) => [entry.request.path, entry.request.headers['ai-language-model-id'], entry.request.headers['ai-language-model-streaming']]).sort()).toEqual([
      ['/v4/ai/language-model', 'anthropic/claude-haiku-4-5', 'false'],
      ['/v4/ai/language-model', 'openai/gpt-4o-mini', 'false'],
      ['/v4/ai/language-model', 'openai/gpt-4o-mini', 'true'],
    ])
    for (const entry of gateway) expect(entry.meta.usage?.inputTokens).toBeGreaterThan(0)
  })

  test('no key and no api-key or authorization header reaches disk', () => {
    for (const file of ['azure.test.ts', 'mistral.test.ts', 'compatible.test.ts', 'ai-sdk.test.ts', 'gateway.test.ts']) {
      const text = project.read('__cassettes__', `${file}.cassette.json`)
      for (const key of Object.values(KEYS)) expect(text).not.toContain(key)
      expect(text).not.toMatch(/"(api-key|authorization)"/i)
    }
  })

  test('auto mode without AZURE_OPENAI_API_KEY says which variable to set instead of sending the placeholder key', async () => {
    writeFileSync(project.path('azure-new.test.ts'), project.read('azure.test.ts').replace(/azure hello/g, 'never recorded'))
    const run = await project.run(['azure-new.test.ts'], cleanEnv({ ...NO_KEYS }))
    rmSync(project.path('azure-new.test.ts'))
    expect(run.code).toBe(1)
    expect(run.output).toContain('(cassette mode: auto)')
    expect(run.output).toContain('It could not be recorded: AZURE_OPENAI_API_KEY is not set.')
    expect(project.exists('__cassettes__', 'azure-new.test.ts.cassette.json')).toBe(false)
  })

  test('replay at the real hosts, offline and without keys, gives the same results', async () => {
    const replayed = await project.run([], cleanEnv({ ...NO_KEYS, CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replayed.output).toContain('Tests  15 passed')
    expect(replayed.output).toMatch(/cassettes \[replay\]: 16 replayed, 0 recorded/)
    expect(project.read('replayed.jsonl').split('\n').sort()).toEqual(project.read('recorded.jsonl').split('\n').sort())
  })
})
