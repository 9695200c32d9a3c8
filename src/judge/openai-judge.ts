import { ConfigError } from '../errors/index.js'
import type { GeneratedToken } from '../metrics/judged/rubric.js'
import type { Judge, JudgeConfig, JudgeRequest, JudgeResponse } from './judge.js'
import { apiKeyFor, importSdk } from './load-sdk.js'

interface ChatCompletionLike {
  choices?: Array<{
    finish_reason?: string | null
    message?: { content?: string | null; refusal?: string | null }
    logprobs?: { content?: Array<{ token: string; logprob: number; top_logprobs?: Array<{ token: string; logprob: number }> }> | null } | null
  }>
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null
}

/** The part of the `openai` client the judge uses. */
export interface OpenAIChatClient {
  chat: { completions: { create(body: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown> } }
}

function checkClient(client: unknown): OpenAIChatClient {
  if (typeof (client as OpenAIChatClient | null)?.chat?.completions?.create !== 'function') {
    throw new ConfigError('`judge.client` for provider `openai` must be an `OpenAI` client (with `chat.completions.create`).')
  }
  return client as OpenAIChatClient
}

async function defaultClient(maxRetries: number): Promise<OpenAIChatClient> {
  const { default: OpenAI } = await importSdk('openai', () => import('openai'))
  const apiKey = apiKeyFor('OPENAI_API_KEY')
  return new OpenAI({ maxRetries, ...(apiKey === undefined ? {} : { apiKey }) }) as unknown as OpenAIChatClient
}

/** The chat completions body of a judge request: JSON-schema structured output (strict), temperature 0. */
export function openaiJudgeBody(config: JudgeConfig, request: JudgeRequest): Record<string, unknown> {
  return {
    model: config.model,
    temperature: config.temperature ?? 0,
    ...(config.maxTokens === undefined ? {} : { max_completion_tokens: config.maxTokens }),
    messages: [
      { role: 'system', content: request.system },
      { role: 'user', content: request.user },
    ],
    response_format: { type: 'json_schema', json_schema: { name: request.schemaName, strict: true, schema: request.schema } },
    ...(request.logprobs ? { logprobs: true, top_logprobs: 20 } : {}),
  }
}

function parseCompletion(completion: ChatCompletionLike): JudgeResponse {
  const choice = completion.choices?.[0]
  const usage = completion.usage ? { inputTokens: completion.usage.prompt_tokens, outputTokens: completion.usage.completion_tokens } : undefined
  const base = usage ? { usage } : {}
  if (choice?.message?.refusal) return { ...base, output: `(refused) ${choice.message.refusal}` }
  const text = choice?.message?.content ?? ''
  const tokens: GeneratedToken[] | undefined = choice?.logprobs?.content?.map((item) => ({
    token: item.token,
    logprob: item.logprob,
    top: item.top_logprobs ?? [],
  }))
  let output: unknown = text
  try {
    output = JSON.parse(text)
  } catch {
    // Left as text: validation reports what came back (e.g. a reply cut at `finish_reason: length`).
  }
  return { ...base, output, ...(tokens?.length ? { tokens } : {}) }
}

/**
 * A judge over OpenAI chat completions with structured output. `openai` is imported on the first call.
 *
 * @example
 * const judge = createOpenAIJudge({ provider: 'openai', model: 'gpt-4o-mini' })
 */
export function createOpenAIJudge(config: JudgeConfig): Judge {
  let client: Promise<OpenAIChatClient> | undefined = config.client === undefined ? undefined : Promise.resolve(checkClient(config.client))
  return {
    provider: 'openai',
    model: config.model,
    ...(config.maxConcurrency === undefined ? {} : { maxConcurrency: config.maxConcurrency }),
    ...(config.samples === undefined ? {} : { samples: config.samples }),
    ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
    async complete(request, options) {
      client ??= defaultClient(config.maxRetries ?? 6)
      const completion = (await (await client).chat.completions.create(openaiJudgeBody(config, request), options?.signal ? { signal: options.signal } : {})) as ChatCompletionLike
      return parseCompletion(completion)
    },
  }
}
