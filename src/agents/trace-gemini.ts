// Gemini / Vertex AI `generateContent` responses as trace steps (`functionCall` parts) and the tool results
// an app sends back (`functionResponse` parts of the next content). Gemini's calls often carry no id: a
// result then answers the call of the same name in the model turn just before it, in order. Pure.
import { tokenUsage } from '../cassettes/usage.js'
import { isJsonObject, toolCallArgs, toolCallKey, type JsonObject } from './tool-call-args.js'
import type { ToolOutcome } from './trace-assemble.js'
import type { ToolCall, TraceStep } from './types.js'

/** True for a Gemini `GenerateContentResponse` (a `candidates` array). */
export function isGeminiResponse(value: JsonObject): boolean {
  return Array.isArray(value.candidates)
}

function parts(content: unknown): JsonObject[] {
  return isJsonObject(content) && Array.isArray(content.parts) ? content.parts.filter(isJsonObject) : []
}

function functionCall(part: JsonObject): ToolCall | undefined {
  const call = part.functionCall
  if (!isJsonObject(call) || typeof call.name !== 'string') return undefined
  return { ...(typeof call.id === 'string' && call.id !== '' ? { id: call.id } : {}), name: call.name, ...toolCallArgs(call.args) }
}

/**
 * How a result finds its call: the call's id, else its name and canonical arguments (what an id-less
 * Gemini call is known by in the trace).
 */
export function geminiCallKey(call: Pick<ToolCall, 'id' | 'name' | 'args'>): string {
  return call.id ?? toolCallKey(call.name, call.args)
}

/** The first candidate's parts of a response: text (thoughts left out) and function calls, in order. */
export function geminiStep(body: JsonObject, contents?: unknown[]): TraceStep {
  const candidate = Array.isArray(body.candidates) ? body.candidates.find(isJsonObject) : undefined
  const all = parts(candidate?.content)
  const text = all
    .filter((part) => typeof part.text === 'string' && part.thought !== true)
    .map((part) => part.text as string)
    .join('')
  const meta = isJsonObject(body.usageMetadata) ? body.usageMetadata : undefined
  const output = typeof meta?.candidatesTokenCount === 'number' ? meta.candidatesTokenCount + (typeof meta.thoughtsTokenCount === 'number' ? meta.thoughtsTokenCount : 0) : undefined
  const usage = meta ? tokenUsage(meta.promptTokenCount, output) : undefined
  return {
    provider: 'gemini',
    ...(typeof body.modelVersion === 'string' ? { model: body.modelVersion } : {}),
    ...(contents ? { messages: contents } : {}),
    text,
    toolCalls: all.map(functionCall).filter((call) => call !== undefined),
    ...(usage ? { usage } : {}),
  }
}

function outcomeOf(response: unknown): ToolOutcome {
  if (isJsonObject(response) && Object.keys(response).length === 1 && typeof response.error === 'string') return { error: response.error }
  // The SDKs wrap a plain result as `{ output: … }` or `{ result: … }`; keep what the app sent otherwise.
  if (isJsonObject(response) && Object.keys(response).length === 1 && ('output' in response || 'result' in response)) return { result: response.output ?? response.result }
  return { result: response }
}

/**
 * The `functionResponse` parts of a request's `contents`, keyed as {@link geminiCallKey} keys the calls
 * they answer: by id when the response has one, else the call of the same name in the preceding model
 * content, in order. A response `{ error }` is an error.
 */
export function geminiToolOutcomes(contents: readonly unknown[], into = new Map<string, ToolOutcome>()): Map<string, ToolOutcome> {
  let previousCalls: ToolCall[] = []
  for (const content of contents) {
    const contentParts = parts(content)
    const taken = new Map<string, number>()
    for (const part of contentParts) {
      const response = part.functionResponse
      if (!isJsonObject(response) || typeof response.name !== 'string') continue
      if (typeof response.id === 'string' && response.id !== '') {
        into.set(response.id, outcomeOf(response.response))
        continue
      }
      const index = taken.get(response.name) ?? 0
      taken.set(response.name, index + 1)
      const call = previousCalls.filter((each) => each.name === response.name)[index]
      if (call) into.set(geminiCallKey(call), outcomeOf(response.response))
    }
    const calls = contentParts.map(functionCall).filter((call) => call !== undefined)
    if (calls.length > 0 || (isJsonObject(content) && content.role === 'model')) previousCalls = calls
  }
  return into
}

/** A Gemini response from its streamed chunks: text parts joined, function calls in order, the last usage. */
export function geminiResponseFromChunks(events: readonly JsonObject[]): JsonObject {
  const merged: JsonObject[] = []
  let usageMetadata: unknown
  let modelVersion: unknown
  for (const event of events) {
    modelVersion ??= event.modelVersion
    if (isJsonObject(event.usageMetadata)) usageMetadata = event.usageMetadata
    const candidate = Array.isArray(event.candidates) ? event.candidates.find(isJsonObject) : undefined
    for (const part of parts(candidate?.content)) {
      const last = merged.at(-1)
      const plainText = typeof part.text === 'string' && part.functionCall === undefined
      if (plainText && last && typeof last.text === 'string' && last.thought === part.thought) last.text += part.text as string
      else merged.push({ ...part })
    }
  }
  return {
    candidates: [{ content: { role: 'model', parts: merged } }],
    ...(typeof modelVersion === 'string' ? { modelVersion } : {}),
    ...(usageMetadata ? { usageMetadata } : {}),
  }
}
