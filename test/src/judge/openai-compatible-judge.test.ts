import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { parseOptions } from '../../../src/config.js'
import { ConfigError, JudgeError } from '../../../src/errors/index.js'
import type { JudgeConfig } from '../../../src/judge/judge.js'
import { judgeJsonSchema } from '../../../src/judge/prompt.js'
import { createJudge, judgeConfigSchema } from '../../../src/judge/resolve-judge.js'
import { runJudge } from '../../../src/judge/run-judge.js'
import { startModelServer, type ModelServer } from '../../support/model-server.js'
import { verdictPrompt } from './verdict-prompt.js'

const KEY_VARIABLE = 'LLM_EVALS_TEST_COMPAT_KEY'
const PATH = '/openai/v1/chat/completions'
const NO_JSON_SCHEMA = { path: PATH, status: 400, error: { message: "response_format type 'json_schema' is not supported by this model" } }

let server: ModelServer
beforeAll(async () => {
  server = await startModelServer()
})
beforeEach(() => {
  server.reset()
  process.env[KEY_VARIABLE] = 'gsk_test-compat-key'
})
afterEach(() => {
  delete process.env[KEY_VARIABLE]
})
afterAll(async () => server.close())

/** A Groq-like judge at the scripted server: the default client, its key read from KEY_VARIABLE. */
const compatible = (extra: Partial<JudgeConfig> = {}): JudgeConfig => ({
  provider: 'openai-compatible',
  model: 'llama-3.3-70b-versatile',
  baseURL: `${server.url}/openai/v1`,
  apiKeyEnv: KEY_VARIABLE,
  maxRetries: 1,
  ...extra,
})
const ask = (config: JudgeConfig, thing = 'the sky') => runJudge(createJudge(config), { matcherName: 'toBeBlue', prompt: verdictPrompt, variables: { thing } })
const verdict = (output: Record<string, unknown>) => server.enqueue({ path: PATH, content: output })

describe('the openai-compatible judge through the openai SDK at baseURL', () => {
  test('sends a strict json_schema, temperature 0 and the key of apiKeyEnv; returns the validated output and usage', async () => {
    verdict({ reasoning: 'The sky is blue.', verdict: 'yes' })
    const run = await ask(compatible({ maxTokens: 500 }))
    expect(run.samples).toEqual([{ output: { reasoning: 'The sky is blue.', verdict: 'yes' } }])
    expect(run.judge).toMatchObject({ provider: 'openai-compatible', model: 'llama-3.3-70b-versatile' })
    expect(run.usage.inputTokens).toBeGreaterThan(0)
    expect(run.usage.outputTokens).toBeGreaterThan(0)
    const request = server.requests[0]
    expect(request?.path).toBe(PATH)
    expect(request?.headers['authorization']).toBe('Bearer gsk_test-compat-key')
    const body = request?.body as Record<string, unknown>
    expect(body['temperature']).toBe(0)
    // `max_tokens`: the name every compatible server knows (`max_completion_tokens` is OpenAI's newer one).
    expect(body['max_tokens']).toBe(500)
    expect(body['response_format']).toEqual({ type: 'json_schema', json_schema: { name: 'test_verdict', strict: true, schema: judgeJsonSchema(verdictPrompt.schema) } })
  })

  test('a 400 to json_schema is retried with json_object and the schema in the system text; later calls go straight to json_object', async () => {
    server.enqueue(NO_JSON_SCHEMA)
    verdict({ reasoning: 'Grass is green.', verdict: 'no' })
    verdict({ reasoning: 'The sea is blue.', verdict: 'yes' })
    const config = compatible()
    const judge = createJudge(config)
    const first = await runJudge(judge, { matcherName: 't', prompt: verdictPrompt, variables: { thing: 'grass' } })
    const second = await runJudge(judge, { matcherName: 't', prompt: verdictPrompt, variables: { thing: 'the sea' } })
    expect([first.samples[0]?.output.verdict, second.samples[0]?.output.verdict]).toEqual(['no', 'yes'])
    const bodies = server.requests.map((request) => request.body as { response_format: { type: string }; messages: Array<{ content: string }> })
    expect(bodies.map((body) => body.response_format.type)).toEqual(['json_schema', 'json_object', 'json_object'])
    expect(bodies[1]?.messages[0]?.content).toBe(`You answer yes or no.\n\nReply with one JSON object only (no other text), valid against this JSON schema, its fields in this order:\n${JSON.stringify(judgeJsonSchema(verdictPrompt.schema))}`)
  })

  test('a 400 the json_object retry gets too is the JudgeError, and json_schema is tried again next time', async () => {
    server.enqueue({ path: PATH, status: 400, error: { message: 'model `llama-9` does not exist' }, times: 2 })
    const error = await ask(compatible()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toMatch(/toBeBlue\(\): the judge \(openai-compatible llama-3.3-70b-versatile, prompt test-verdict@[0-9a-f]{12}\) failed: 400 .*model `llama-9` does not exist/)
    verdict({ reasoning: '.', verdict: 'yes' })
    await ask(compatible())
    expect((server.requests.at(-1)?.body as { response_format: { type: string } }).response_format.type).toBe('json_schema')
  })

  test('a cassette miss (a 400 from the cassette, not the server) is reported as is, not retried as json_object', async () => {
    const miss = '[vitest-llm-evals] Cassette miss: no recording of POST /openai/v1/chat/completions'
    server.enqueue({ path: PATH, status: 400, error: { message: miss, type: 'cassette_miss', code: 'llm_evals_cassette_miss' }, headers: { 'x-llm-evals-cassette': 'miss' }, times: 2 })
    const error = await ask(compatible()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toContain(miss)
    // One request, the json_schema one: the miss names the request the user must record.
    expect(server.requests.map((request) => (request.body as { response_format: { type: string } }).response_format.type)).toEqual(['json_schema'])
  })

  test('invalid output twice is a JudgeError showing what came back (fail-closed)', async () => {
    verdict({ reasoning: 'hmm', verdict: 'maybe' })
    verdict({ reasoning: 'still unsure', verdict: 'perhaps' })
    const error = await ask(compatible()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toContain('returned invalid output twice: verdict: Invalid option: expected one of "yes"|"no".')
  })

  test('no answer within timeoutMs is a JudgeError, and the request is aborted', { timeout: 10_000 }, async () => {
    server.enqueue({ path: PATH, delayMs: 30_000 })
    const started = performance.now()
    const error = await ask(compatible({ timeoutMs: 200 })).catch((caught: unknown) => caught)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect((error as Error).message).toMatch(/the judge \(openai-compatible llama-3.3-70b-versatile, prompt test-verdict@[0-9a-f]{12}\) did not answer within 200 ms/)
  })

  test('a missing key variable is a ConfigError naming it, and the key is not looked for elsewhere', async () => {
    delete process.env[KEY_VARIABLE]
    // When recording (in replay and auto a placeholder key stands in: recordings answer, see judge-self-hosted-auto).
    const mode = process.env.LLM_EVALS_CASSETTES
    process.env.LLM_EVALS_CASSETTES = 'record'
    const error = await ask(compatible())
      .catch((caught: unknown) => caught)
      .finally(() => {
        if (mode === undefined) delete process.env.LLM_EVALS_CASSETTES
        else process.env.LLM_EVALS_CASSETTES = mode
      })
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain(`reads its API key from the environment variable ${KEY_VARIABLE}, which is not set`)
    expect(server.requests).toHaveLength(0)
  })

  test('a ready client is used as given, without baseURL', async () => {
    const { default: OpenAI } = await import('openai')
    verdict({ reasoning: '.', verdict: 'yes' })
    const client = new OpenAI({ apiKey: 'k', baseURL: `${server.url}/openai/v1`, maxRetries: 0 })
    const run = await ask({ provider: 'openai-compatible', model: 'm', client })
    expect(run.samples[0]?.output.verdict).toBe('yes')
  })
})

test.each([
  { provider: 'openai' as const, model: 'gpt-4o-mini', variable: 'OPENAI_API_KEY', path: '/v1/chat/completions', baseURL: () => server.openaiBaseURL },
  { provider: 'anthropic' as const, model: 'claude-haiku-4-5', variable: 'ANTHROPIC_API_KEY', path: '/v1/messages', baseURL: () => server.anthropicBaseURL },
])('the $provider judge takes baseURL too (a proxy or gateway in front of the API)', async ({ provider, model, variable, path, baseURL }) => {
  const saved = process.env[variable]
  process.env[variable] = `sk-test-${provider}-judge`
  try {
    server.enqueue({ path, content: { reasoning: '.', verdict: 'yes' } })
    const run = await ask({ provider, model, baseURL: baseURL(), maxRetries: 0 })
    expect(run.samples[0]?.output.verdict).toBe('yes')
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer sk-test-${provider}-judge`)
  } finally {
    if (saved === undefined) delete process.env[variable]
    else process.env[variable] = saved
  }
})

describe('openai-compatible judge config', () => {
  test('without baseURL: a ConfigError from createJudge, the matchers\' schema and the plugin options', () => {
    expect(() => createJudge({ provider: 'openai-compatible', model: 'llama' })).toThrow(
      "[vitest-llm-evals] The `openai-compatible` judge (llama) needs `judge.baseURL`: the API's base URL, e.g. 'https://api.groq.com/openai/v1'.",
    )
    expect(judgeConfigSchema().safeParse({ provider: 'openai-compatible', model: 'llama' }).error?.issues[0]).toMatchObject({ path: ['baseURL'] })
    expect(() => parseOptions({ judge: { provider: 'openai-compatible', model: 'llama' } })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] Invalid llmEvals() options:
        - \`judge.baseURL\`: is required for provider \`openai-compatible\`: the API's base URL, e.g. 'https://api.groq.com/openai/v1'
      See the options in docs/configuration.md.]
    `)
  })

  test('apiKeyEnv names a variable: a key pasted there, or apiKeyEnv on another provider, is refused', () => {
    expect(() => parseOptions({ judge: { provider: 'openai-compatible', model: 'm', baseURL: 'https://api.groq.com/openai/v1', apiKeyEnv: 'gsk_abc-123' } })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] Invalid llmEvals() options:
        - \`judge.apiKeyEnv\`: must name the environment variable that holds the key, in capitals (e.g. "GROQ_API_KEY"), never the key itself
      See the options in docs/configuration.md.]
    `)
    expect(() => judgeConfigSchema().parse({ provider: 'openai-compatible', model: 'm', baseURL: 'https://x.ai/v1', apiKeyEnv: 'gsk_abc123XYZ' })).toThrow(/never the key itself/)
    expect(() => parseOptions({ judge: { provider: 'openai', model: 'm', apiKeyEnv: 'GROQ_API_KEY' } })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] Invalid llmEvals() options:
        - \`judge.apiKeyEnv\`: is only for provider \`openai-compatible\`; provider \`openai\` reads its SDK's own variable
      See the options in docs/configuration.md.]
    `)
    expect(parseOptions({ judge: { provider: 'openai-compatible', model: 'm', baseURL: 'http://localhost:11434/v1', apiKeyEnv: 'OLLAMA_KEY' } }).judge).toMatchObject({ apiKeyEnv: 'OLLAMA_KEY' })
  })
})
