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
