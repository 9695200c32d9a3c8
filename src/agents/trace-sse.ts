// A streamed (SSE) response put back together as the body the same call would have returned without
// streaming, so one parser reads both: OpenAI chat chunks (tool-call argument deltas by `index`),
// Responses API events, Anthropic message events (`input_json_delta`), Gemini response chunks (SSE or one
// JSON array). One pass over the chunks. Pure.
import { isJsonObject, type JsonObject } from './tool-call-args.js'
import { geminiResponseFromChunks } from './trace-gemini.js'

/** Which API a stream came from. */
export type StreamKind = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini'

/** The JSON `data` of each event in `chunks` (as received, split anywhere); `[DONE]` and non-JSON data skipped. */
export function sseEvents(chunks: readonly string[]): JsonObject[] {
  const events: JsonObject[] = []
  let data: string[] = []
  const dispatch = () => {
    if (data.length === 0) return
    const text = data.join('\n')
    data = []
    if (text === '[DONE]') return
    try {
      const event = JSON.parse(text) as unknown
      if (isJsonObject(event)) events.push(event)
    } catch {
      // A keep-alive comment or a torn final event: nothing a trace can use.
    }
  }
  for (const line of chunks.join('').split(/\r?\n/)) {
    if (line === '') dispatch()
    else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5))
  }
  dispatch()
  return events
}

/** The API whose events these are, from the first event that tells. */
export function streamKind(events: readonly JsonObject[]): StreamKind | undefined {
  for (const event of events) {
    if (event.object === 'chat.completion.chunk' || Array.isArray(event.choices)) return 'openai-chat'
    if (typeof event.type === 'string' && event.type.startsWith('response.')) return 'openai-responses'
    if (event.type === 'message_start' || event.type === 'content_block_start') return 'anthropic'
    if (Array.isArray(event.candidates)) return 'gemini'
  }
  return undefined
}

interface ChatCallDraft {
  id?: string
  name: string
  arguments: string
}

/** A chat completion from its chunks: the first choice's content and tool calls, deltas joined by `index`. */
export function chatCompletionFromChunks(events: readonly JsonObject[]): JsonObject {
  let content = ''
  let model: unknown
  let usage: unknown
  const calls = new Map<number, ChatCallDraft>()
  for (const event of events) {
    model ??= event.model
    if (isJsonObject(event.usage)) usage = event.usage
    for (const choice of Array.isArray(event.choices) ? event.choices : []) {
      if (!isJsonObject(choice) || (choice.index ?? 0) !== 0 || !isJsonObject(choice.delta)) continue
      const delta = choice.delta
      if (typeof delta.content === 'string') content += delta.content
      const deltas = Array.isArray(delta.tool_calls) ? delta.tool_calls : isJsonObject(delta.function_call) ? [{ index: 0, function: delta.function_call }] : []
      for (const part of deltas) if (isJsonObject(part)) addCallDelta(calls, part)
    }
  }
  const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => ({ ...(call.id ? { id: call.id } : {}), type: 'function', function: { name: call.name, arguments: call.arguments } }))
  const message = { role: 'assistant', content, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) }
  return { object: 'chat.completion', ...(typeof model === 'string' ? { model } : {}), choices: [{ index: 0, message }], ...(usage ? { usage } : {}) }
}

function addCallDelta(calls: Map<number, ChatCallDraft>, part: JsonObject): void {
  // Some compatible servers leave out `index`: a new id starts a call, anything else continues the last one.
  const last = Math.max(-1, ...calls.keys())
  const index = typeof part.index === 'number' ? part.index : typeof part.id === 'string' && ![...calls.values()].some((call) => call.id === part.id) ? last + 1 : Math.max(last, 0)
  const call = calls.get(index) ?? { name: '', arguments: '' }
  calls.set(index, call)
  if (typeof part.id === 'string' && part.id !== '') call.id ??= part.id
  const fn = isJsonObject(part.function) ? part.function : {}
  // The name comes whole in the first delta; a server that repeats it is not doubled.
  if (typeof fn.name === 'string' && fn.name !== call.name) call.name += fn.name
  if (typeof fn.arguments === 'string') call.arguments += fn.arguments
}

/** A Responses API response from its events: the final `response` when the stream completed, else the items built from deltas. */
export function responseFromEvents(events: readonly JsonObject[]): JsonObject {
  const items = new Map<number, JsonObject>()
  const texts = new Map<number, string>()
  let shell: JsonObject = { object: 'response' }
  for (const event of events) {
    const index = typeof event.output_index === 'number' ? event.output_index : -1
    const response = isJsonObject(event.response) ? event.response : undefined
    switch (event.type) {
      case 'response.created':
      case 'response.in_progress':
        if (response) shell = { ...response, object: 'response' }
        break
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
        if (response && Array.isArray(response.output) && response.output.length > 0) return { ...response, object: 'response' }
        if (response) shell = { ...response, object: 'response' }
        break
      case 'response.output_item.added':
      case 'response.output_item.done':
        if (isJsonObject(event.item)) items.set(index, { ...event.item })
        break
      case 'response.function_call_arguments.delta': {
        const item = items.get(index)
        if (item && typeof event.delta === 'string') item.arguments = `${typeof item.arguments === 'string' ? item.arguments : ''}${event.delta}`
        break
      }
      case 'response.function_call_arguments.done': {
        const item = items.get(index)
        if (item && typeof event.arguments === 'string') item.arguments = event.arguments
        break
      }
      case 'response.output_text.delta':
        if (typeof event.delta === 'string') texts.set(index, (texts.get(index) ?? '') + event.delta)
        break
    }
  }
  const output = [...items.entries()].sort(([a], [b]) => a - b).map(([index, item]) => {
    const text = texts.get(index)
    const empty = !Array.isArray(item.content) || item.content.length === 0
    return item.type === 'message' && empty && text !== undefined ? { ...item, content: [{ type: 'output_text', text }] } : item
  })
  const { output_text: _stale, ...rest } = shell
  return { ...rest, output }
}

/** An Anthropic message from its events: blocks by `index`, a `tool_use` block's input as the joined `partial_json` text. */
export function anthropicMessageFromEvents(events: readonly JsonObject[]): JsonObject {
  let message: JsonObject = { type: 'message', role: 'assistant' }
  const blocks = new Map<number, JsonObject>()
  const partials = new Map<number, string>()
  let usage: JsonObject = {}
  for (const event of events) {
    const index = typeof event.index === 'number' ? event.index : -1
    if (event.type === 'message_start' && isJsonObject(event.message)) {
      message = { ...event.message, type: 'message' }
      if (isJsonObject(event.message.usage)) usage = { ...event.message.usage }
    } else if (event.type === 'content_block_start' && isJsonObject(event.content_block)) {
      blocks.set(index, { ...event.content_block })
    } else if (event.type === 'content_block_delta' && isJsonObject(event.delta)) {
      const block = blocks.get(index)
      if (event.delta.type === 'text_delta' && block && typeof event.delta.text === 'string') block.text = `${typeof block.text === 'string' ? block.text : ''}${event.delta.text}`
      if (event.delta.type === 'input_json_delta' && typeof event.delta.partial_json === 'string') partials.set(index, (partials.get(index) ?? '') + event.delta.partial_json)
    } else if (event.type === 'message_delta') {
      if (isJsonObject(event.usage)) usage = { ...usage, ...event.usage }
      if (isJsonObject(event.delta) && typeof event.delta.stop_reason === 'string') message.stop_reason = event.delta.stop_reason
    }
  }
  for (const [index, partial] of partials) {
    const block = blocks.get(index)
    if (block && partial !== '') block.input = partial
  }
  const content = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block)
  return { ...message, content, usage }
}

/**
 * The response body a stream spells, and which API it came from; `undefined` for a stream of another
 * kind (an embeddings or audio stream is no trace step).
 *
 * @example
 * responseFromStream(entry.response.chunks) // { kind: 'anthropic', body: { type: 'message', content: [...] } }
 */
export function responseFromStream(chunks: readonly string[]): { kind: StreamKind; body: JsonObject } | undefined {
  let events = sseEvents(chunks)
  if (events.length === 0) events = jsonArrayEvents(chunks)
  const kind = streamKind(events)
  if (kind === 'openai-chat') return { kind, body: chatCompletionFromChunks(events) }
  if (kind === 'openai-responses') return { kind, body: responseFromEvents(events) }
  if (kind === 'anthropic') return { kind, body: anthropicMessageFromEvents(events) }
  if (kind === 'gemini') return { kind, body: geminiResponseFromChunks(events) }
  return undefined
}

/** The objects of a stream that is one JSON array written over time (Gemini's REST stream without `alt=sse`). */
function jsonArrayEvents(chunks: readonly string[]): JsonObject[] {
  const text = chunks.join('').trim()
  if (!text.startsWith('[')) return []
  try {
    const value = JSON.parse(text) as unknown
    return Array.isArray(value) ? value.filter(isJsonObject) : []
  } catch {
    return []
  }
}
