// Token counts of a Bedrock event stream: ConverseStream's `metadata` event, and InvokeModelWithResponseStream
// chunks (the model's own events, e.g. Anthropic's, and `amazon-bedrock-invocationMetrics` in the last). Pure.
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
