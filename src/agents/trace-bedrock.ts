// AWS Bedrock Converse responses as trace steps (`toolUse` content blocks) and the tool results an app
// sends back (`toolResult` blocks by `toolUseId`, `status: 'error'` marking a failure). Pure.
import { tokenUsage } from '../cassettes/usage.js'
import { contentText, isJsonObject, toolCallArgs, toolResultValue, type JsonObject } from './tool-call-args.js'
import type { ToolOutcome } from './trace-assemble.js'
import type { ToolCall, TraceStep } from './types.js'

/** True for a Bedrock Converse response (`output.message` with content blocks). */
export function isBedrockConverse(value: JsonObject): boolean {
  return isJsonObject(value.output) && isJsonObject(value.output.message) && Array.isArray(value.output.message.content)
}

function toolUse(block: JsonObject): ToolCall | undefined {
  const use = block.toolUse
  if (!isJsonObject(use) || typeof use.name !== 'string') return undefined
  return { ...(typeof use.toolUseId === 'string' ? { id: use.toolUseId } : {}), name: use.name, ...toolCallArgs(use.input) }
}

/** The step of a Converse response: its text blocks joined, its `toolUse` blocks in order. */
export function bedrockStep(body: JsonObject, messages?: unknown[], model?: string): TraceStep {
  const message = isJsonObject(body.output) && isJsonObject(body.output.message) ? body.output.message : {}
  const blocks = Array.isArray(message.content) ? message.content.filter(isJsonObject) : []
  const text = blocks
    .filter((block) => typeof block.text === 'string')
    .map((block) => block.text as string)
    .join('')
  const usage = isJsonObject(body.usage) ? tokenUsage(body.usage.inputTokens, body.usage.outputTokens) : undefined
  return {
    provider: 'bedrock',
    ...(model ? { model } : {}),
    ...(messages ? { messages } : {}),
    text,
    toolCalls: blocks.map(toolUse).filter((call) => call !== undefined),
    ...(usage ? { usage } : {}),
  }
}

/** A `toolResult`'s content: `json` blocks as their value, `text` blocks as text (JSON text parsed). */
function resultValue(content: unknown): unknown {
  if (!Array.isArray(content)) return content
  const blocks = content.filter(isJsonObject)
  if (blocks.length === 1 && blocks[0] && 'json' in blocks[0]) return blocks[0].json
  return toolResultValue(contentText(blocks))
}

/** The `toolResult` blocks of a request's messages, by `toolUseId`; `status: 'error'` results become errors. */
export function bedrockToolOutcomes(messages: readonly unknown[], into = new Map<string, ToolOutcome>()): Map<string, ToolOutcome> {
  for (const message of messages) {
    if (!isJsonObject(message) || !Array.isArray(message.content)) continue
    for (const block of message.content) {
      const result = isJsonObject(block) ? block.toolResult : undefined
      if (!isJsonObject(result) || typeof result.toolUseId !== 'string') continue
      const value = resultValue(result.content)
      into.set(result.toolUseId, result.status === 'error' ? { error: typeof value === 'string' && value !== '' ? value : JSON.stringify(value) } : { result: value })
    }
  }
  return into
}

/** One stored event of an AWS event stream: its headers (`:event-type`) and decoded JSON payload. */
export interface BedrockStreamEvent {
  headers: Record<string, unknown>
  json?: unknown
  bytesJson?: true
}

function eventType(event: BedrockStreamEvent): string | undefined {
  const type = event.headers[':event-type']
  return typeof type === 'string' ? type : isJsonObject(type) && typeof type.value === 'string' ? type.value : undefined
}

/** A Converse response from its ConverseStream events: blocks by `contentBlockIndex`, a toolUse's input as the joined text. */
function converseFromEvents(events: readonly BedrockStreamEvent[]): JsonObject {
  const blocks = new Map<number, JsonObject>()
  const inputs = new Map<number, string>()
  let usage: unknown
  for (const event of events) {
    const json = isJsonObject(event.json) ? event.json : {}
    const index = typeof json.contentBlockIndex === 'number' ? json.contentBlockIndex : 0
    const type = eventType(event)
    if (type === 'contentBlockStart' && isJsonObject(json.start) && isJsonObject(json.start.toolUse)) {
      blocks.set(index, { toolUse: { ...json.start.toolUse } })
    } else if (type === 'contentBlockDelta' && isJsonObject(json.delta)) {
      const delta = json.delta
      if (typeof delta.text === 'string') {
        const block = blocks.get(index) ?? {}
        block.text = `${typeof block.text === 'string' ? block.text : ''}${delta.text}`
        blocks.set(index, block)
      }
      if (isJsonObject(delta.toolUse) && typeof delta.toolUse.input === 'string') inputs.set(index, (inputs.get(index) ?? '') + delta.toolUse.input)
    } else if (type === 'metadata' && isJsonObject(json.usage)) {
      usage = json.usage
    }
  }
  for (const [index, input] of inputs) {
    const use = blocks.get(index)?.toolUse
    if (isJsonObject(use)) use.input = input
  }
  const content = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block)
  return { output: { message: { role: 'assistant', content } }, ...(usage ? { usage } : {}) }
}

/**
 * The response body an AWS event stream spells, and which API it came from: ConverseStream events as a
 * Converse response; InvokeModelWithResponseStream `chunk` events as the events of the model's own stream
 * (for Anthropic models, a message); `undefined` for any other stream.
 */
export function responseFromEventStream(events: readonly BedrockStreamEvent[], anthropicFromEvents: (events: readonly JsonObject[]) => JsonObject): { kind: 'bedrock' | 'anthropic'; body: JsonObject } | undefined {
  const types = new Set(events.map(eventType))
  if (types.has('contentBlockDelta') || types.has('messageStart')) return { kind: 'bedrock', body: converseFromEvents(events) }
  if (!types.has('chunk')) return undefined
  const inner = events.flatMap((event) => {
    if (eventType(event) !== 'chunk' || !isJsonObject(event.json)) return []
    const bytes = event.json.bytes
    if (event.bytesJson && isJsonObject(bytes)) return [bytes]
    if (typeof bytes !== 'string') return []
    try {
      const parsed = JSON.parse(Buffer.from(bytes, 'base64').toString('utf8')) as unknown
      return isJsonObject(parsed) ? [parsed] : []
    } catch {
      return []
    }
  })
  return inner.some((event) => event.type === 'message_start') ? { kind: 'anthropic', body: anthropicFromEvents(inner) } : undefined
}
