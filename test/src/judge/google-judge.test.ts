import { GoogleGenAI } from '@google/genai'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { ConfigError, JudgeError } from '../../../src/errors/index.js'
import { withPropertyOrdering } from '../../../src/judge/google-judge.js'
import type { JudgeConfig } from '../../../src/judge/judge.js'
import { limiterFor } from '../../../src/judge/limiter.js'
import { judgeJsonSchema, promptVersion } from '../../../src/judge/prompt.js'
import { createJudge } from '../../../src/judge/resolve-judge.js'
import { runJudge } from '../../../src/judge/run-judge.js'
import { startModelServer, type ModelServer } from '../../support/model-server.js'
import { verdictPrompt } from './verdict-prompt.js'

const PATH = '/v1/models/gemini-2.5-flash:generateContent'
const HUNG_MS = 30_000

let server: ModelServer
beforeAll(async () => {
  server = await startModelServer()
})
beforeEach(() => server.reset())
afterAll(async () => server.close())

/** A judge config with a real `GoogleGenAI` client talking to the server; retries fast (no real backoff in tests). */
const googleJudge = (extra: Partial<JudgeConfig> = {}, attempts = 3): JudgeConfig => ({
  provider: 'google',
  model: 'gemini-2.5-flash',
  client: new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: server.url, retryOptions: { attempts, initialDelay: 0.01, maxDelay: 0.02 } } }),
  ...extra,
})
const verdict = (output: Record<string, unknown> | string) => server.enqueue({ path: PATH, content: output })
const ask = (config: JudgeConfig, signal?: AbortSignal) =>
  runJudge(createJudge(config), { matcherName: 'toBeThing', prompt: verdictPrompt, variables: { thing: 'the sky' }, ...(signal ? { signal } : {}) })

async function until(condition: () => boolean, what: string, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('runJudge through the real @google/genai SDK', () => {
  test('sends temperature 0, the system instruction and the schema (reasoning first, propertyOrdering) as JSON output; returns the validated output and usage', async () => {
    verdict({ reasoning: 'The sky is blue.', verdict: 'yes' })
    const run = await ask(googleJudge())
    expect(run.samples).toEqual([{ output: { reasoning: 'The sky is blue.', verdict: 'yes' } }])
    expect(run.judge).toEqual({ provider: 'google', model: 'gemini-2.5-flash', promptVersion: promptVersion(verdictPrompt) })
    expect(run.usage.inputTokens).toBeGreaterThan(0)
    expect(run.usage.outputTokens).toBeGreaterThan(0)
    const body = server.requests[0]?.body as Record<string, Record<string, unknown>>
    const schema = judgeJsonSchema(verdictPrompt.schema)
    expect(body['generationConfig']).toEqual({
      temperature: 0,
      responseMimeType: 'application/json',
      responseJsonSchema: { ...schema, propertyOrdering: ['reasoning', 'verdict'] },
    })
    expect(Object.keys((body['generationConfig']?.['responseJsonSchema'] as { properties: object }).properties)).toEqual(['reasoning', 'verdict'])
    expect(body['systemInstruction']).toEqual({ parts: [{ text: 'You answer yes or no.' }], role: 'user' })
    expect(body['contents']).toEqual([{ role: 'user', parts: [{ text: 'Is the sky blue?' }] }])
  })

  test('maxTokens is sent as maxOutputTokens, and temperature when set', async () => {
    verdict({ reasoning: '.', verdict: 'no' })
    await ask(googleJudge({ maxTokens: 256, temperature: 0.5 }))
    expect((server.requests[0]?.body as Record<string, Record<string, unknown>>)['generationConfig']).toMatchObject({ maxOutputTokens: 256, temperature: 0.5 })
  })

  test('an unscripted reply fits the schema, so the judge works against the server by default', async () => {
    const run = await ask(googleJudge())
    expect(run.samples[0]?.output).toEqual({ reasoning: 'echo #1: Is the sky blue?', verdict: 'yes' })
  })

  test('retries once on invalid output, telling the model what was wrong', async () => {
    verdict({ reasoning: 'hmm', verdict: 'maybe' })
    verdict({ reasoning: 'It is.', verdict: 'no' })
    const run = await ask(googleJudge())
    expect(run.samples[0]?.output.verdict).toBe('no')
    expect(server.requests).toHaveLength(2)
    expect(JSON.stringify(server.requests[1]?.body)).toContain('Your previous reply was not valid: verdict: Invalid option')
  })

  test('fails with a JudgeError showing what came back when the output is invalid twice (text that is not JSON too)', async () => {
    verdict('I think it is blue')
    verdict({ reasoning: 'still unsure', verdict: 'perhaps' })
    const error = await ask(googleJudge()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toContain('toBeThing(): the judge (google gemini-2.5-flash, prompt test-verdict@')
    expect((error as Error).message).toContain('returned invalid output twice: verdict: Invalid option: expected one of "yes"|"no".')
    expect((error as Error).message).toContain('It returned: {"reasoning":"still unsure","verdict":"perhaps"}')
  })

  test('fails closed when the reply has no text (blocked), naming the finish reason', async () => {
    const blocked = { candidates: [{ content: { parts: [], role: 'model' }, finishReason: 'SAFETY', index: 0 }], usageMetadata: { promptTokenCount: 5 } }
    server.enqueue({ path: PATH, json: blocked, times: 2 })
    const error = await ask(googleJudge()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toContain('(no text; finishReason SAFETY)')
  })

  test('an API error surfaces as a JudgeError with the provider message', async () => {
    server.enqueue({ path: PATH, status: 404, error: { message: 'models/gemini-9 is not found for API version v1' } })
    const error = await ask(googleJudge()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toMatch(/toBeThing\(\): the judge .* failed: .*models\/gemini-9 is not found/)
  })

  test('a 429 is retried by the SDK (retryOptions) and then succeeds', async () => {
    server.enqueue({ path: PATH, status: 429, error: { message: 'Resource exhausted' } })
    verdict({ reasoning: 'ok', verdict: 'yes' })
    const run = await ask(googleJudge())
    expect(run.samples[0]?.output.verdict).toBe('yes')
    expect(server.requests).toHaveLength(2)
  })

  test('samples: n calls, each validated', async () => {
    for (const answer of ['yes', 'no', 'yes']) verdict({ reasoning: '.', verdict: answer })
    const run = await ask(googleJudge({ samples: 3 }))
    expect(run.samples.map((sample) => sample.output.verdict)).toEqual(['yes', 'no', 'yes'])
    expect(server.requests).toHaveLength(3)
  })

  test('without a client: baseURL points the SDK it creates, maxRetries sets its attempts, the key comes from GEMINI_API_KEY', async () => {
    vi.stubEnv('GEMINI_API_KEY', 'env-key')
    vi.stubEnv('GOOGLE_API_KEY', '')
    try {
      server.enqueue({ path: PATH, status: 503, error: { message: 'overloaded' } })
      verdict({ reasoning: 'ok', verdict: 'yes' })
      const run = await ask({ provider: 'google', model: 'gemini-2.5-flash', baseURL: server.url, maxRetries: 1 })
      expect(run.samples[0]?.output.verdict).toBe('yes')
      expect(server.requests.map((request) => request.headers['x-goog-api-key'])).toEqual(['env-key', 'env-key'])
    } finally {
      vi.unstubAllEnvs()
    }
  }, 10_000)
})

describe('google judge timeout and cancellation', () => {
  test('fails when the judge does not answer within timeoutMs, and aborts the request (abortSignal) without retrying it', { timeout: 10_000 }, async () => {
    server.enqueue({ path: PATH, delayMs: HUNG_MS })
    const started = performance.now()
    const error = await ask(googleJudge({ timeoutMs: 300 })).catch((caught: unknown) => caught)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toContain('did not answer within 300 ms (`timeoutMs`)')
    await until(() => server.abandoned.length === 1, 'the server to see the connection closed')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(server.requests).toHaveLength(1)
  })

  test('cancelling the call (its signal) aborts the SDK request at once and frees the slot', { timeout: 10_000 }, async () => {
    server.enqueue({ path: PATH, delayMs: HUNG_MS })
    const controller = new AbortController()
    const pending = ask(googleJudge({ maxConcurrency: 3 }), controller.signal).catch((caught: unknown) => caught)
    await until(() => server.requests.length === 1, 'the judge request')
    controller.abort(new Error('the test ended'))
    const error = await pending
    expect((error as Error).message).toContain('was cancelled: the test ended')
    await until(() => server.abandoned.length === 1, 'the server to see the connection closed')
    expect(limiterFor('google', 3).inFlight).toBe(0)
  })
})

describe('google judge config', () => {
  test('propertyOrdering follows the declared order at every depth', () => {
    const schema = { type: 'object', properties: { why: { type: 'string' }, items: { type: 'array', items: { type: 'object', properties: { b: {}, a: {} } } }, score: { type: 'number' } } }
    expect(withPropertyOrdering(schema)).toEqual({
      type: 'object',
      properties: { why: { type: 'string' }, items: { type: 'array', items: { type: 'object', properties: { b: {}, a: {} }, propertyOrdering: ['b', 'a'] } }, score: { type: 'number' } },
      propertyOrdering: ['why', 'items', 'score'],
    })
  })

  test('a client of the wrong kind is a ConfigError', () => {
    expect(() => createJudge({ provider: 'google', model: 'g', client: { chat: {} } })).toThrow(/`judge.client` for provider `google` must be a `GoogleGenAI` client/)
  })

  test('a missing @google/genai is a ConfigError saying what to install', async () => {
    vi.doMock('@google/genai', () => {
      throw new Error("Cannot find package '@google/genai'")
    })
    const error = await ask({ provider: 'google', model: 'm' }).catch((caught: unknown) => caught)
    vi.doUnmock('@google/genai')
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain('needs the `@google/genai` package, which is not installed. Run `npm install --save-dev @google/genai`')
  })
})
