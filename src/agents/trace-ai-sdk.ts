// The AI SDK's results as trace steps: `generateText`'s `steps` (and `await streamText(…).steps`), each
// with its `toolCalls`, `toolResults` and `tool-error` content parts. Read through property access only:
// the SDK's step results are class instances with getters. Pure: the `ai` package is never imported.
import { isJsonObject, toolCallArgs, type JsonObject } from './tool-call-args.js'
import type { StepDraft, ToolOutcome } from './trace-assemble.js'
import type { TokenUsage } from '../cassettes/entry.js'
import type { ToolCall, TraceStep } from './types.js'
import { tokenUsage } from '../cassettes/usage.js'

/** True for an AI SDK step result (it has `toolCalls` and `content`, or a `stepNumber`). */
export function isAiSdkStep(value: unknown): value is JsonObject {
  return isJsonObject(value) && Array.isArray(value.toolCalls) && (Array.isArray(value.content) || typeof value.stepNumber === 'number')
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error))
}

function aiSdkCall(raw: unknown): ToolCall | undefined {
  if (!isJsonObject(raw) || typeof raw.toolName !== 'string') return undefined
  // `input` since AI SDK 5, `args` before. An invalid call keeps the model's raw text.
  const input = raw.input !== undefined ? raw.input : raw.args
  const parsed = raw.invalid === true && typeof input === 'string' ? toolCallArgs(input) : { args: input ?? {} }
  return { ...(typeof raw.toolCallId === 'string' ? { id: raw.toolCallId } : {}), name: raw.toolName, ...parsed }
}

function outcomesOf(step: JsonObject): Map<string, ToolOutcome> {
  const outcomes = new Map<string, ToolOutcome>()
  for (const result of Array.isArray(step.toolResults) ? step.toolResults : []) {
    if (!isJsonObject(result) || typeof result.toolCallId !== 'string' || result.preliminary === true) continue
    outcomes.set(result.toolCallId, { result: result.output !== undefined ? result.output : result.result })
  }
  for (const part of Array.isArray(step.content) ? step.content : []) {
    if (isJsonObject(part) && part.type === 'tool-error' && typeof part.toolCallId === 'string') outcomes.set(part.toolCallId, { error: errorText(part.error) })
  }
  return outcomes
}

function usageOf(usage: unknown): TokenUsage | undefined {
  if (!isJsonObject(usage)) return undefined
  return tokenUsage(usage.inputTokens ?? usage.promptTokens, usage.outputTokens ?? usage.completionTokens)
}

function stepOf(step: JsonObject): TraceStep {
  const model = isJsonObject(step.model) ? step.model.modelId : isJsonObject(step.response) ? step.response.modelId : undefined
  const request = isJsonObject(step.request) ? step.request : {}
  const usage = usageOf(step.usage)
  const latency = isJsonObject(step.performance) ? step.performance.responseTimeMs : undefined
  return {
    provider: 'ai-sdk',
    ...(typeof model === 'string' ? { model } : {}),
    ...(Array.isArray(request.messages) ? { messages: request.messages } : {}),
    text: typeof step.text === 'string' ? step.text : '',
    toolCalls: (step.toolCalls as unknown[]).map(aiSdkCall).filter((call) => call !== undefined),
    ...(usage ? { usage } : {}),
    ...(typeof latency === 'number' ? { latencyMs: Math.round(latency) } : {}),
  }
}

/**
 * The steps of an AI SDK run, each with the results its tools returned (and the errors they threw).
 *
 * @example
 * aiSdkSteps((await generateText({ model, tools, prompt })).steps)
 */
export function aiSdkSteps(steps: readonly unknown[]): StepDraft[] {
  return steps.filter(isAiSdkStep).map((step) => ({ step: stepOf(step), outcomes: outcomesOf(step) }))
}
