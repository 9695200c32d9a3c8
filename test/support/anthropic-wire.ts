import { splitIntoDeltas, type ReplyContent } from './reply-content.js'
import { formatSseEvent } from './sse.js'

type Json = Record<string, unknown>

const pad = (counter: number): string => String(counter).padStart(6, '0')

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
}

/** Real Anthropic error bodies: `{ type: 'error', error: { type, message }, request_id }`. */
export function anthropicErrorBody(status: number, requestId: string, message?: string, type?: string): Json {
  const errorType = type ?? ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error')
  return { type: 'error', error: { type: errorType, message: message ?? `${errorType} (scripted)` }, request_id: requestId }
}

function usage(reply: ReplyContent, outputTokens: number): Json {
  return {
    input_tokens: reply.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    server_tool_use: null,
    service_tier: 'standard',
  }
}

function contentBlocks(reply: ReplyContent): Json[] {
  const text = reply.text === null ? [] : [{ type: 'text', text: reply.text }]
  const tools = reply.toolCalls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: parseInput(call.arguments) }))
  return [...text, ...tools]
}

/** Scripted arguments may be deliberately malformed; the block then carries the raw string, as-is. */
function parseInput(args: string): unknown {
  try {
    return JSON.parse(args)
  } catch {
    return args
  }
}

function messageShell(reply: ReplyContent): Json {
  return {
    id: `msg_${pad(reply.counter)}`,
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    container: null,
  }
}

const stopReason = (reply: ReplyContent): string => (reply.toolCalls.length > 0 ? 'tool_use' : 'end_turn')

/** A non-streamed Messages API `message`. */
export function renderMessage(reply: ReplyContent): Json {
  return { ...messageShell(reply), content: contentBlocks(reply), stop_reason: stopReason(reply), usage: usage(reply, reply.outputTokens) }
}

/** The named SSE events of a streamed message, with the `ping` the real API sends after the first block starts. */
export function renderMessageEvents(reply: ReplyContent): string[] {
  const events: Json[] = [{ type: 'message_start', message: { ...messageShell(reply), usage: usage(reply, 1) } }]
  for (const [index, block] of contentBlocks(reply).entries()) {
    if (block['type'] === 'text') {
      events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } })
      if (index === 0) events.push({ type: 'ping' })
      for (const text of splitIntoDeltas(String(block['text']))) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } })
      }
    } else {
      const call = reply.toolCalls.find((candidate) => candidate.id === block['id'])
      events.push({ type: 'content_block_start', index, content_block: { ...block, input: {} } })
      if (index === 0) events.push({ type: 'ping' })
      for (const partial of splitIntoDeltas(call?.arguments ?? '')) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partial } })
      }
    }
    events.push({ type: 'content_block_stop', index })
  }
  events.push(
    {
      type: 'message_delta',
      delta: { stop_reason: stopReason(reply), stop_sequence: null, stop_details: null, container: null },
      usage: { output_tokens: reply.outputTokens },
    },
    { type: 'message_stop' },
  )
  return events.map((event) => formatSseEvent(event, String(event['type'])))
}

/** `GET /v1/models` in Anthropic's paginated shape. */
export function renderAnthropicModels(): Json {
  const ids = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1']
  const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }))
  return { data, has_more: false, first_id: ids[0], last_id: ids.at(-1) }
}
