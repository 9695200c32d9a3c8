import { coverBaseUrl } from '../cassettes/hosts.js'
import { ConfigError } from '../errors/index.js'
import { chatJudgeBody, checkChatClient, parseChatCompletion, type ChatOutputMode, type OpenAIChatClient } from './chat-completions.js'
import { judgeSettings, type Judge, type JudgeConfig, type JudgeRequest, type JudgeResponse } from './judge.js'
import { apiKeyFor, importSdk } from './load-sdk.js'

/** Where the key of an `openai-compatible` judge is read from when `apiKeyEnv` is not set. */
export const DEFAULT_COMPATIBLE_KEY_VARIABLE = 'OPENAI_API_KEY'

async function defaultClient(config: JudgeConfig, baseURL: string): Promise<OpenAIChatClient> {
  const { default: OpenAI } = await importSdk('openai', () => import('openai'))
  const variable = config.apiKeyEnv ?? DEFAULT_COMPATIBLE_KEY_VARIABLE
  const apiKey = apiKeyFor(variable)
  if (apiKey === undefined) {
    throw new ConfigError(
      `The \`openai-compatible\` judge (${config.model} at ${baseURL}) reads its API key from the environment variable ${variable}, which is not set. ` +
        'Set it, or name the variable that holds the key with `judge.apiKeyEnv` (for a server that needs no key, set the variable to any value).',
    )
  }
  return new OpenAI({ apiKey, baseURL, maxRetries: config.maxRetries ?? 6 }) as unknown as OpenAIChatClient
}

/**
 * True when the server rejected the request as invalid (400): what servers without `json_schema` answer to it.
 * A cassette miss is a 400 too, but from the cassette: retrying as `json_object` would make a second miss and
 * report that request, not the one to record.
 */
function isBadRequest(error: unknown): boolean {
  const failure = error as { status?: unknown; code?: unknown; headers?: { get?: (name: string) => string | null } | Record<string, string> } | null
  if (failure?.status !== 400) return false
  const headers = failure.headers
  const cassette = typeof headers?.get === 'function' ? headers.get('x-llm-evals-cassette') : (headers as Record<string, string> | undefined)?.['x-llm-evals-cassette']
  return cassette !== 'miss' && failure.code !== 'llm_evals_cassette_miss'
}

/**
 * A judge on any OpenAI-compatible chat completions API at `baseURL` (Groq, Mistral, OpenRouter, DeepSeek,
 * vLLM, Ollama…), through the `openai` SDK. It asks for a strict `json_schema`; when the server answers 400 to
 * that, it asks again with `json_object` and the schema in the system text, and keeps doing so once that worked.
 *
 * @example
 * const judge = createOpenAICompatibleJudge({ provider: 'openai-compatible', model: 'llama-3.3-70b-versatile', baseURL: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY' })
 */
export function createOpenAICompatibleJudge(config: JudgeConfig): Judge {
  // Owned from now on, not from its first call: an app call to the same server made before is recorded too.
  if (config.baseURL !== undefined && config.client === undefined) coverBaseUrl(config.baseURL)
  const baseURL = config.baseURL
  if (baseURL === undefined && config.client === undefined) {
    throw new ConfigError(
      `The \`openai-compatible\` judge (${config.model}) needs \`judge.baseURL\`: the API's base URL, e.g. 'https://api.groq.com/openai/v1'.`,
    )
  }
  let client: Promise<OpenAIChatClient> | undefined =
    config.client === undefined ? undefined : Promise.resolve(checkChatClient(config.client, 'openai-compatible'))
  let mode: ChatOutputMode = 'json_schema'
  const call = async (request: JudgeRequest, callMode: ChatOutputMode, signal: AbortSignal | undefined): Promise<JudgeResponse> => {
    client ??= defaultClient(config, baseURL ?? '')
    const body = chatJudgeBody(config, request, callMode, 'max_tokens')
    return parseChatCompletion(await (await client).chat.completions.create(body, signal ? { signal } : {}))
  }
  return {
    provider: 'openai-compatible',
    ...judgeSettings(config),
    async complete(request, options) {
      if (mode === 'json_object') return call(request, 'json_object', options?.signal)
      try {
        return await call(request, 'json_schema', options?.signal)
      } catch (error) {
        if (!isBadRequest(error)) throw error
        // A 400 for another reason fails the retry too, and that error is the one reported.
        const response = await call(request, 'json_object', options?.signal)
        mode = 'json_object'
        return response
      }
    },
  }
}
