import { coverBaseUrl } from '../cassettes/hosts.js'
import { judgeSettings, type Judge, type JudgeConfig, type JudgeRequest } from './judge.js'
import { chatJudgeBody, checkChatClient, parseChatCompletion, type OpenAIChatClient } from './chat-completions.js'
import { apiKeyFor, importSdk } from './load-sdk.js'

export type { OpenAIChatClient } from './chat-completions.js'

async function defaultClient(config: JudgeConfig): Promise<OpenAIChatClient> {
  const { default: OpenAI } = await importSdk('openai', () => import('openai'))
  const apiKey = apiKeyFor('OPENAI_API_KEY')
  return new OpenAI({
    maxRetries: config.maxRetries ?? 6,
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(config.baseURL === undefined ? {} : { baseURL: config.baseURL }),
  }) as unknown as OpenAIChatClient
}

/** The chat completions body of a judge request: JSON-schema structured output (strict), temperature 0. */
export function openaiJudgeBody(config: JudgeConfig, request: JudgeRequest): Record<string, unknown> {
  return chatJudgeBody(config, request, 'json_schema', 'max_completion_tokens')
}

/**
 * A judge over OpenAI chat completions with structured output. `openai` is imported on the first call.
 *
 * @example
 * const judge = createOpenAIJudge({ provider: 'openai', model: 'gpt-4o-mini' })
 */
export function createOpenAIJudge(config: JudgeConfig): Judge {
  // Owned from now on, not from its first call: an app call to the same server made before is recorded too.
  if (config.baseURL !== undefined && config.client === undefined) coverBaseUrl(config.baseURL)
  let client: Promise<OpenAIChatClient> | undefined = config.client === undefined ? undefined : Promise.resolve(checkChatClient(config.client, 'openai'))
  return {
    provider: 'openai',
    ...judgeSettings(config),
    async complete(request, options) {
      client ??= defaultClient(config)
      const completion = await (await client).chat.completions.create(openaiJudgeBody(config, request), options?.signal ? { signal: options.signal } : {})
      return parseChatCompletion(completion)
    },
  }
}
