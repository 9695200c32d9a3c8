import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { errorReply, hasApiKey, jsonReply, providerOf, replyTo, type Reply, type ReceivedRequest, type ScriptedReply } from './replies.js'
import { writeSse } from './sse.js'
import { isBedrockPath, writeFrames } from './bedrock-wire.js'

export type { ReceivedRequest, ScriptedReply } from './replies.js'
export type { ScriptedToolCall } from './reply-content.js'

/** A running scripted OpenAI/Anthropic stand-in. */
export interface ModelServer {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `url + '/v1'`, for `new OpenAI({ baseURL })`. */
  openaiBaseURL: string
  /** `url`, for `new Anthropic({ baseURL })` (the SDK appends `/v1/messages`). */
  anthropicBaseURL: string
  /** Every request received since start or `reset()`, in arrival order (control requests excluded). */
  requests: ReceivedRequest[]
  /** Requests whose client closed the connection before the reply was written (an aborted call), in order. */
  abandoned: ReceivedRequest[]
  /** Queues a reply (FIFO) for the next request it matches. */
  enqueue(reply: ScriptedReply): void
  /** Clears the queue, the recorded requests (and abandoned ones) and the per-path counters. */
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

/**
 * Control endpoints for a server running in another process (see `serve.ts`); never recorded, no key needed:
 * `POST /__model-server/enqueue` (body: a `ScriptedReply` or an array of them), `GET /__model-server/requests`,
 * `POST /__model-server/reset`.
 */
export const CONTROL_PATH = '/__model-server'

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
  const abandoned: ReceivedRequest[] = []
  const counters = new Map<string, number>()
  let requestCount = 0

  const enqueue = (reply: ScriptedReply): void => {
    queue.push({ ...reply, remaining: reply.times ?? 1 })
  }
  const reset = (): void => {
    queue = []
    requests.length = 0
    abandoned.length = 0
    counters.clear()
    requestCount = 0
  }

  function takeScript(path: string): ScriptedReply | undefined {
    const index = queue.findIndex((reply) => reply.path === undefined || reply.path === path)
    const script = queue[index]
    if (script === undefined) return undefined
    script.remaining -= 1
    if (script.remaining <= 0) queue.splice(index, 1)
    return script
  }

  function control(received: ReceivedRequest): Reply {
    const action = received.path.slice(CONTROL_PATH.length)
    if (action === '/requests' && received.method === 'GET') return jsonReply(200, requests)
    if (action === '/reset' && received.method === 'POST') {
      reset()
      return jsonReply(200, { ok: true })
    }
    if (action === '/enqueue' && received.method === 'POST' && typeof received.body === 'object' && received.body !== null) {
      for (const reply of [received.body].flat()) enqueue(reply as ScriptedReply)
      return jsonReply(200, { ok: true, queued: queue.length })
    }
    return jsonReply(404, { error: `Unknown control request ${received.method} ${received.path}` })
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const received = await receive(request)
    if (received.path.startsWith(`${CONTROL_PATH}/`)) return send(response, control(received), 0)

    requests.push(received)
    response.once('close', () => {
      if (!response.writableFinished) abandoned.push(received)
    })
    requestCount += 1
    const counter = (counters.get(received.path) ?? 0) + 1
    counters.set(received.path, counter)
    const context = { provider: providerOf(received), counter, requestId: `req_${String(requestCount).padStart(6, '0')}`, ...(isBedrockPath(received.path) ? { bedrock: true } : {}) }

    // Authentication comes first, as on the real APIs, so a rejected request does not use up a script.
    const script = hasApiKey(received) ? takeScript(received.path) : undefined
    const reply = hasApiKey(received) ? replyTo(received, script, context) : errorReply(context, 401, 'Missing API key (scripted).')
    const idHeader = context.provider === 'anthropic' ? 'request-id' : 'x-request-id'
    await sleep(latencyMs + (script?.delayMs ?? 0))
    return send(response, { ...reply, headers: { [idHeader]: context.requestId, ...reply.headers } }, sseGapMs)
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
    abandoned,
    enqueue,
    reset,
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)))
        server.closeAllConnections()
      })
    },
  }
}

async function send(response: ServerResponse, reply: Reply, sseGapMs: number): Promise<void> {
  response.statusCode = reply.status
  if (reply.sse !== undefined) return writeSse(response, reply.sse, sseGapMs, reply.headers)
  if (reply.frames !== undefined) return writeFrames(response, { ...reply, frames: reply.frames }, sseGapMs)
  response.writeHead(reply.status, reply.headers).end(reply.body)
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
