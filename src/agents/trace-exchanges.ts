// A trace from recorded model exchanges (cassette entries: the request sent and the response stored, a
// stream as its SSE chunks), in call order. What `testTrace` builds on; usable on any cassette. Pure.
import type { TokenUsage } from '../cassettes/entry.js'
import { requestModel } from '../cassettes/request-model.js'
import { anthropicStep, anthropicToolOutcomes, isAnthropicMessage } from './trace-anthropic.js'
import { bedrockStep, bedrockToolOutcomes, isBedrockConverse, responseFromEventStream, type BedrockStreamEvent } from './trace-bedrock.js'
import { assembleTrace, type StepDraft, type ToolOutcome, type ToolRecord } from './trace-assemble.js'
import { chatCompletionStep, isChatCompletion, isResponsesResponse, openaiToolOutcomes, responsesStep } from './trace-openai.js'
import { geminiStep, geminiToolOutcomes, isGeminiResponse } from './trace-gemini.js'
import { anthropicMessageFromEvents, responseFromStream } from './trace-sse.js'
import { isJsonObject, type JsonObject } from './tool-call-args.js'
import type { Trace, TraceStep } from './types.js'

/** One model exchange as a cassette stores it (a `CassetteEntry` fits). */
export interface TraceExchange {
  request: { path?: string; body: unknown }
  /** Exactly one of `json`, `text`, `chunks` (SSE as received), `events` (an AWS event stream, decoded) holds the body, or `body` when it was read from a sidecar file. */
  response: { status: number; json?: unknown; text?: string; chunks?: string[]; events?: BedrockStreamEvent[] }
  meta?: { latencyMs?: number; usage?: TokenUsage }
  /** The response body read from elsewhere (a cassette's sidecar file), when the response holds none inline. */
  body?: unknown
}

/** Options of {@link traceFromExchanges}. */
export interface TraceFromExchangesOptions {
  /** Tool calls recorded by `recordTool`: they give results to the calls no request message answered. */
  toolRecords?: readonly ToolRecord[]
}

type Kind = TraceStep['provider']

function parsedBody(exchange: TraceExchange): { kind?: Kind; body: JsonObject } | undefined {
  const { response } = exchange
  if (response.chunks) return responseFromStream(response.chunks)
  if (response.events) return responseFromEventStream(response.events, anthropicMessageFromEvents)
  let body = response.json ?? exchange.body
  if (body === undefined && typeof response.text === 'string') {
    try {
      body = JSON.parse(response.text) as unknown
    } catch {
      return undefined
    }
  }
  return isJsonObject(body) ? { body } : undefined
}

function kindOf(body: JsonObject): Kind | undefined {
  if (isChatCompletion(body)) return 'openai-chat'
  if (isResponsesResponse(body)) return 'openai-responses'
  if (isAnthropicMessage(body)) return 'anthropic'
  if (isGeminiResponse(body)) return 'gemini'
  if (isBedrockConverse(body)) return 'bedrock'
  return undefined
}

/** The messages a request sent: chat and Anthropic `messages`, Responses `input` (a string is one user message). */
function requestMessages(kind: Kind, body: unknown): unknown[] | undefined {
  if (!isJsonObject(body)) return undefined
  if (kind === 'openai-responses') return typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : Array.isArray(body.input) ? body.input : undefined
  if (kind === 'gemini') return Array.isArray(body.contents) ? body.contents : undefined
  return Array.isArray(body.messages) ? body.messages : undefined
}

function stepOf(kind: Kind, body: JsonObject, messages: unknown[] | undefined, exchange: TraceExchange): TraceStep {
  // Gemini and Bedrock name the model in the path, not the body.
  const model = exchange.request.path === undefined ? undefined : requestModel({ path: exchange.request.path, body: exchange.request.body })
  switch (kind) {
    case 'anthropic':
      return anthropicStep(body, messages)
    case 'openai-chat':
      return chatCompletionStep(body, messages)
    case 'gemini': {
      const step = geminiStep(body, messages)
      return step.model === undefined && model ? { ...step, model } : step
    }
    case 'bedrock':
      return bedrockStep(body, messages, model)
    default:
      return responsesStep(body, messages)
  }
}

function outcomesOf(kind: Kind, messages: unknown[]): Map<string, ToolOutcome> {
  if (kind === 'anthropic') return anthropicToolOutcomes(messages)
  if (kind === 'gemini') return geminiToolOutcomes(messages)
  if (kind === 'bedrock') return bedrockToolOutcomes(messages)
  return openaiToolOutcomes(messages)
}

function draftOf(exchange: TraceExchange): StepDraft | undefined {
  if (exchange.response.status >= 400) return undefined
  const parsed = parsedBody(exchange)
  const kind = parsed ? (parsed.kind ?? kindOf(parsed.body)) : undefined
  if (!parsed || !kind) return undefined
  const messages = requestMessages(kind, exchange.request.body)
  const step = stepOf(kind, parsed.body, messages, exchange)
  const usage = step.usage ?? exchange.meta?.usage
  const latencyMs = exchange.meta?.latencyMs
  const outcomes: Map<string, ToolOutcome> | undefined = messages && outcomesOf(kind, messages)
  return { step: { ...step, ...(usage ? { usage } : {}), ...(latencyMs !== undefined ? { latencyMs } : {}) }, ...(outcomes ? { outcomes } : {}) }
}

/**
 * The trace of `exchanges` in call order: one step per chat completion, Responses API response,
 * Anthropic message, Gemini response or Bedrock Converse response (streamed or not; other calls such as embeddings and API errors are no steps), tool
 * results linked from later requests by call id, then from `toolRecords` by name and canonical arguments.
 *
 * @example
 * const cassette = JSON.parse(readFileSync('__cassettes__/agent.test.ts.cassette.json', 'utf8'))
 * const trace = traceFromExchanges(cassette.entries.filter((entry) => entry.test === 'refund agent' && entry.role === 'app'))
 */
export function traceFromExchanges(exchanges: readonly TraceExchange[], options: TraceFromExchangesOptions = {}): Trace {
  const drafts = exchanges.map(draftOf).filter((draft) => draft !== undefined)
  return assembleTrace(drafts, options.toolRecords)
}
