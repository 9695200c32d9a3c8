// Provider payloads as the APIs send them (shapes from the OpenAI and Anthropic API references, ids and
// numbers made up): the inputs of the trace parser tests. Streams are SSE text cut into arbitrary chunks,
// as a network delivers them (a chunk boundary may fall inside a line or a JSON value).

/** SSE text split into chunks of `size` characters. */
export function chunked(text: string, size = 37): string[] {
  const chunks: string[] = []
  for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size))
  return chunks
}

const sse = (events: unknown[], named = false): string =>
  events.map((event) => `${named ? `event: ${(event as { type: string }).type}\n` : ''}data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`).join('')

/** A chat completion with two parallel tool calls. */
export const chatCompletion = {
  id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4o-2024-08-06',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris, France"}' } },
          { id: 'call_def', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Bogotá, Colombia"}' } },
        ],
        refusal: null,
        annotations: [],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 82, completion_tokens: 17, total_tokens: 99 },
  service_tier: 'default',
}

const chunk = (delta: unknown, finish: string | null = null) => ({
  id: 'chatcmpl-stream1',
  object: 'chat.completion.chunk',
  created: 1741569952,
  model: 'gpt-4o-2024-08-06',
  system_fingerprint: 'fp_1',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
})

/** The same two calls streamed: argument deltas by `index`, then the usage chunk and `[DONE]`. */
export const chatCompletionStream = chunked(
  sse([
    chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '' } }], refusal: null }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"lo' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: 'cation":"Paris, France"}' } }] }),
    chunk({ tool_calls: [{ index: 1, id: 'call_def', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: '{"location":"Bog' } }] }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: 'otá, Colombia"}' } }] }),
    chunk({}, 'tool_calls'),
    { id: 'chatcmpl-stream1', object: 'chat.completion.chunk', created: 1741569952, model: 'gpt-4o-2024-08-06', choices: [], usage: { prompt_tokens: 82, completion_tokens: 17, total_tokens: 99 } },
    '[DONE]',
  ]),
)

/** A streamed text answer (no tool call). */
export const chatTextStream = chunked(sse([chunk({ role: 'assistant', content: '' }), chunk({ content: 'It is 18 °C ' }), chunk({ content: 'in Paris.' }), chunk({}, 'stop'), '[DONE]']), 11)

/** A Responses API response with a function call. */
export const responsesResponse = {
  id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
  object: 'response',
  created_at: 1741476542,
  status: 'completed',
  model: 'gpt-4.1-2025-04-14',
  output: [
    { type: 'reasoning', id: 'rs_1', summary: [] },
    { type: 'function_call', id: 'fc_12345xyz', call_id: 'call_12345xyz', name: 'get_weather', arguments: '{"location":"Paris, France"}', status: 'completed' },
  ],
  parallel_tool_calls: true,
  usage: { input_tokens: 291, output_tokens: 23, total_tokens: 314 },
}

const fnItem = { type: 'function_call', id: 'fc_12345xyz', call_id: 'call_12345xyz', name: 'get_weather', arguments: '', status: 'in_progress' }
const responsesEvents = [
  { type: 'response.created', sequence_number: 0, response: { id: 'resp_1', object: 'response', status: 'in_progress', model: 'gpt-4.1-2025-04-14', output: [], usage: null } },
  { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item: fnItem },
  { type: 'response.function_call_arguments.delta', sequence_number: 2, item_id: 'fc_12345xyz', output_index: 0, delta: '{"location":' },
  { type: 'response.function_call_arguments.delta', sequence_number: 3, item_id: 'fc_12345xyz', output_index: 0, delta: '"Paris, France"}' },
  { type: 'response.function_call_arguments.done', sequence_number: 4, item_id: 'fc_12345xyz', output_index: 0, arguments: '{"location":"Paris, France"}' },
  { type: 'response.output_item.done', sequence_number: 5, output_index: 0, item: { ...fnItem, arguments: '{"location":"Paris, France"}', status: 'completed' } },
]

/** The Responses call streamed, ending with `response.completed`. */
export const responsesStream = chunked(
  sse(
    [
      ...responsesEvents,
      {
        type: 'response.completed',
        sequence_number: 6,
        response: { id: 'resp_1', object: 'response', status: 'completed', model: 'gpt-4.1-2025-04-14', output: [{ ...fnItem, arguments: '{"location":"Paris, France"}', status: 'completed' }], usage: { input_tokens: 291, output_tokens: 23 } },
      },
    ],
    true,
  ),
)

/** The same stream cut off before `output_item.done` and `response.completed`: the call is built from its deltas. */
export const responsesStreamCut = chunked(sse(responsesEvents.slice(0, 4), true), 50)

/** An Anthropic message: text, then two tool_use blocks. */
export const anthropicMessage = {
  id: 'msg_01Aq9w938a90dw8q',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [
    { type: 'text', text: 'I will look up the order and the customer.' },
    { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'lookup_order', input: { orderId: '123' } },
    { type: 'tool_use', id: 'toolu_01B', name: 'lookup_customer', input: { email: 'ada@example.com' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 472, output_tokens: 91 },
}

/** The message streamed: `event:` lines, a ping, `input_json_delta` pieces, usage in `message_delta`. */
export const anthropicStream = chunked(
  sse(
    [
      { type: 'message_start', message: { ...anthropicMessage, content: [], stop_reason: null, usage: { input_tokens: 472, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'ping' },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'I will look up ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'the order and the customer.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'lookup_order', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"orderId": "1' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '23"}' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_01B', name: 'lookup_customer', input: {} } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"email": "ada@example.com"}' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 91 } },
      { type: 'message_stop' },
    ],
    true,
  ),
  23,
)
