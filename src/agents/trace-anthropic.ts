// Anthropic messages as trace steps (`tool_use` content blocks) and the tool results an app sends back
// (`tool_result` blocks by `tool_use_id`, `is_error` marking a failure). Pure.
import { usageFromJson } from '../cassettes/usage.js'
import { contentText, isJsonObject, toolCallArgs, toolResultValue, type JsonObject } from './tool-call-args.js'
import type { ToolOutcome } from './trace-assemble.js'
import type { ToolCall, TraceStep } from './types.js'

/** True for an Anthropic message (`type: 'message'` with content blocks). */
export function isAnthropicMessage(value: JsonObject): boolean {
  return value.type === 'message' && Array.isArray(value.content)
}

function toolUse(block: JsonObject): ToolCall | undefined {
  if (block.type !== 'tool_use' || typeof block.name !== 'string') return undefined
  // A streamed block carries the joined `input_json_delta` text, which may not be valid JSON.
  return { ...(typeof block.id === 'string' ? { id: block.id } : {}), name: block.name, ...toolCallArgs(block.input) }
}

/** The step of an Anthropic message: its text blocks joined, its `tool_use` blocks in order. */
export function anthropicStep(body: JsonObject, messages?: unknown[]): TraceStep {
  const blocks = Array.isArray(body.content) ? body.content.filter(isJsonObject) : []
  const text = contentText(blocks.filter((block) => block.type === 'text'))
  const usage = usageFromJson(body)
  return {
    provider: 'anthropic',
    ...(typeof body.model === 'string' ? { model: body.model } : {}),
    ...(messages ? { messages } : {}),
    text,
    toolCalls: blocks.map(toolUse).filter((call) => call !== undefined),
    ...(usage ? { usage } : {}),
  }
}

/** The `tool_result` blocks of a request's messages, by `tool_use_id`; `is_error` results become errors. */
export function anthropicToolOutcomes(messages: readonly unknown[], into = new Map<string, ToolOutcome>()): Map<string, ToolOutcome> {
  for (const message of messages) {
    if (!isJsonObject(message) || !Array.isArray(message.content)) continue
    for (const block of message.content) {
      if (!isJsonObject(block) || block.type !== 'tool_result' || typeof block.tool_use_id !== 'string') continue
      into.set(block.tool_use_id, block.is_error === true ? { error: contentText(block.content) || 'the tool reported an error' } : { result: toolResultValue(block.content) })
    }
  }
  return into
}
