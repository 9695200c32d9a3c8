// A trace read from a message history, as agents keep it: OpenAI chat messages (`tool_calls`, `role:
// 'tool'`), Responses API items (`function_call`, `function_call_output`), Anthropic messages (`tool_use`,
// `tool_result`) and AI SDK model messages (`tool-call`, `tool-result` parts). Each assistant turn is a step. Pure.
import { anthropicStep, anthropicToolOutcomes } from './trace-anthropic.js'
import type { StepDraft, ToolOutcome } from './trace-assemble.js'
import { chatCompletionStep, openaiToolOutcomes, responsesStep } from './trace-openai.js'
import { contentText, isJsonObject, toolCallArgs, type JsonObject } from './tool-call-args.js'
import type { TraceStep } from './types.js'

/** Responses API items a model produces; consecutive ones form one step. */
const RESPONSES_OUTPUT_ITEMS = new Set(['function_call', 'custom_tool_call', 'reasoning'])
const RESPONSES_INPUT_ITEMS = new Set(['function_call_output', 'custom_tool_call_output', 'message'])

/** True when `items` look like a message history (chat messages or Responses API items). */
export function isMessageList(items: readonly unknown[]): boolean {
  return items.length > 0 && items.every((item) => isJsonObject(item) && (typeof item.role === 'string' || RESPONSES_OUTPUT_ITEMS.has(String(item.type)) || RESPONSES_INPUT_ITEMS.has(String(item.type))))
}

function aiSdkToolOutcomes(messages: readonly unknown[], into: Map<string, ToolOutcome>): void {
  for (const message of messages) {
    if (!isJsonObject(message) || message.role !== 'tool' || !Array.isArray(message.content)) continue
    for (const part of message.content) {
      if (!isJsonObject(part) || part.type !== 'tool-result' || typeof part.toolCallId !== 'string') continue
      const output = isJsonObject(part.output) ? part.output : undefined
      if (output && typeof output.type === 'string' && output.type.startsWith('error')) into.set(part.toolCallId, { error: typeof output.value === 'string' ? output.value : JSON.stringify(output.value) })
      else into.set(part.toolCallId, { result: output && 'value' in output ? output.value : part.result })
    }
  }
}

function aiSdkMessageStep(parts: readonly JsonObject[]): TraceStep {
  const toolCalls = parts
    .filter((part) => part.type === 'tool-call' && typeof part.toolName === 'string')
    .map((part) => ({ ...(typeof part.toolCallId === 'string' ? { id: part.toolCallId } : {}), name: part.toolName as string, ...(typeof part.input === 'string' ? toolCallArgs(part.input) : { args: part.input ?? part.args ?? {} }) }))
  return { provider: 'ai-sdk', text: contentText(parts.filter((part) => part.type === 'text')), toolCalls }
}

function assistantStep(message: JsonObject): TraceStep {
  const parts = Array.isArray(message.content) ? message.content.filter(isJsonObject) : undefined
  if (parts?.some((part) => part.type === 'tool-call')) return aiSdkMessageStep(parts)
  if (parts && !Array.isArray(message.tool_calls)) return anthropicStep({ content: parts })
  return chatCompletionStep({ choices: [{ index: 0, message }] })
}

/**
 * The steps of a message history: one per assistant message (or run of Responses output items), with
 * every tool result found anywhere in the history.
 *
 * @example
 * messageSteps([{ role: 'user', content: 'Refund 123' }, { role: 'assistant', tool_calls: [...] }, { role: 'tool', tool_call_id: 'call_1', content: '{}' }])
 */
export function messageSteps(items: readonly unknown[]): StepDraft[] {
  const outcomes = openaiToolOutcomes(items)
  anthropicToolOutcomes(items, outcomes)
  aiSdkToolOutcomes(items, outcomes)
  const steps: TraceStep[] = []
  let run: JsonObject[] = []
  const endRun = () => {
    if (run.length > 0) steps.push(responsesStep({ output: run }))
    run = []
  }
  for (const item of items) {
    if (!isJsonObject(item)) continue
    const isOutputItem = RESPONSES_OUTPUT_ITEMS.has(String(item.type)) || (item.type === 'message' && item.role === 'assistant')
    if (isOutputItem) {
      run.push(item)
      continue
    }
    endRun()
    if (item.role === 'assistant') steps.push(assistantStep(item))
  }
  endRun()
  return steps.map((step, index) => (index === 0 ? { step, outcomes } : { step }))
}
