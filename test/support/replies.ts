import { anthropicErrorBody, renderAnthropicModels, renderMessage, renderMessageEvents } from './anthropic-wire.js'
import { GATEWAY_LANGUAGE_MODEL_PATH, renderGatewayReply } from './gateway-wire.js'
import {
  openaiErrorBody,
  renderChatCompletion,
  renderChatCompletionChunks,
  renderEmbeddings,
  renderOpenaiModels,
  renderResponse,
  renderResponseEvents,
} from './openai-wire.js'
import { geminiReplyTo, hasGeminiKey, isGeminiRequest } from './gemini-wire.js'
import { bedrockErrorReply, bedrockReplyTo, hasSigV4, isBedrockPath } from './bedrock-wire.js'
import { countTokens, lastUserText, resolveReplyContent, type Provider, type ScriptedToolCall } from './reply-content.js'

/** One request as the server saw it. */
export interface ReceivedRequest {
  method: string
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string
  /** Path with the query string, as sent. */
  url: string
  /** Header names lowercased; repeated headers joined with `, `. */
  headers: Record<string, string>
  /** Parsed JSON when the body is JSON, else the raw text; `undefined` when there was no body. */
  body: unknown
}

/**
 * What the next matching request gets instead of the default reply. Body precedence:
 * `sse` > `json` > `text` > provider error (status >= 400) > `content`/`toolCall` rendered for the endpoint.
 */
export interface ScriptedReply {
  /** Only requests to this exact path (no query) take this reply; others skip past it. */
  path?: string
  status?: number
  headers?: Record<string, string>
  /** Raw JSON body, sent as-is. */
  json?: unknown
  /** Raw body text (served as `application/json` unless `headers` say otherwise), e.g. malformed JSON. */
  text?: string
  /** Raw SSE chunks (`'data: …\n\n'`), each written separately. */
  sse?: string[]
  /** Seconds, sent as the `retry-after` header. */
  retryAfter?: number
  /** Extra delay before this reply, on top of the server's `latencyMs`. */
  delayMs?: number
  /** How many requests this reply answers (default 1; `Infinity` for all). */
  times?: number
  /** What the assistant says, rendered in the endpoint's wire format (objects are sent as JSON text). */
  content?: string | Record<string, unknown> | unknown[]
  /** Tool call(s) the assistant makes: `tool_calls`, `function_call` items or `tool_use` blocks. */
  toolCall?: ScriptedToolCall | ScriptedToolCall[]
  /** Message (and type) of the provider-shaped error body sent when `status` >= 400. */
  error?: { message?: string; type?: string; code?: string }
}


type Json = Record<string, unknown>
type Endpoint = 'chat' | 'responses' | 'embeddings' | 'messages' | 'count_tokens' | 'models' | 'language-model'

const ENDPOINTS: Record<string, { method: string; endpoint: Endpoint }> = {
  '/v1/chat/completions': { method: 'POST', endpoint: 'chat' },
  '/v1/responses': { method: 'POST', endpoint: 'responses' },
  '/v1/embeddings': { method: 'POST', endpoint: 'embeddings' },
  '/v1/messages': { method: 'POST', endpoint: 'messages' },
  '/v1/messages/count_tokens': { method: 'POST', endpoint: 'count_tokens' },
  '/v1/models': { method: 'GET', endpoint: 'models' },
}

/**
 * The route of `path`: an exact OpenAI/Anthropic path, an Azure deployment path
 * (`/openai/deployments/<name>/chat/completions`), or chat completions / embeddings under another prefix, as
 * the OpenAI-compatible APIs serve them (`/openai/v1/…` Groq, `/api/v1/…` OpenRouter, `/inference/v1/…` Fireworks).
 */
function routeOf(path: string): { method: string; endpoint: Endpoint } | undefined {
  const exact = ENDPOINTS[path]
  if (exact !== undefined) return exact
  if (path.endsWith('/chat/completions')) return { method: 'POST', endpoint: 'chat' }
  if (path.endsWith('/embeddings')) return { method: 'POST', endpoint: 'embeddings' }
  if (GATEWAY_LANGUAGE_MODEL_PATH.test(path)) return { method: 'POST', endpoint: 'language-model' }
  return undefined
}

/** Fields each endpoint rejects a request without, like the real APIs (400). */
const REQUIRED_FIELDS: Record<Endpoint, string[]> = {
  chat: ['model', 'messages'],
  responses: ['model'],
  embeddings: ['model', 'input'],
  messages: ['model', 'max_tokens', 'messages'],
  count_tokens: ['model', 'messages'],
  models: [],
  'language-model': ['prompt'],
}

/** A reply ready to write: a body, or SSE chunks to write one by one. */
export interface Reply {
  status: number
  headers: Record<string, string>
  body?: string
  sse?: string[]
  /** Binary event stream messages (Bedrock), written one by one. */
  frames?: Uint8Array[]
}

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A reply with a JSON body; the SDKs only parse bodies served as `application/json`. */
export function jsonReply(status: number, body: unknown): Reply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

/** Per-request facts the replies depend on. */
export interface ReplyContext {
  provider: Provider
  /** 1-based count of requests to this path since start or `reset()`. */
  counter: number
  requestId: string
  /** The request is to the Bedrock runtime (errors in its shape). */
  bedrock?: boolean
}

/** Which API family a request belongs to: `/v1/messages…` or an `anthropic-version` header means Anthropic. */
export function providerOf(received: ReceivedRequest): Provider {
  return received.path.startsWith('/v1/messages') || 'anthropic-version' in received.headers ? 'anthropic' : 'openai'
}

/** Any value is accepted; only presence is checked (Anthropic SDK 1.x sends its key as a Bearer token). */
export function hasApiKey(received: ReceivedRequest): boolean {
  if (isGeminiRequest(received)) return hasGeminiKey(received)
  if (isBedrockPath(received.path)) return hasSigV4(received)
  const bearer = /^Bearer \S+/i.test(received.headers['authorization'] ?? '')
  if (providerOf(received) === 'anthropic') return (received.headers['x-api-key'] ?? '') !== '' || bearer
  // Azure OpenAI sends its key as an `api-key` header.
  return bearer || (received.headers['api-key'] ?? '') !== ''
}

/** A JSON error body in the provider's real shape. */
export function errorReply(context: ReplyContext, status: number, message?: string, type?: string, code?: string): Reply {
  if (context.bedrock) return bedrockErrorReply(status, message ?? 'scripted error', type)
  const body =
    context.provider === 'anthropic'
      ? anthropicErrorBody(status, context.requestId, message, type)
      : openaiErrorBody(status, message, type, code)
  return jsonReply(status, body)
}

/** The reply to an authenticated request: the script when there is one, else the endpoint's default. */
export function replyTo(received: ReceivedRequest, script: ScriptedReply | undefined, context: ReplyContext): Reply {
  if (isGeminiRequest(received)) return geminiReplyTo(received, script, context)
  const route = routeOf(received.path)
  if (isBedrockPath(received.path)) return bedrockReplyTo(received, script, context)
  if (script !== undefined) return scriptedReply(script, received, route?.endpoint, context)
  if (route === undefined || route.method !== received.method) {
    const where = `${received.method} ${received.path}`
    return errorReply(context, 404, context.provider === 'anthropic' ? `Not found: ${where}` : `Invalid URL (${where})`)
  }
  return renderEndpoint(route.endpoint, received, context, {})
}

function scriptedReply(script: ScriptedReply, received: ReceivedRequest, endpoint: Endpoint | undefined, context: ReplyContext): Reply {
  const status = script.status ?? 200
  const extraHeaders = { ...(script.retryAfter === undefined ? {} : { 'retry-after': String(script.retryAfter) }), ...script.headers }
  let reply: Reply
  if (script.sse !== undefined) reply = { status, headers: {}, sse: script.sse }
  else if (script.json !== undefined) reply = jsonReply(status, script.json)
  else if (script.text !== undefined) reply = { status, headers: { 'content-type': 'application/json' }, body: script.text }
  else if (status >= 400) reply = errorReply(context, status, script.error?.message, script.error?.type, script.error?.code)
  else if (endpoint === undefined) reply = errorReply(context, 404, `Cannot render scripted content for ${received.path}`)
  else reply = { ...renderEndpoint(endpoint, received, context, script), status }
  return { ...reply, headers: { ...reply.headers, ...extraHeaders } }
}

function renderEndpoint(
  endpoint: Endpoint,
  received: ReceivedRequest,
  context: ReplyContext,
  script: Pick<ScriptedReply, 'content' | 'toolCall'>,
): Reply {
  if (endpoint === 'models') return jsonReply(200, context.provider === 'anthropic' ? renderAnthropicModels() : renderOpenaiModels())
  const body = received.body
  if (!isRecord(body)) return errorReply(context, 400, 'We could not parse the JSON body of your request.')
  const missing = REQUIRED_FIELDS[endpoint].find((field) => body[field] === undefined)
  if (missing !== undefined) return errorReply(context, 400, `${missing}: Field required`, undefined, 'missing_required_parameter')
  if (endpoint === 'embeddings') return jsonReply(200, renderEmbeddings(body))
  if (endpoint === 'count_tokens') return jsonReply(200, { input_tokens: Math.max(1, countTokens(lastUserText(body))) })
  if (endpoint === 'language-model') {
    const gateway = renderGatewayReply(body, received.headers, context.counter, script.content)
    return gateway.sse ? sseReply(gateway.sse) : jsonReply(200, gateway.json)
  }

  const reply = resolveReplyContent(context.provider, body, context.counter, script)
  const stream = body['stream'] === true
  switch (endpoint) {
    case 'chat':
      return stream ? sseReply(renderChatCompletionChunks(reply, body)) : jsonReply(200, renderChatCompletion(reply, body))
    case 'responses':
      return stream ? sseReply(renderResponseEvents(reply, body)) : jsonReply(200, renderResponse(reply, body))
    case 'messages':
      return stream ? sseReply(renderMessageEvents(reply)) : jsonReply(200, renderMessage(reply))
  }
}

const sseReply = (chunks: string[]): Reply => ({ status: 200, headers: {}, sse: chunks })
