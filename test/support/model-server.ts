import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { anthropicErrorBody, renderAnthropicModels, renderMessage, renderMessageEvents } from './anthropic-wire.js'
import {
  openaiErrorBody,
  renderChatCompletion,
  renderChatCompletionChunks,
  renderEmbeddings,
  renderOpenaiModels,
  renderResponse,
  renderResponseEvents,
} from './openai-wire.js'
import { resolveReplyContent, type Provider, type ScriptedToolCall } from './reply-content.js'
import { writeSse } from './sse.js'

export type { ScriptedToolCall } from './reply-content.js'

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

/** A running scripted OpenAI/Anthropic stand-in. */
export interface ModelServer {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `url + '/v1'`, for `new OpenAI({ baseURL })`. */
  openaiBaseURL: string
  /** `url`, for `new Anthropic({ baseURL })` (the SDK appends `/v1/messages`). */
  anthropicBaseURL: string
  /** Every request received since start or `reset()`, in arrival order. */
  requests: ReceivedRequest[]
  /** Queues a reply (FIFO) for the next request it matches. */
  enqueue(reply: ScriptedReply): void
  /** Clears the queue, the recorded requests and the per-path counters. */
  reset(): void
  close(): Promise<void>
}

export interface ModelServerOptions {
  /** Delay before every reply, in milliseconds. */
  latencyMs?: number
  /** Gap between SSE chunk writes, in milliseconds (default 3). */
  sseGapMs?: number
  /** Port to listen on (default: a free one). */
  port?: number
}

type Json = Record<string, unknown>
type Endpoint = 'chat' | 'responses' | 'embeddings' | 'messages' | 'models'

const ENDPOINTS: Record<string, { method: string; endpoint: Endpoint }> = {
  '/v1/chat/completions': { method: 'POST', endpoint: 'chat' },
  '/v1/responses': { method: 'POST', endpoint: 'responses' },
  '/v1/embeddings': { method: 'POST', endpoint: 'embeddings' },
  '/v1/messages': { method: 'POST', endpoint: 'messages' },
  '/v1/models': { method: 'GET', endpoint: 'models' },
}

/** Fields each endpoint rejects a request without, like the real APIs (400). */
const REQUIRED_FIELDS: Record<Endpoint, string[]> = {
  chat: ['model', 'messages'],
  responses: ['model'],
  embeddings: ['model', 'input'],
  messages: ['model', 'max_tokens', 'messages'],
  models: [],
}

interface Reply {
  status: number
  headers: Record<string, string>
  body?: string
  sse?: string[]
}

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Starts a scripted OpenAI- and Anthropic-compatible server on 127.0.0.1 that the real SDKs can talk to.
 *
 * @example
 * const server = await startModelServer()
 * server.enqueue({ content: 'Paris' })
 * const client = new OpenAI({ apiKey: 'test', baseURL: server.openaiBaseURL })
 */
export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  const { latencyMs = 0, sseGapMs = 3 } = options
  let queue: (ScriptedReply & { remaining: number })[] = []
  const requests: ReceivedRequest[] = []
  const counters = new Map<string, number>()
  let requestCount = 0

  function takeScript(path: string): ScriptedReply | undefined {
    const index = queue.findIndex((reply) => reply.path === undefined || reply.path === path)
    const script = queue[index]
    if (script === undefined) return undefined
    script.remaining -= 1
    if (script.remaining <= 0) queue.splice(index, 1)
    return script
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const received = await receive(request)
    requests.push(received)
    requestCount += 1
    const counter = (counters.get(received.path) ?? 0) + 1
    counters.set(received.path, counter)

    const provider: Provider =
      received.path.startsWith('/v1/messages') || 'anthropic-version' in received.headers ? 'anthropic' : 'openai'
    const requestId = `req_${String(requestCount).padStart(6, '0')}`
    const errorReply = (status: number, message?: string, type?: string, code?: string): Reply =>
      jsonReply(status, provider === 'anthropic' ? anthropicErrorBody(status, requestId, message, type) : openaiErrorBody(status, message, type, code))

    const route = ENDPOINTS[received.path]
    let reply: Reply
    let script: ScriptedReply | undefined
    if (!hasApiKey(provider, received.headers)) {
      reply = errorReply(401, provider === 'anthropic' ? 'x-api-key header is required' : undefined)
    } else if ((script = takeScript(received.path)) !== undefined) {
      reply = scriptedReply(script, received, route?.endpoint, counter, provider, errorReply)
    } else if (route === undefined || route.method !== received.method) {
      reply = errorReply(404, provider === 'anthropic' ? `Not found: ${received.method} ${received.path}` : `Invalid URL (${received.method} ${received.path})`)
    } else {
      reply = renderEndpoint(route.endpoint, received, counter, provider, {}, errorReply)
    }

    const delay = latencyMs + (script?.delayMs ?? 0)
    if (delay > 0) await sleep(delay)
    const headers = { [provider === 'anthropic' ? 'request-id' : 'x-request-id']: requestId, ...reply.headers }
    response.statusCode = reply.status
    if (reply.sse !== undefined) return writeSse(response, reply.sse, sseGapMs, headers)
    response.writeHead(reply.status, headers).end(reply.body)
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' })
      response.end(`model-server crashed: ${error instanceof Error ? error.stack : String(error)}`)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`

  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    requests,
    enqueue(reply) {
      queue.push({ ...reply, remaining: reply.times ?? 1 })
    },
    reset() {
      queue = []
      requests.length = 0
      counters.clear()
      requestCount = 0
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)))
        server.closeAllConnections()
      })
    },
  }
}

async function receive(request: IncomingMessage): Promise<ReceivedRequest> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const raw = Buffer.concat(chunks).toString('utf8')
  let body: unknown = raw === '' ? undefined : raw
  if (raw !== '' && (request.headers['content-type'] ?? '').includes('json')) {
    try {
      body = JSON.parse(raw)
    } catch {
      body = raw
    }
  }
  const headers = Object.fromEntries(
    Object.entries(request.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, [value].flat().join(', ')]])),
  )
  const url = request.url ?? '/'
  return { method: request.method ?? 'GET', path: url.split('?')[0] ?? url, url, headers, body }
}

/** Any value is accepted; only presence is checked, like a client-side misconfiguration would be caught. */
function hasApiKey(provider: Provider, headers: Record<string, string>): boolean {
  const bearer = /^Bearer \S+/i.test(headers['authorization'] ?? '')
  return provider === 'anthropic' ? (headers['x-api-key'] ?? '') !== '' || bearer : bearer
}

function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }
}

type ErrorReply = (status: number, message?: string, type?: string, code?: string) => Reply

function scriptedReply(
  script: ScriptedReply,
  received: ReceivedRequest,
  endpoint: Endpoint | undefined,
  counter: number,
  provider: Provider,
  errorReply: ErrorReply,
): Reply {
  const status = script.status ?? 200
  const extraHeaders = { ...(script.retryAfter === undefined ? {} : { 'retry-after': String(script.retryAfter) }), ...script.headers }
  let reply: Reply
  if (script.sse !== undefined) reply = { status, headers: {}, sse: script.sse }
  else if (script.json !== undefined) reply = jsonReply(status, script.json)
  else if (script.text !== undefined) reply = { status, headers: { 'content-type': 'application/json' }, body: script.text }
  else if (status >= 400) reply = errorReply(status, script.error?.message, script.error?.type, script.error?.code)
  else if (endpoint === undefined) reply = errorReply(404, `Cannot render scripted content for ${received.path}`)
  else reply = { ...renderEndpoint(endpoint, received, counter, provider, script, errorReply), status }
  return { ...reply, headers: { ...reply.headers, ...extraHeaders } }
}

function renderEndpoint(
  endpoint: Endpoint,
  received: ReceivedRequest,
  counter: number,
  provider: Provider,
  script: Pick<ScriptedReply, 'content' | 'toolCall'>,
  errorReply: ErrorReply,
): Reply {
  if (endpoint === 'models') return jsonReply(200, provider === 'anthropic' ? renderAnthropicModels() : renderOpenaiModels())
  const body = received.body
  if (!isRecord(body)) return errorReply(400, 'We could not parse the JSON body of your request.')
  const missing = REQUIRED_FIELDS[endpoint].find((field) => body[field] === undefined)
  if (missing !== undefined) return errorReply(400, `${missing}: Field required`, undefined, 'missing_required_parameter')
  if (endpoint === 'embeddings') return jsonReply(200, renderEmbeddings(body))

  const reply = resolveReplyContent(provider, body, counter, script)
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
