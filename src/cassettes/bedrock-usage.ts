// Token counts of Bedrock responses beyond the JSON bodies `usage.ts` reads: event streams (ConverseStream's
// `metadata` event; InvokeModelWithResponseStream chunks, the model's own events and
// `amazon-bedrock-invocationMetrics` in the last), and InvokeModel's token count headers, whatever the model. Pure.
import type { StoredEvent, TokenUsage } from './entry.js'
import { eventPayloadJson } from './event-stream-store.js'
import { tokenUsage, usageFromJson } from './usage.js'

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * The token usage a stored event stream reports: the last count of each kind any event carried (Bedrock's own
 * invocation metrics win over the model's, as they are what is billed).
 *
 * @example
 * usageFromEvents(entry.response.events) // { inputTokens: 12, outputTokens: 40 }
 */
export function usageFromEvents(events: readonly StoredEvent[]): TokenUsage | undefined {
  let usage: TokenUsage | undefined
  for (const event of events) {
    const payload = eventPayloadJson(event)
    if (!isObject(payload)) continue
    const found = isObject(payload.bytes) ? chunkUsage(payload.bytes) : usageFromJson(payload)
    if (found) usage = { ...usage, ...found }
  }
  return usage
}

/** Usage of one decoded InvokeModelWithResponseStream chunk. */
function chunkUsage(chunk: Json): TokenUsage | undefined {
  const metrics = chunk['amazon-bedrock-invocationMetrics']
  const billed = isObject(metrics) ? tokenUsage(metrics.inputTokenCount, metrics.outputTokenCount) : undefined
  const model = usageFromJson(chunk) ?? (isObject(chunk.message) ? usageFromJson(chunk.message) : undefined)
  return model || billed ? { ...model, ...billed } : undefined
}

/** The headers InvokeModel reports its token counts in, for every model (stored with the response). */
export const BEDROCK_TOKEN_HEADERS = ['x-amzn-bedrock-input-token-count', 'x-amzn-bedrock-output-token-count'] as const

/**
 * The token usage of an InvokeModel response's headers (stored lowercased), whatever the model's body says.
 *
 * @example
 * usageFromHeaders({ 'x-amzn-bedrock-input-token-count': '12', 'x-amzn-bedrock-output-token-count': '5' }) // { inputTokens: 12, outputTokens: 5 }
 */
export function usageFromHeaders(headers: Readonly<Record<string, string>>): TokenUsage | undefined {
  const count = (name: string) => {
    const value = headers[name]
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined
  }
  return tokenUsage(count(BEDROCK_TOKEN_HEADERS[0]), count(BEDROCK_TOKEN_HEADERS[1]))
}
