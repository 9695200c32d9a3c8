import { coverBaseUrl } from '../cassettes/hosts.js'
import { ConfigError } from '../errors/index.js'
import { judgeSettings, type Judge, type JudgeConfig, type JudgeRequest, type JudgeResponse } from './judge.js'
import { apiKeyFor, importSdk } from './load-sdk.js'

interface MessageLike {
  content?: Array<{ type: string; name?: string; input?: unknown; text?: string }>
  stop_reason?: string | null
  usage?: { input_tokens?: number; output_tokens?: number } | null
}

/** The part of the `@anthropic-ai/sdk` client the judge uses. */
export interface AnthropicMessagesClient {
  messages: { create(body: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown> }
}

/** Anthropic's required `max_tokens` when the config sets none. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096

function checkClient(client: unknown): AnthropicMessagesClient {
  if (typeof (client as AnthropicMessagesClient | null)?.messages?.create !== 'function') {
    throw new ConfigError('`judge.client` for provider `anthropic` must be an `Anthropic` client (with `messages.create`).')
  }
  return client as AnthropicMessagesClient
}

async function defaultClient(maxRetries: number, baseURL: string | undefined): Promise<AnthropicMessagesClient> {
  const { default: Anthropic } = await importSdk('@anthropic-ai/sdk', () => import('@anthropic-ai/sdk'))
  const apiKey = apiKeyFor('ANTHROPIC_API_KEY')
  return new Anthropic({ maxRetries, ...(apiKey === undefined ? {} : { apiKey }), ...(baseURL === undefined ? {} : { baseURL }) }) as unknown as AnthropicMessagesClient
}

/** The messages body of a judge request: one tool whose input schema is the verdict schema, forced; temperature 0. */
export function anthropicJudgeBody(config: JudgeConfig, request: JudgeRequest): Record<string, unknown> {
  return {
    model: config.model,
    max_tokens: config.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    temperature: config.temperature ?? 0,
    system: request.system,
    messages: [{ role: 'user', content: request.user }],
    tools: [{ name: request.schemaName, description: 'Record your verdict.', input_schema: request.schema }],
    tool_choice: { type: 'tool', name: request.schemaName },
  }
}

function parseMessage(message: MessageLike, schemaName: string): JudgeResponse {
  const usage = message.usage ? { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens } : undefined
  const call = message.content?.find((block) => block.type === 'tool_use' && block.name === schemaName)
  const text = message.content?.flatMap((block) => (block.type === 'text' && block.text ? [block.text] : [])).join('\n')
  const output = call ? call.input : `(no \`${schemaName}\` tool call; stop_reason ${message.stop_reason ?? 'unknown'}) ${text ?? ''}`.trim()
  return { output, ...(usage ? { usage } : {}) }
}

/**
 * A judge over Anthropic messages with a forced tool call. `@anthropic-ai/sdk` is imported on the first call.
 * Anthropic returns no token probabilities, so rubric scores are the single score the judge gives.
 *
 * @example
 * const judge = createAnthropicJudge({ provider: 'anthropic', model: 'claude-haiku-4-5' })
 */
export function createAnthropicJudge(config: JudgeConfig): Judge {
  // Owned from now on, not from its first call: an app call to the same server made before is recorded too.
  if (config.baseURL !== undefined && config.client === undefined) coverBaseUrl(config.baseURL)
  let client: Promise<AnthropicMessagesClient> | undefined = config.client === undefined ? undefined : Promise.resolve(checkClient(config.client))
  return {
    provider: 'anthropic',
    ...judgeSettings(config),
    async complete(request, options) {
      client ??= defaultClient(config.maxRetries ?? 6, config.baseURL)
      const message = (await (await client).messages.create(anthropicJudgeBody(config, request), options?.signal ? { signal: options.signal } : {})) as MessageLike
      return parseMessage(message, request.schemaName)
    },
  }
}
