import type { TokenUsage } from './entry.js'
import { geminiUsage } from './gemini-usage.js'
import { jsonArrayElements } from './json-array-stream.js'

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** A camelCase count: a number (Bedrock Converse, Amazon Nova) or the AI Gateway's `{ total }` (the AI SDK's own usage shape). */
const totalOf = (count: unknown): unknown => (isObject(count) ? count.total : count)

function readUsage(usage: unknown): TokenUsage | undefined {
  if (!isObject(usage)) return undefined
  // snake_case: OpenAI, Anthropic; camelCase: Bedrock Converse, Amazon Nova and the AI Gateway.
  return tokenUsage(usage.prompt_tokens ?? usage.input_tokens ?? totalOf(usage.inputTokens), usage.completion_tokens ?? usage.output_tokens ?? totalOf(usage.outputTokens))
}

/**
 * Token counts from the input and output counts a provider reported (anything not a number is left out);
 * `undefined` when neither is known.
 *
 * @example
 * tokenUsage(body.usage.prompt_tokens, body.usage.completion_tokens) // { inputTokens: 12, outputTokens: 5 }
 */
export function tokenUsage(input: unknown, output: unknown): TokenUsage | undefined {
  const result: TokenUsage = {}
  if (typeof input === 'number') result.inputTokens = input
  if (typeof output === 'number') result.outputTokens = output
  return result.inputTokens === undefined && result.outputTokens === undefined ? undefined : result
}

/** Token usage of a JSON response body (OpenAI chat, Responses, embeddings, Anthropic messages, Gemini, Bedrock Converse, the AI Gateway). */
export function usageFromJson(body: unknown): TokenUsage | undefined {
  if (!isObject(body)) return undefined
  return readUsage(body.usage) ?? (isObject(body.response) ? readUsage(body.response.usage) : undefined) ?? geminiUsage(body.usageMetadata)
}

/**
 * Token usage of a streamed (SSE) response: the last usage any event carried, with Anthropic's
 * `message_start` input count kept when `message_delta` only reports output tokens.
 */
export function usageFromStream(chunks: readonly string[]): TokenUsage | undefined {
  const elements = jsonArrayElements(chunks)
  if (elements) return elements.map(usageFromJson).findLast((found) => found !== undefined)
  let usage: TokenUsage | undefined
  for (const line of chunks.join('').split('\n')) {
    if (!line.startsWith('data:')) continue
    let event: unknown
    try {
      event = JSON.parse(line.slice(5).trim())
    } catch {
      continue
    }
    const found = usageFromJson(event) ?? (isObject(event) && isObject(event.message) ? readUsage(event.message.usage) : undefined)
    if (found) usage = { ...usage, ...found }
  }
  return usage
}
