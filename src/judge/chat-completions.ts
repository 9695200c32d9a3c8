// What the OpenAI judge and the OpenAI-compatible judge share: the chat completions request of a judge call
// and the reading of its reply.
import { ConfigError } from '../errors/index.js'
import type { GeneratedToken } from '../metrics/judged/rubric.js'
import type { JudgeConfig, JudgeRequest, JudgeResponse } from './judge.js'

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

/** `client` as an `openai` client, or a ConfigError naming the provider it was given for. */
export function checkChatClient(client: unknown, provider: string): OpenAIChatClient {
  if (typeof (client as OpenAIChatClient | null)?.chat?.completions?.create !== 'function') {
    throw new ConfigError(`\`judge.client\` for provider \`${provider}\` must be an \`OpenAI\` client (with \`chat.completions.create\`).`)
  }
  return client as OpenAIChatClient
}

/** How a judge's chat request asks for its verdict: a strict JSON schema, or any JSON object (the schema then in the prompt). */
export type ChatOutputMode = 'json_schema' | 'json_object'

/** What `json_object` mode adds to the system text: the schema the reply must follow. */
export function schemaInstruction(request: JudgeRequest): string {
  return `Reply with one JSON object only (no other text), valid against this JSON schema, its fields in this order:\n${JSON.stringify(request.schema)}`
}

/**
 * The chat completions body of a judge request: temperature 0 and structured output (a strict `json_schema`,
 * or `json_object` with the schema in the system text). `maxTokensField` is where `maxTokens` goes.
 *
 * @example
 * chatJudgeBody(config, request, 'json_schema', 'max_completion_tokens')
 */
export function chatJudgeBody(config: JudgeConfig, request: JudgeRequest, mode: ChatOutputMode, maxTokensField: 'max_completion_tokens' | 'max_tokens'): Record<string, unknown> {
  const system = mode === 'json_schema' ? request.system : `${request.system}\n\n${schemaInstruction(request)}`
  return {
    model: config.model,
    temperature: config.temperature ?? 0,
    ...(config.maxTokens === undefined ? {} : { [maxTokensField]: config.maxTokens }),
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: request.user },
    ],
    response_format:
      mode === 'json_schema' ? { type: 'json_schema', json_schema: { name: request.schemaName, strict: true, schema: request.schema } } : { type: 'json_object' },
    ...(request.logprobs ? { logprobs: true, top_logprobs: 20 } : {}),
  }
}

/** A judge response from a chat completion: the parsed JSON content (or the text), token log probabilities, usage. */
export function parseChatCompletion(reply: unknown): JudgeResponse {
  const completion = reply as ChatCompletionLike
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
