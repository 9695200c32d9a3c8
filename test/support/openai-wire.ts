import { forcedTool, splitIntoDeltas, type ReplyContent } from './reply-content.js'
import { formatSseEvent } from './sse.js'

type Json = Record<string, unknown>

/** Fixed base for `created` timestamps so replies are byte-for-byte reproducible. */
const EPOCH_SECONDS = 1_700_000_000
const pad = (counter: number): string => String(counter).padStart(6, '0')

/** Real OpenAI error bodies: `{ error: { message, type, param, code } }`. */
export function openaiErrorBody(status: number, message?: string, type?: string, code?: string | null): Json {
  const defaults: Record<number, [string, string, string | null]> = {
    400: ['invalid_request_error', 'Invalid request (scripted).', null],
    401: ['invalid_request_error', 'Incorrect API key provided (scripted).', 'invalid_api_key'],
    404: ['invalid_request_error', 'Not found (scripted).', null],
    429: ['requests', 'Rate limit reached (scripted).', 'rate_limit_exceeded'],
  }
  const [defaultType, defaultMessage, defaultCode] = defaults[status] ?? [
    status >= 500 ? 'server_error' : 'invalid_request_error',
    status >= 500 ? 'The server had an error while processing your request. Sorry about that!' : `Error ${status} (scripted).`,
    null,
  ]
  return { error: { message: message ?? defaultMessage, type: type ?? defaultType, param: null, code: code ?? defaultCode } }
}

function chatUsage(reply: ReplyContent): Json {
  return {
    prompt_tokens: reply.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: reply.inputTokens + reply.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  }
}

/** Like the real API, a call forced by name finishes with `stop`; a call the model chose, with `tool_calls`. */
function chatFinishReason(reply: ReplyContent, body: Json): string {
  if (reply.toolCalls.length === 0) return 'stop'
  return forcedTool(body) !== undefined && body['tool_choice'] !== 'required' ? 'stop' : 'tool_calls'
}

/** A non-streamed `chat.completion` object. */
export function renderChatCompletion(reply: ReplyContent, body: Json): Json {
  const toolCalls = reply.toolCalls.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }))
  return {
    id: `chatcmpl-${pad(reply.counter)}`,
    object: 'chat.completion',
    created: EPOCH_SECONDS + reply.counter,
    model: reply.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text,
          refusal: null,
          annotations: [],
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: chatFinishReason(reply, body),
      },
    ],
    usage: chatUsage(reply),
    service_tier: 'default',
    system_fingerprint: null,
  }
}

/** The `data:` chunks of a streamed chat completion, ending with the usage chunk (when asked) and `[DONE]`. */
export function renderChatCompletionChunks(reply: ReplyContent, body: Json): string[] {
  const streamOptions = body['stream_options']
  const includeUsage = typeof streamOptions === 'object' && streamOptions !== null && 'include_usage' in streamOptions && streamOptions.include_usage === true
  const chunk = (choices: Json[], usage?: Json): string =>
    formatSseEvent({
      id: `chatcmpl-${pad(reply.counter)}`,
      object: 'chat.completion.chunk',
      created: EPOCH_SECONDS + reply.counter,
      model: reply.model,
      service_tier: 'default',
      system_fingerprint: null,
      choices,
      ...(includeUsage ? { usage: usage ?? null } : {}),
    })
  const delta = (value: Json, finishReason: string | null = null): Json => ({ index: 0, delta: value, logprobs: null, finish_reason: finishReason })

  const chunks = [chunk([delta({ role: 'assistant', content: reply.text === null ? null : '', refusal: null })])]
  if (reply.text !== null) for (const piece of splitIntoDeltas(reply.text)) chunks.push(chunk([delta({ content: piece })]))
  for (const [index, call] of reply.toolCalls.entries()) {
    chunks.push(chunk([delta({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] })]))
    for (const piece of splitIntoDeltas(call.arguments)) chunks.push(chunk([delta({ tool_calls: [{ index, function: { arguments: piece } }] })]))
  }
  chunks.push(chunk([delta({}, chatFinishReason(reply, body))]))
  if (includeUsage) chunks.push(chunk([], chatUsage(reply)))
  chunks.push(formatSseEvent('[DONE]'))
  return chunks
}

/** Output items of a Responses API reply: one message (when there is text), then one item per function call. */
function responseOutput(reply: ReplyContent): Json[] {
  const message =
    reply.text === null
      ? []
      : [{ id: `msg_${pad(reply.counter)}`, type: 'message', status: 'completed', role: 'assistant', content: [outputTextPart(reply.text)] }]
  const calls = reply.toolCalls.map((call, index) => ({
    id: `fc_${pad(reply.counter)}_${index}`,
    type: 'function_call',
    status: 'completed',
    call_id: call.id,
    name: call.name,
    arguments: call.arguments,
  }))
  return [...message, ...calls]
}

const outputTextPart = (text: string): Json => ({ type: 'output_text', text, annotations: [], logprobs: [] })

/** A Responses API `response` object; `in_progress` ones (for stream lifecycle events) have no output yet. */
export function renderResponse(reply: ReplyContent, body: Json, status: 'in_progress' | 'completed' = 'completed'): Json {
  const completed = status === 'completed'
  return {
    id: `resp_${pad(reply.counter)}`,
    object: 'response',
    created_at: EPOCH_SECONDS + reply.counter,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body['instructions'] ?? null,
    max_output_tokens: body['max_output_tokens'] ?? null,
    model: reply.model,
    output: completed ? responseOutput(reply) : [],
    parallel_tool_calls: true,
    previous_response_id: body['previous_response_id'] ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: true,
    temperature: body['temperature'] ?? 1,
    text: body['text'] ?? { format: { type: 'text' } },
    tool_choice: body['tool_choice'] ?? 'auto',
    tools: body['tools'] ?? [],
    top_p: body['top_p'] ?? 1,
    truncation: 'disabled',
    usage: completed
      ? {
          input_tokens: reply.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: reply.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: reply.inputTokens + reply.outputTokens,
        }
      : null,
    user: null,
    metadata: body['metadata'] ?? {},
  }
}

/** The named SSE events of a streamed Responses API reply, in the order the real API sends them. */
export function renderResponseEvents(reply: ReplyContent, body: Json): string[] {
  const events: Json[] = [
    { type: 'response.created', response: renderResponse(reply, body, 'in_progress') },
    { type: 'response.in_progress', response: renderResponse(reply, body, 'in_progress') },
  ]
  for (const [outputIndex, item] of responseOutput(reply).entries()) {
    const itemId = item['id']
    if (item['type'] === 'message') {
      const text = reply.text ?? ''
      const where = { item_id: itemId, output_index: outputIndex, content_index: 0 }
      events.push(
        { type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', content: [] } },
        { type: 'response.content_part.added', ...where, part: outputTextPart('') },
        ...splitIntoDeltas(text).map((delta) => ({ type: 'response.output_text.delta', ...where, delta, logprobs: [] })),
        { type: 'response.output_text.done', ...where, text, logprobs: [] },
        { type: 'response.content_part.done', ...where, part: outputTextPart(text) },
      )
    } else {
      const args = String(item['arguments'])
      const where = { item_id: itemId, output_index: outputIndex }
      events.push(
        { type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', arguments: '' } },
        ...splitIntoDeltas(args).map((delta) => ({ type: 'response.function_call_arguments.delta', ...where, delta })),
        { type: 'response.function_call_arguments.done', ...where, name: item['name'], arguments: args },
      )
    }
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item })
  }
  events.push({ type: 'response.completed', response: renderResponse(reply, body) })
  return events.map((event, sequenceNumber) => formatSseEvent({ ...event, sequence_number: sequenceNumber }, String(event['type'])))
}

/** Hashed bag of words: each lowercased word adds ±1 to one of `dims` buckets; the vector is L2-normalized. */
export function embedText(text: string, dims: number): number[] {
  const vector = new Array<number>(dims).fill(0)
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let hash = 0x811c9dc5
    for (const char of word) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0
    const bucket = hash % dims
    vector[bucket] = (vector[bucket] ?? 0) + ((hash >>> 31) === 1 ? -1 : 1)
  }
  const norm = Math.hypot(...vector)
  return norm === 0 ? vector : vector.map((value) => value / norm)
}

/** Float32 little-endian bytes in base64: what the SDK asks for (and decodes) by default. */
const toBase64Floats = (vector: number[]): string => Buffer.from(new Float32Array(vector).buffer).toString('base64')

/** A `/v1/embeddings` list reply; token arrays are embedded as their space-joined numbers. */
export function renderEmbeddings(body: Json): Json {
  const raw = body['input']
  const inputs = (Array.isArray(raw) && raw.every((item) => typeof item === 'number') ? [raw] : [raw].flat()).map((item) =>
    Array.isArray(item) ? item.join(' ') : String(item),
  )
  const dims = typeof body['dimensions'] === 'number' ? body['dimensions'] : 64
  const base64 = body['encoding_format'] === 'base64'
  const tokens = inputs.reduce((sum, text) => sum + (text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0), 0)
  return {
    object: 'list',
    data: inputs.map((text, index) => {
      const vector = embedText(text, dims)
      return { object: 'embedding', index, embedding: base64 ? toBase64Floats(vector) : vector }
    }),
    model: typeof body['model'] === 'string' ? body['model'] : 'text-embedding-3-small',
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  }
}

/** `GET /v1/models` in OpenAI's list shape. */
export function renderOpenaiModels(): Json {
  const ids = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'text-embedding-3-small']
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: EPOCH_SECONDS, owned_by: 'system' })) }
}
