// The Vercel AI Gateway's own wire format (what `@ai-sdk/gateway` speaks): the body is the AI SDK's call
// options (`prompt`, settings), the model is the `ai-language-model-id` header, and the reply is a
// LanguageModelV4 result (JSON) or its stream parts (SSE, one part per event).
import { formatSseEvent } from './sse.js'
import { countTokens, splitIntoDeltas } from './reply-content.js'

type Json = Record<string, unknown>

/** The path `@ai-sdk/gateway` posts language model calls to (under its `baseURL`, default `…/v4/ai`). */
export const GATEWAY_LANGUAGE_MODEL_PATH = /\/language-model$/

/** The text of the last user message of a gateway call's `prompt`. */
function lastUserText(body: Json): string {
  const prompt = Array.isArray(body['prompt']) ? (body['prompt'] as Json[]) : []
  const user = prompt.filter((message) => message['role'] === 'user').at(-1)
  const parts = Array.isArray(user?.['content']) ? (user['content'] as Json[]) : []
  return parts.flatMap((part) => (typeof part['text'] === 'string' ? [part['text']] : [])).join('\n')
}

function usage(inputTokens: number, outputTokens: number): Json {
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
  }
}

/** What the gateway model says: the scripted content, else `echo #N: <last user text>`; with its usage. */
function replyText(body: Json, counter: number, content: unknown): { text: string; usage: Json } {
  const scripted = content === undefined ? undefined : typeof content === 'string' ? content : JSON.stringify(content)
  const user = lastUserText(body)
  const text = scripted ?? `echo #${counter}: ${user}`
  return { text, usage: usage(Math.max(1, countTokens(user)), Math.max(1, countTokens(text))) }
}

/** The gateway's reply to a language model call: a generate result, or its stream parts when streaming. */
export function renderGatewayReply(body: Json, headers: Record<string, string>, counter: number, content: unknown): { json?: Json; sse?: string[] } {
  const { text, usage: used } = replyText(body, counter, content)
  const finishReason = { unified: 'stop', raw: 'stop' }
  const modelId = headers['ai-language-model-id'] ?? 'unknown'
  const response = { id: `gen_${String(counter).padStart(6, '0')}`, modelId, timestamp: new Date(1_700_000_000_000 + counter * 1000).toISOString() }
  if (headers['ai-language-model-streaming'] !== 'true') {
    return { json: { content: [{ type: 'text', text }], finishReason, usage: used, warnings: [], response } }
  }
  const parts: Json[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', ...response },
    { type: 'text-start', id: '0' },
    ...splitIntoDeltas(text).map((delta) => ({ type: 'text-delta', id: '0', delta })),
    { type: 'text-end', id: '0' },
    { type: 'finish', finishReason, usage: used },
  ]
  return { sse: parts.map((part) => formatSseEvent(part)) }
}
