// The AWS Bedrock runtime on the scripted server: Converse, ConverseStream, InvokeModel and
// InvokeModelWithResponseStream as the real `@aws-sdk/client-bedrock-runtime` calls them (SigV4-signed
// requests, `application/vnd.amazon.eventstream` streams framed by the SDK's own codec).
import { EventStreamCodec } from '@smithy/core/event-streams'
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { renderMessage, renderMessageEvents } from './anthropic-wire.js'
import type { ReceivedRequest, Reply, ReplyContext, ScriptedReply } from './replies.js'
import { resolveReplyContent, splitIntoDeltas, type ReplyContent } from './reply-content.js'

type Json = Record<string, unknown>
type Operation = 'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream'

const BEDROCK_PATH = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/
const codec = new EventStreamCodec((bytes) => new TextDecoder().decode(bytes), (text) => new TextEncoder().encode(text))
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** True for a Bedrock runtime path (`/model/<id>/converse` …). */
export function isBedrockPath(path: string): boolean {
  return BEDROCK_PATH.test(path)
}

/** A SigV4-signed request, as the AWS SDK sends: any credentials are accepted, only the signature's presence is checked. */
export function hasSigV4(received: ReceivedRequest): boolean {
  return /^AWS4-HMAC-SHA256 Credential=\S+/.test(received.headers['authorization'] ?? '') && (received.headers['x-amz-date'] ?? '') !== ''
}

/** A Bedrock error: `x-amzn-errortype` names the exception, the body holds its message. */
export function bedrockErrorReply(status: number, message: string, type = status === 403 ? 'AccessDeniedException' : status === 429 ? 'ThrottlingException' : 'ValidationException'): Reply {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type }, body: JSON.stringify({ message }) }
}

/** The reply to an authenticated Bedrock request: the script's raw body or error, else the operation rendered. */
export function bedrockReplyTo(received: ReceivedRequest, script: ScriptedReply | undefined, context: ReplyContext): Reply {
  const [, encodedModel = '', operation] = BEDROCK_PATH.exec(received.path) ?? []
  if (received.method !== 'POST') return bedrockErrorReply(404, `Not found: ${received.method} ${received.path}`, 'UnknownOperationException')
  if (script?.status !== undefined && script.status >= 400) return bedrockErrorReply(script.status, script.error?.message ?? 'scripted error', script.error?.type)
  if (script?.json !== undefined) return { status: script.status ?? 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(script.json) }
  const body = isRecord(received.body) ? received.body : undefined
  if (!body) return bedrockErrorReply(400, 'The request body is not JSON.')
  const reply = { ...resolveReplyContent('anthropic', body, context.counter, script ?? {}), model: decodeURIComponent(encodedModel) }
  switch (operation as Operation) {
    case 'converse':
      return json(renderConverse(reply))
    case 'converse-stream':
      return frames(renderConverseEvents(reply).map(([type, payload]) => event(type, payload)))
    case 'invoke':
      return { ...json(renderMessage(reply)), headers: { 'content-type': 'application/json', ...tokenHeaders(reply) } }
    default:
      return frames(renderInvokeChunks(reply).map((chunk) => event('chunk', chunk)))
  }
}

const json = (body: unknown): Reply => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const frames = (messages: Uint8Array[]): Reply => ({ status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream' }, frames: messages })
const tokenHeaders = (reply: ReplyContent) => ({ 'x-amzn-bedrock-input-token-count': String(reply.inputTokens), 'x-amzn-bedrock-output-token-count': String(reply.outputTokens) })

function event(type: string, payload: unknown): Uint8Array {
  const headers = {
    ':event-type': { type: 'string' as const, value: type },
    ':content-type': { type: 'string' as const, value: 'application/json' },
    ':message-type': { type: 'string' as const, value: 'event' },
  }
  return codec.encode({ headers, body: new TextEncoder().encode(JSON.stringify(payload)) })
}

const usage = (reply: ReplyContent) => ({ inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, totalTokens: reply.inputTokens + reply.outputTokens })
const stopReason = (reply: ReplyContent) => (reply.toolCalls.length > 0 ? 'tool_use' : 'end_turn')

function parseInput(args: string): unknown {
  try {
    return JSON.parse(args)
  } catch {
    return args
  }
}

/** A Converse response: the assistant message's text and toolUse blocks, stop reason, usage and metrics. */
export function renderConverse(reply: ReplyContent): Json {
  const content = [
    ...(reply.text === null ? [] : [{ text: reply.text }]),
    ...reply.toolCalls.map((call) => ({ toolUse: { toolUseId: call.id, name: call.name, input: parseInput(call.arguments) } })),
  ]
  return { output: { message: { role: 'assistant', content } }, stopReason: stopReason(reply), usage: usage(reply), metrics: { latencyMs: 42 } }
}

/** ConverseStream events, as [event type, payload]: messageStart, a block's deltas, messageStop, then metadata with usage. */
export function renderConverseEvents(reply: ReplyContent): [string, Json][] {
  const events: [string, Json][] = [['messageStart', { role: 'assistant' }]]
  let index = 0
  if (reply.text !== null) {
    for (const text of splitIntoDeltas(reply.text)) events.push(['contentBlockDelta', { contentBlockIndex: index, delta: { text } }])
    events.push(['contentBlockStop', { contentBlockIndex: index++ }])
  }
  for (const call of reply.toolCalls) {
    events.push(['contentBlockStart', { contentBlockIndex: index, start: { toolUse: { toolUseId: call.id, name: call.name } } }])
    for (const input of splitIntoDeltas(call.arguments)) events.push(['contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input } } }])
    events.push(['contentBlockStop', { contentBlockIndex: index++ }])
  }
  events.push(['messageStop', { stopReason: stopReason(reply) }], ['metadata', { usage: usage(reply), metrics: { latencyMs: 42 } }])
  return events
}

/** InvokeModelWithResponseStream chunks of an Anthropic model: each event base64 in `bytes`, Bedrock's metrics in the last. */
export function renderInvokeChunks(reply: ReplyContent): Json[] {
  const events = renderMessageEvents(reply)
    .map((sse) => JSON.parse(sse.slice(sse.indexOf('data: ') + 6)) as Json)
    .filter((anthropicEvent) => anthropicEvent['type'] !== 'ping')
  const last = events.at(-1)
  if (last) {
    const metrics = { inputTokenCount: reply.inputTokens, outputTokenCount: reply.outputTokens, invocationLatency: 42, firstByteLatency: 7 }
    events[events.length - 1] = { ...last, 'amazon-bedrock-invocationMetrics': metrics }
  }
  return events.map((anthropicEvent) => ({ bytes: Buffer.from(JSON.stringify(anthropicEvent)).toString('base64') }))
}

/** Writes event stream messages one `write` each, with a gap, so a client sees several network chunks. */
export async function writeFrames(response: ServerResponse, reply: Reply & { frames: Uint8Array[] }, gapMs: number): Promise<void> {
  response.writeHead(reply.status, reply.headers)
  response.flushHeaders()
  for (const [index, frame] of reply.frames.entries()) {
    if (response.destroyed) return
    if (index > 0 && gapMs > 0) await sleep(gapMs)
    response.write(frame)
  }
  response.end()
}
