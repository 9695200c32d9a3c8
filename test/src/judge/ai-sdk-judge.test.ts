import { createAnthropic } from '@ai-sdk/anthropic'
import { createOpenAI } from '@ai-sdk/openai'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { parseOptions } from '../../../src/config.js'
import { ConfigError, JudgeError } from '../../../src/errors/index.js'
import { createAiSdkJudge } from '../../../src/judge/ai-sdk-judge.js'
import { isLanguageModel } from '../../../src/judge/judge.js'
import { judgeJsonSchema } from '../../../src/judge/prompt.js'
import { configureDefaultJudge, resolveJudge } from '../../../src/judge/resolve-judge.js'
import { runJudge } from '../../../src/judge/run-judge.js'
import { startModelServer, type ModelServer } from '../../support/model-server.js'
import { verdictPrompt } from './verdict-prompt.js'

let server: ModelServer
beforeAll(async () => {
  server = await startModelServer()
})
beforeEach(() => server.reset())
afterAll(async () => server.close())

/** The two AI SDK providers, each pointed at the scripted server; `path` is the API the model calls. */
const MODELS = {
  '@ai-sdk/openai': { path: '/v1/responses', model: () => createOpenAI({ apiKey: 'sk-test', baseURL: server.openaiBaseURL })('gpt-4o-mini'), provider: 'openai.responses' },
  '@ai-sdk/anthropic': { path: '/v1/messages', model: () => createAnthropic({ apiKey: 'sk-ant-test', baseURL: `${server.url}/v1` })('claude-haiku-4-5'), provider: 'anthropic.messages' },
}
type Sdk = keyof typeof MODELS
const ask = (sdk: Sdk, thing = 'the sky', maxRetries = 1) =>
  runJudge(createAiSdkJudge(MODELS[sdk].model(), { maxRetries }), { matcherName: 'toBeBlue', prompt: verdictPrompt, variables: { thing } })

describe.each(Object.keys(MODELS) as Sdk[])('a judge on an AI SDK model (%s) against the scripted server', (sdk) => {
  const { path, provider } = MODELS[sdk]

  test('asks for the verdict schema (reasoning first) as structured output at temperature 0; returns the output and usage', async () => {
    server.enqueue({ path, content: { reasoning: 'The sky is blue.', verdict: 'yes' } })
    const run = await ask(sdk)
    expect(run.samples).toEqual([{ output: { reasoning: 'The sky is blue.', verdict: 'yes' } }])
    expect(run.judge).toMatchObject({ provider, model: sdk === '@ai-sdk/openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5' })
    expect(run.usage.inputTokens).toBeGreaterThan(0)
    expect(run.usage.outputTokens).toBeGreaterThan(0)
    const body = server.requests[0]?.body as Record<string, unknown> & { text?: { format: { schema: object } }; output_config?: { format: { schema: object } } }
    expect(body['temperature']).toBe(0)
    const sent = sdk === '@ai-sdk/openai' ? body.text?.format : body.output_config?.format
    expect(sent).toMatchObject({ type: 'json_schema' })
    expect(Object.keys((sent?.schema as { properties: object }).properties)).toEqual(['reasoning', 'verdict'])
    expect(sent?.schema).toMatchObject({ required: judgeJsonSchema(verdictPrompt.schema)['required'] })
  })

  test('output that is not a verdict is retried once, then a JudgeError showing what came back (fail-closed)', async () => {
    server.enqueue({ path, content: { reasoning: 'hmm', verdict: 'maybe' } })
    server.enqueue({ path, content: 'not json at all' })
    const error = await ask(sdk).catch((caught: unknown) => caught)
    expect(server.requests).toHaveLength(2)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toContain(`toBeBlue(): the judge (${provider} `)
    expect((error as Error).message).toContain('returned invalid output twice')
    expect((error as Error).message).toContain('not json at all')
  })

  test('an API error is a JudgeError with the provider message', async () => {
    server.enqueue({ path, status: 404, error: { message: 'model `gpt-9` not found' } })
    const error = await ask(sdk, 'x', 0).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toMatch(/failed: .*model `gpt-9` not found/)
  })

  test('no answer within timeoutMs is a JudgeError, and the request is aborted', { timeout: 10_000 }, async () => {
    server.enqueue({ path, delayMs: 30_000 })
    const judge = createAiSdkJudge(MODELS[sdk].model(), { timeoutMs: 200, maxRetries: 0 })
    const started = performance.now()
    const error = await runJudge(judge, { matcherName: 'toBeBlue', prompt: verdictPrompt, variables: { thing: 'x' } }).catch((caught: unknown) => caught)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect((error as Error).message).toContain('did not answer within 200 ms')
    const deadline = Date.now() + 5_000
    while (server.abandoned.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(server.abandoned).toHaveLength(1)
  })
})

describe('AI SDK models as the judge option', () => {
  const model = () => MODELS['@ai-sdk/openai'].model()

  test('is recognized (specificationVersion + doGenerate), and a config or a Judge is not one', () => {
    expect(isLanguageModel(model())).toBe(true)
    expect(isLanguageModel({ provider: 'openai', model: 'gpt-4o-mini' })).toBe(false)
    expect(isLanguageModel('openai/gpt-4o-mini')).toBe(false)
  })

  test('resolveJudge and configureDefaultJudge accept one; the same model object gives the same judge', () => {
    const languageModel = model()
    const judge = resolveJudge(languageModel, 'toBeFactual')
    expect(judge).toMatchObject({ provider: 'openai.responses', model: 'gpt-4o-mini' })
    expect(resolveJudge(languageModel, 'toBeFactual')).toBe(judge)
    configureDefaultJudge(languageModel)
    try {
      expect(resolveJudge(undefined, 'toBeFactual')).toBe(judge)
    } finally {
      configureDefaultJudge(undefined)
    }
  })

  test('in llmEvals({ judge }) it is a ConfigError telling to call configureDefaultJudge in a setup file', () => {
    expect(() => parseOptions({ judge: model() })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: [vitest-llm-evals] Invalid llmEvals() options: \`judge\` is an AI SDK model, but the plugin's options reach the test workers as plain data, so only a config ({ provider, model, … }) fits there. Set it in a setup file instead: add \`setupFiles: ['./llm-evals.setup.ts']\` to the test config, and in that file \`import { configureDefaultJudge } from 'vitest-llm-evals'\` and call \`configureDefaultJudge(openai('gpt-4o-mini'))\` with your model. See "An AI SDK model as a judge" in docs/judges.md.]`)
    expect(() => parseOptions({ judge: { provider: 'x', model: 'm', complete: async () => ({ output: {} }) } })).toThrow(/`judge` is a Judge object, but the plugin's options reach the test workers as plain data/)
  })

  test('without the `ai` package, a ConfigError saying what to install', async () => {
    vi.doMock('ai', () => {
      throw new Error("Cannot find package 'ai'")
    })
    const error = await runJudge(createAiSdkJudge(model()), { matcherName: 't', prompt: verdictPrompt, variables: { thing: 'x' } }).catch((caught: unknown) => caught)
    vi.doUnmock('ai')
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain('needs the `ai` package, which is not installed. Run `npm install --save-dev ai`')
  })
})
