// OpenAI's two APIs as trace steps: a chat completion (`tool_calls` on the message) and a Responses API
// response (`function_call` output items), and the tool results an app sends back in its next request
// (`role: 'tool'` messages with `tool_call_id`; `function_call_output` items with `call_id`). Pure.
import { usageFromJson } from '../cassettes/usage.js'
import { contentText, isJsonObject, toolCallArgs, toolResultValue, type JsonObject } from './tool-call-args.js'
import type { ToolOutcome } from './trace-assemble.js'
import type { ToolCall, TraceStep } from './types.js'

/** True for a chat completion (`object: 'chat.completion'`, or a body with `choices`). */
export function isChatCompletion(value: JsonObject): boolean {
  return value.object === 'chat.completion' || (Array.isArray(value.choices) && value.object === undefined)
}

/** True for a Responses API response. */
export function isResponsesResponse(value: JsonObject): boolean {
  return value.object === 'response' || (Array.isArray(value.output) && value.object === undefined && typeof value.model === 'string')
}

function chatToolCall(raw: unknown): ToolCall | undefined {
  if (!isJsonObject(raw)) return undefined
  const id = typeof raw.id === 'string' ? { id: raw.id } : {}
  // Custom tools take free text, not JSON: their input is the argument as is.
  if (isJsonObject(raw.custom) && typeof raw.custom.name === 'string') return { ...id, name: raw.custom.name, args: raw.custom.input ?? '' }
  const fn = raw.function
  if (!isJsonObject(fn) || typeof fn.name !== 'string') return undefined
  return { ...id, name: fn.name, ...toolCallArgs(fn.arguments) }
}

/** The step of a chat completion (its first choice, as SDKs read it). */
export function chatCompletionStep(body: JsonObject, messages?: unknown[]): TraceStep {
  const choice = Array.isArray(body.choices) ? body.choices.find((item) => isJsonObject(item) && (item.index ?? 0) === 0) ?? body.choices[0] : undefined
  const message = isJsonObject(choice) && isJsonObject(choice.message) ? choice.message : {}
  const toolCalls = (Array.isArray(message.tool_calls) ? message.tool_calls : []).map(chatToolCall).filter((call) => call !== undefined)
  // The deprecated single `function_call` (no id).
  if (toolCalls.length === 0 && isJsonObject(message.function_call) && typeof message.function_call.name === 'string') {
    toolCalls.push({ name: message.function_call.name, ...toolCallArgs(message.function_call.arguments) })
  }
  return stepOf('openai-chat', body, contentText(message.content), toolCalls, messages)
}

function responsesToolCall(item: JsonObject): ToolCall | undefined {
  if (typeof item.name !== 'string') return undefined
  const id = typeof item.call_id === 'string' ? { id: item.call_id } : typeof item.id === 'string' ? { id: item.id } : {}
  if (item.type === 'function_call') return { ...id, name: item.name, ...toolCallArgs(item.arguments) }
  if (item.type === 'custom_tool_call') return { ...id, name: item.name, args: item.input ?? '' }
  return undefined
}

/** The step of a Responses API response: its output text and function calls, in output order. */
export function responsesStep(body: JsonObject, messages?: unknown[]): TraceStep {
  const output = Array.isArray(body.output) ? body.output.filter(isJsonObject) : []
  const toolCalls = output.map(responsesToolCall).filter((call) => call !== undefined)
  const texts = output.filter((item) => item.type === 'message').map((item) => contentText(Array.isArray(item.content) ? item.content.filter((part) => isJsonObject(part) && part.type === 'output_text') : []))
  const text = typeof body.output_text === 'string' ? body.output_text : texts.join('')
  return stepOf('openai-responses', body, text, toolCalls, messages)
}

function stepOf(provider: TraceStep['provider'], body: JsonObject, text: string, toolCalls: ToolCall[], messages: unknown[] | undefined): TraceStep {
  const usage = usageFromJson(body)
  return {
    provider,
    ...(typeof body.model === 'string' ? { model: body.model } : {}),
    ...(messages ? { messages } : {}),
    text,
    toolCalls,
    ...(usage ? { usage } : {}),
  }
}

/**
 * The tool results in a request's messages or input items: chat `role: 'tool'` messages by
 * `tool_call_id`, Responses `function_call_output` (and `custom_tool_call_output`) items by `call_id`.
 */
export function openaiToolOutcomes(items: readonly unknown[], into = new Map<string, ToolOutcome>()): Map<string, ToolOutcome> {
  for (const item of items) {
    if (!isJsonObject(item)) continue
    if (item.role === 'tool' && typeof item.tool_call_id === 'string') into.set(item.tool_call_id, { result: toolResultValue(item.content) })
    else if ((item.type === 'function_call_output' || item.type === 'custom_tool_call_output') && typeof item.call_id === 'string') {
      into.set(item.call_id, { result: toolResultValue(item.output) })
    }
  }
  return into
}
