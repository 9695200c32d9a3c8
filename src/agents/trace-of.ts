// `traceOf`: one normalised Trace from whatever an agent run left behind (an SDK result, a message history,
// the AI SDK's steps, a list of calls, a conversation). Pure: no Vitest, no SDK imports.
import { ConfigError } from '../errors/index.js'
import { aiSdkSteps, isAiSdkStep } from './trace-ai-sdk.js'
import { anthropicStep, isAnthropicMessage } from './trace-anthropic.js'
import { assembleTrace, type StepDraft } from './trace-assemble.js'
import { bedrockStep, isBedrockConverse } from './trace-bedrock.js'
import { geminiStep, isGeminiResponse } from './trace-gemini.js'
import { isMessageList, messageSteps } from './trace-messages.js'
import { chatCompletionStep, isChatCompletion, isResponsesResponse, responsesStep } from './trace-openai.js'
import { isJsonObject, toolCallArgs, type JsonObject } from './tool-call-args.js'
import type { Conversation, ToolCall, Trace } from './types.js'

/** A tool call given by hand: its name and arguments (and, optionally, its id and what it returned). */
export interface ToolCallInput {
  name: string
  args?: unknown
  id?: string
  result?: unknown
  error?: string
}

/**
 * What `traceOf` (and every trace matcher) accepts: a Trace, an OpenAI ChatCompletion or Response, an
 * Anthropic Message, a Gemini `GenerateContentResponse`, a Bedrock `ConverseCommandOutput`, the AI SDK's `generateText` result or steps, a message history, a Conversation, or
 * an array of `{ name, args }`.
 */
export type TraceInput = Trace | Conversation | readonly ToolCallInput[] | object

const ACCEPTED =
  'a Trace (testTrace()), an OpenAI ChatCompletion or Response, an Anthropic Message, a Gemini GenerateContentResponse, ' +
  'a Bedrock Converse output, the AI SDK generateText result ' +
  '(for streamText: `await result.steps`), a message history, a Conversation, or an array of { name, args }'

/**
 * True for a value already shaped as a Trace: a plain object (the AI SDK's result is a class instance with
 * `steps`, `toolCalls` and `output` too) whose steps name their provider.
 */
export function isTrace(value: unknown): value is Trace {
  if (!isJsonObject(value) || !Array.isArray(value.steps) || !Array.isArray(value.toolCalls) || typeof value.output !== 'string') return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return (prototype === Object.prototype || prototype === null) && value.steps.every((step) => isJsonObject(step) && typeof step.provider === 'string')
}

function isConversation(value: JsonObject): value is JsonObject & Conversation {
  return Array.isArray(value.turns) && Array.isArray(value.messages) && isJsonObject(value.ended)
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return 'this array'
  if (typeof value !== 'object') return `a ${typeof value}`
  if (typeof (value as { then?: unknown }).then === 'function') return 'a Promise (await the agent\'s result first: `expect(await agent.run()).toCallTool(…)`)'
  const keys = Object.keys(value).slice(0, 6)
  return keys.length > 0 ? `an object with keys ${keys.map((key) => `\`${key}\``).join(', ')}` : 'an empty object'
}

function unreadable(value: unknown, where = ''): ConfigError {
  return new ConfigError(`traceOf() cannot read ${describe(value)}${where}. It reads ${ACCEPTED}.`)
}

function responseStep(value: JsonObject): StepDraft | undefined {
  if (isChatCompletion(value)) return { step: chatCompletionStep(value) }
  if (isResponsesResponse(value)) return { step: responsesStep(value) }
  if (isAnthropicMessage(value)) return { step: anthropicStep(value) }
  if (isGeminiResponse(value)) return { step: geminiStep(value) }
  if (isBedrockConverse(value)) return { step: bedrockStep(value) }
  return undefined
}

function toolListTrace(items: readonly unknown[]): Trace {
  const toolCalls = items.map((item, index): ToolCall => {
    if (!isJsonObject(item) || typeof item.name !== 'string') throw unreadable(item, ` at index ${index} of the list of tool calls (each needs a \`name\`)`)
    const args = item.args !== undefined ? { args: item.args } : toolCallArgs(item.arguments ?? item.input)
    return {
      ...(typeof item.id === 'string' ? { id: item.id } : {}),
      name: item.name,
      ...args,
      ...(item.result !== undefined ? { result: item.result } : {}),
      ...(typeof item.error === 'string' ? { error: item.error } : {}),
    }
  })
  return assembleTrace([{ step: { provider: 'tool-list', text: '', toolCalls } }])
}

function conversationTrace(conversation: Conversation): Trace {
  const traces = conversation.turns.map((turn) => turn.trace).filter((trace) => trace !== undefined)
  if (traces.length === 0) {
    throw new ConfigError('traceOf() got a Conversation whose turns carry no trace (the app made no model call the cassettes saw). Assert on testTrace(), or on the traces you build with traceOf(result).')
  }
  const merged = assembleTrace(traces.flatMap((trace) => trace.steps.map((step) => ({ step }))))
  return { ...merged, output: conversation.turns.at(-1)?.assistant ?? merged.output }
}

function arrayTrace(items: readonly unknown[]): Trace {
  if (items.length === 0) return assembleTrace([])
  if (items.every((item) => isJsonObject(item) && typeof item.name === 'string' && item.role === undefined && item.type === undefined)) return toolListTrace(items)
  if (items.every(isAiSdkStep)) return assembleTrace(aiSdkSteps(items))
  if (isMessageList(items)) return assembleTrace(messageSteps(items))
  return assembleTrace(
    items.map((item, index) => {
      const draft = isJsonObject(item) ? responseStep(item) : undefined
      if (!draft) throw unreadable(item, ` at index ${index} of the array`)
      return draft
    }),
  )
}

/**
 * A normalised {@link Trace} from an agent run's result: tool calls in order (parallel calls as the model
 * listed them), arguments parsed (text that is not JSON kept raw, with `argsError`), results attached
 * from later messages. A Trace is returned as is. Throws a `ConfigError` for anything else.
 *
 * @example
 * const trace = traceOf(await client.chat.completions.create({ model, messages, tools }))
 * trace.toolCalls // [{ id: 'call_1', name: 'lookup_order', args: { orderId: '123' } }]
 */
export function traceOf(value: TraceInput): Trace {
  if (isTrace(value)) return value
  if (Array.isArray(value)) return arrayTrace(value)
  if (!isJsonObject(value)) throw unreadable(value)
  if (isConversation(value)) return conversationTrace(value)
  const step = responseStep(value)
  if (step) return assembleTrace([step])
  if ('steps' in value) {
    const steps = value.steps
    if (Array.isArray(steps)) return assembleTrace(aiSdkSteps(steps))
    if (isJsonObject(steps) && typeof steps.then === 'function') {
      throw new ConfigError('traceOf() got a streamText result, whose steps are still a promise: pass the awaited steps, `traceOf(await result.steps)`, once the stream is consumed.')
    }
  }
  if (Array.isArray(value.messages) && isMessageList(value.messages)) return assembleTrace(messageSteps(value.messages))
  throw unreadable(value)
}
