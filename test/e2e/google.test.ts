import { createHash } from 'node:crypto'
import { readdirSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

const GEMINI_KEY = 'AIzaSyLiveKey0123456789abcdefghijklmnop'
const AI_SDK_KEY = 'AIzaSyAiSdkKey0123456789abcdefghijklmn'
const VERTEX_TOKEN = 'ya29.LiveVertexToken0123456789abcdef'

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex')

interface Entry {
  test: string
  role: 'app' | 'judge'
  key: string
  request: { url: string; path: string; query: Record<string, unknown>; body: Record<string, unknown> }
  response: { headers: Record<string, string>; json?: unknown; chunks?: string[] }
  meta: { usage?: { inputTokens?: number; outputTokens?: number } }
}

/** Env of a fixture run with no Google key or base URL unless given. */
function googleEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = cleanEnv(extra)
  for (const name of ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_GENERATIVE_AI_API_KEY', 'GOOGLE_GEMINI_BASE_URL', 'GOOGLE_VERTEX_BASE_URL', 'GOOGLE_GENAI_USE_VERTEXAI', 'GOOGLE_CLOUD_PROJECT', 'GOOGLE_CLOUD_LOCATION']) {
    if (!(name in extra)) delete env[name]
  }
  return env
}

describe('Gemini and Vertex AI record once and replay offline against the real hosts', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: RunResult
  const files = () => readdirSync(project.path('__cassettes__')).filter((name) => name.endsWith('.json')).sort()
  const cassette = (name: string) => JSON.parse(project.read('__cassettes__', `${name}.test.ts.cassette.json`)) as { entries: Entry[] }
  const hashes = () => files().map((name) => hashOf(project.read('__cassettes__', name)))

  beforeAll(async () => {
    server = await startModelServer({ sseGapMs: 15 })
    // Paths keep the scripts apart: test files run in parallel.
    server.enqueue({ path: '/v1/models/gemini-2.0-flash-lite:generateContent', content: 'Refunds are paid within 5 working days.' })
    server.enqueue({ path: '/v1/models/gemini-2.0-flash-lite:generateContent', content: 'Trains run on rails.' })
    server.enqueue({ path: '/v1/models/gemini-2.5-flash-lite:generateContent', content: { reasoning: 'Leaves out the card.', category: 'subset' } })
    server.enqueue({ path: '/v1/models/gemini-2.5-flash-lite:generateContent', content: { reasoning: 'About trains.', category: 'contradicts' } })
    project = fixture('google-calls')
    recorded = await project.run(
      [],
      googleEnv({
        GOOGLE_GEMINI_BASE_URL: server.url,
        GOOGLE_VERTEX_BASE_URL: server.url,
        GEMINI_API_KEY: GEMINI_KEY,
        GOOGLE_GENERATIVE_AI_API_KEY: AI_SDK_KEY,
        VERTEX_TOKEN,
        RESULTS_FILE: project.path('recorded.jsonl'),
      }),
    )
    await server.close()
  })

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('auto mode records @google/genai, @ai-sdk/google, REST and Vertex AI calls, and the judge tagged "judge"', () => {
    expect(recorded.output).toContain('Tests  13 passed')
    expect(files()).toEqual(['ai-sdk.test.ts.cassette.json', 'genai.test.ts.cassette.json', 'judge.test.ts.cassette.json', 'rest.test.ts.cassette.json'])
    const genai = cassette('genai').entries
    const streamed = genai.find((entry) => entry.test === '@google/genai > generateContentStream')
    expect(streamed?.request).toMatchObject({ path: '/v1/models/gemini-2.5-flash:streamGenerateContent', query: { alt: 'sse' } })
    expect(streamed?.response.chunks?.length).toBeGreaterThan(2)
    expect(streamed?.meta.usage).toEqual({ inputTokens: 3, outputTokens: 5 })
    expect(genai.find((entry) => entry.test === '@google/genai > Vertex AI express mode')?.request.path).toMatch(/^\/v1beta1\/publishers\/google\/models\/gemini-2\.5-flash:generateContent$/)
    expect(genai.find((entry) => entry.test === '@google/genai > Vertex AI with a project and an access token')?.request.path).toBe(
      '/v1beta1/projects/demo-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent',
    )
    const judge = cassette('judge').entries
    expect(judge.map((entry) => entry.role).sort()).toEqual(['app', 'app', 'judge', 'judge'])
    const judged = judge.find((entry) => entry.role === 'judge')
    expect(judged?.request.path).toBe('/v1/models/gemini-2.5-flash-lite:generateContent')
    expect(judged?.request.body['generationConfig']).toMatchObject({ temperature: 0, responseMimeType: 'application/json' })
  })

  test('the non-SSE stream (a JSON array) is stored as chunks, with its usage', () => {
    const entry = cassette('rest').entries.find((item) => item.request.path.endsWith(':streamGenerateContent'))
    expect(entry?.response.headers['content-type']).toMatch(/^application\/json/)
    expect(entry?.response.chunks?.length).toBeGreaterThan(2)
    expect(entry?.meta.usage).toEqual({ inputTokens: 4, outputTokens: 6 })
    expect(entry?.request.query).toEqual({})
  })

  test('no key or token is stored or keyed: not in the URL, the query, the headers or anywhere in the file', () => {
    for (const name of files()) {
      const text = project.read('__cassettes__', name)
      for (const secret of [GEMINI_KEY, AI_SDK_KEY, VERTEX_TOKEN, 'key=']) expect(text).not.toContain(secret)
      expect(text).not.toMatch(/x-goog-api-key|authorization/i)
    }
  })

  test('replays in CI with no server, no base URL and no keys, on the real hosts: same results, cassettes untouched', async () => {
    const before = hashes()
    const replayed = await project.run([], googleEnv({ CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replayed.output).toContain('Tests  13 passed')
    expect(replayed.output).toMatch(/cassettes \[replay\]: 15 replayed, 0 recorded/)
    expect(replayed.output).not.toContain('Both GOOGLE_API_KEY and GEMINI_API_KEY are set')
    expect(project.read('replayed.jsonl').split('\n').sort()).toEqual(project.read('recorded.jsonl').split('\n').sort())
    expect(hashes()).toEqual(before)
  })

  test('judge score records carry the Gemini judge and its token usage', () => {
    const lines = project.read('recorded.jsonl').trim().split('\n').map((line) => JSON.parse(line) as { name: string; value: Array<Record<string, unknown>> })
    const good = lines.find((line) => line.name === 'judge > a good answer is factual')
    expect(good?.value[0]).toMatchObject({ judge: { provider: 'google', model: 'gemini-2.5-flash-lite' }, usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) } })
  })

  test('auto mode without a key replays what exists and says which variable to set for what it cannot record', async () => {
    writeFileSync(
      project.path('nokey.test.ts'),
      `import { GoogleGenAI } from '@google/genai'
import { test } from 'vitest'
test('needs a key', async () => {
  await new GoogleGenAI({}).models.generateContent({ model: 'gemini-2.5-flash', contents: 'never recorded' })
})
`,
    )
    const run = await project.run(['nokey.test.ts'], googleEnv())
    expect(run.code).toBe(1)
    expect(run.output).toContain('No recording for POST https://generativelanguage.googleapis.com/v1/models/gemini-2.5-flash:generateContent (cassette mode: auto).')
    expect(run.output).toContain('It could not be recorded: GEMINI_API_KEY (or GOOGLE_API_KEY) is not set.')
    expect(run.output).not.toContain('Both GOOGLE_API_KEY and GEMINI_API_KEY are set')
  })

  test('with GOOGLE_API_KEY set, no GEMINI_API_KEY placeholder is added (the SDK would warn that both are set)', async () => {
    const run = await project.run(['genai.test.ts'], googleEnv({ CI: 'true', GOOGLE_API_KEY: 'AIzaSyOtherKey0123456789abcdefghijklmn' }))
    expect(run.output).toContain('Tests  6 passed')
    expect(run.output).not.toContain('Both GOOGLE_API_KEY and GEMINI_API_KEY are set')
  })
})
