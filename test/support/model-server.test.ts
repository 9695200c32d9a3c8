import Anthropic from '@anthropic-ai/sdk'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import OpenAI from 'openai'
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod'
import { zodResponseFormat, zodTextFormat } from 'openai/helpers/zod'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { startModelServer, type ModelServer } from './model-server.js'

/** Starts a fresh server for the enclosing describe block and clears it before each test. */
function useModelServer(options?: { latencyMs?: number }): () => ModelServer {
  let server: ModelServer | undefined
  beforeAll(async () => {
    server = await startModelServer(options)
  })
  afterAll(async () => {
    await server?.close()
  })
  beforeEach(() => server?.reset())
  return () => {
    if (server === undefined) throw new Error('model server not started')
    return server
  }
}

const openaiClient = (server: ModelServer, maxRetries = 0): OpenAI =>
  new OpenAI({ apiKey: 'sk-test', baseURL: server.openaiBaseURL, maxRetries })
const anthropicClient = (server: ModelServer, maxRetries = 0): Anthropic =>
  new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.anthropicBaseURL, maxRetries })

const ask = (text: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: text }] })
const askClaude = (text: string) => ({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user' as const, content: text }] })

describe('chat completions', () => {
  const server = useModelServer()

  test('works when a plain request gets the deterministic echo with ids, model and usage', async () => {
    const completion = await openaiClient(server()).chat.completions.create(ask('What is the capital of France?'))
    expect(completion).toMatchObject({
      id: 'chatcmpl-000001',
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'echo #1: What is the capital of France?' } }],
      usage: { prompt_tokens: 6, completion_tokens: 8, total_tokens: 14 },
    })
    expect(completion._request_id).toBe('req_000001')
  })

  test('works when identical repeated requests get different answers in order', async () => {
    const client = openaiClient(server())
    const answers = []
    for (let i = 0; i < 3; i++) answers.push((await client.chat.completions.create(ask('same'))).choices[0]?.message.content)
    expect(answers).toEqual(['echo #1: same', 'echo #2: same', 'echo #3: same'])
  })

  test('works when streaming with stream: true and include_usage', async () => {
    const stream = await openaiClient(server()).chat.completions.create({
      ...ask('stream me please'),
      stream: true,
      stream_options: { include_usage: true },
    })
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk)
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe('echo #1: stream me please')
    expect(chunks.length).toBeGreaterThan(5)
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop')
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 5 } })
  })

  test('works when the chat.completions.stream() helper accumulates scripted content', async () => {
    server().enqueue({ content: 'Paris is the capital.' })
    const deltas: string[] = []
    const stream = openaiClient(server())
      .chat.completions.stream({ ...ask('capital?'), stream_options: { include_usage: true } })
      .on('content', (delta) => deltas.push(delta))
    const final = await stream.finalChatCompletion()
    expect(final.choices[0]?.message.content).toBe('Paris is the capital.')
    expect(deltas).toEqual(['Paris ', 'is ', 'the ', 'capital.'])
    expect(final.usage?.completion_tokens).toBe(4)
  })

  test('works when a scripted tool call is parsed, plain and streamed', async () => {
    const client = openaiClient(server())
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }]
    server().enqueue({ toolCall: { name: 'get_weather', arguments: { city: 'Paris' } }, times: 2 })

    const plain = await client.chat.completions.create({ ...ask('weather?'), tools })
    expect(plain.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: { content: null, tool_calls: [{ id: 'call_000001_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    })

    const streamed = await client.chat.completions.stream({ ...ask('weather?'), tools }).finalChatCompletion()
    const call = streamed.choices[0]?.message.tool_calls?.[0]
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' })
  })

  test('works when an unscripted structured-output request parses with the schema', async () => {
    const Verdict = z.object({ score: z.number(), reason: z.string(), label: z.enum(['pass', 'fail']) })
    const parsed = await openaiClient(server()).chat.completions.parse({
      ...ask('grade this'),
      response_format: zodResponseFormat(Verdict, 'verdict'),
    })
    expect(parsed.choices[0]?.message.parsed).toEqual({ score: 0, reason: 'echo #1: grade this', label: 'pass' })
  })

  test('works when a scripted 429 with Retry-After: 0 is retried by the SDK and then succeeds', async () => {
    server().enqueue({ status: 429, retryAfter: 0 })
    const completion = await openaiClient(server(), 2).chat.completions.create(ask('retry'))
    expect(completion.choices[0]?.message.content).toBe('echo #2: retry')
    expect(server().requests.map((request) => request.headers['x-stainless-retry-count'])).toEqual(['0', '1'])
  })

  test('works when a scripted 500 surfaces as the SDK InternalServerError with the OpenAI error shape', async () => {
    server().enqueue({ status: 500, error: { message: 'boom' } })
    const error = await openaiClient(server()).chat.completions.create(ask('x')).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(OpenAI.InternalServerError)
    expect(error).toMatchObject({ status: 500, error: { message: 'boom', type: 'server_error' } })
  })

  test('works when a malformed JSON body makes the SDK throw', async () => {
    server().enqueue({ text: '{"id": "chatcmpl-1", "choices": [' })
    await expect(openaiClient(server()).chat.completions.create(ask('x'))).rejects.toThrow(SyntaxError)
  })

  test('works when malformed SSE data makes the stream throw', async () => {
    server().enqueue({ sse: ['data: {"id":"x","choices":[]}\n\n', 'data: {not json\n\n'] })
    const quiet = new OpenAI({ apiKey: 'sk-test', baseURL: server().openaiBaseURL, maxRetries: 0, logLevel: 'off' })
    const stream = await quiet.chat.completions.create({ ...ask('x'), stream: true })
    await expect(async () => {
      for await (const _chunk of stream) void _chunk
    }).rejects.toThrow(/malformed/)
  })
})

describe('responses', () => {
  const server = useModelServer()

  test('works when a plain request exposes output_text', async () => {
    const response = await openaiClient(server()).responses.create({ model: 'gpt-4.1-mini', input: 'Hello there' })
    expect(response).toMatchObject({ id: 'resp_000001', status: 'completed', model: 'gpt-4.1-mini', usage: { input_tokens: 2, output_tokens: 4 } })
    expect(response.output_text).toBe('echo #1: Hello there')
  })

  test('works when streaming with stream: true emits the real event sequence', async () => {
    const stream = await openaiClient(server()).responses.create({
      model: 'gpt-4.1-mini',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'two words' }] }],
      stream: true,
    })
    const types: string[] = []
    for await (const event of stream) types.push(event.type)
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array<string>(4).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ])
  })

  test('works when the responses.stream() helper gives deltas and the final response', async () => {
    server().enqueue({ content: 'Streaming works fine.' })
    const deltas: string[] = []
    const stream = openaiClient(server())
      .responses.stream({ model: 'gpt-4.1-mini', input: 'go' })
      .on('response.output_text.delta', (event) => deltas.push(event.delta))
    const final = await stream.finalResponse()
    expect(final.output_text).toBe('Streaming works fine.')
    expect(deltas.join('')).toBe('Streaming works fine.')
  })

  test('works when a scripted function call is returned, plain and streamed', async () => {
    const client = openaiClient(server())
    server().enqueue({ toolCall: { name: 'lookup', arguments: { q: 'vitest' } }, times: 2 })
    const tools = [{ type: 'function' as const, name: 'lookup', strict: false, parameters: { type: 'object', properties: { q: { type: 'string' } } } }]
    const plain = await client.responses.create({ model: 'gpt-4.1-mini', input: 'find', tools })
    expect(plain.output).toMatchObject([{ type: 'function_call', call_id: 'call_000001_0', name: 'lookup', arguments: '{"q":"vitest"}' }])

    const final = await client.responses.stream({ model: 'gpt-4.1-mini', input: 'find', tools }).finalResponse()
    expect(final.output).toMatchObject([{ type: 'function_call', name: 'lookup', arguments: '{"q":"vitest"}', status: 'completed' }])
  })

  test('works when an unscripted responses.parse() request fits the text format schema', async () => {
    const Verdict = z.object({ passed: z.boolean(), notes: z.array(z.string()) })
    const response = await openaiClient(server()).responses.parse({
      model: 'gpt-4.1-mini',
      input: 'grade',
      text: { format: zodTextFormat(Verdict, 'verdict') },
    })
    expect(response.output_parsed).toEqual({ passed: true, notes: ['echo #1: grade'] })
  })
})

describe('embeddings', () => {
  const server = useModelServer()

  test('works when the SDK default (base64) and float encodings give the same normalized vectors', async () => {
    const client = openaiClient(server())
    const base64 = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['the cat sat', 'a dog ran'] })
    const float = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['the cat sat', 'a dog ran'], encoding_format: 'float' })
    expect(server().requests[0]?.body).toMatchObject({ encoding_format: 'base64' })
    expect(base64.data).toHaveLength(2)
    expect(base64.data[0]?.embedding).toHaveLength(64)
    const vector = float.data[0]?.embedding ?? []
    expect(Math.hypot(...vector)).toBeCloseTo(1, 6)
    expect(base64.data[0]?.embedding.map((value) => value.toFixed(5))).toEqual(vector.map((value) => value.toFixed(5)))
    expect(float.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 })
  })

  test('works when dimensions is set and texts sharing words are closer', async () => {
    const { data } = await openaiClient(server()).embeddings.create({
      model: 'text-embedding-3-small',
      input: ['red apple pie', 'red apple tart', 'quantum field theory'],
      dimensions: 256,
      encoding_format: 'float',
    })
    const [pie, tart, physics] = data.map((item) => item.embedding)
    const dot = (a: number[] = [], b: number[] = []): number => a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0)
    expect(pie).toHaveLength(256)
    expect(dot(pie, tart)).toBeGreaterThan(dot(pie, physics))
  })
})

describe('anthropic messages', () => {
  const server = useModelServer()

  test('works when a plain request gets a message with usage (SDK 1.x sends the key as a Bearer token)', async () => {
    const message = await anthropicClient(server()).messages.create(askClaude('Hi Claude'))
    expect(message).toMatchObject({
      id: 'msg_000001',
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      content: [{ type: 'text', text: 'echo #1: Hi Claude' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 2, output_tokens: 4 },
    })
    expect(server().requests[0]?.headers).toMatchObject({ authorization: 'Bearer sk-ant-test', 'anthropic-version': expect.any(String) })
  })

  test('works when streaming with stream: true emits the real event sequence', async () => {
    const stream = await anthropicClient(server()).messages.create({ ...askClaude('hi'), stream: true })
    const types: string[] = []
    for await (const event of stream) types.push(event.type === 'content_block_delta' ? `${event.type}:${event.delta.type}` : event.type)
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      ...Array<string>(3).fill('content_block_delta:text_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
  })

  test('works when messages.stream() emits text and resolves finalMessage()', async () => {
    server().enqueue({ content: 'Bonjour tout le monde' })
    const texts: string[] = []
    const stream = anthropicClient(server())
      .messages.stream(askClaude('greet'))
      .on('text', (text) => texts.push(text))
    const final = await stream.finalMessage()
    expect(final.content).toEqual([{ type: 'text', text: 'Bonjour tout le monde' }])
    expect(final.usage.output_tokens).toBe(4)
    expect(texts).toEqual(['Bonjour ', 'tout ', 'le ', 'monde'])
  })

  test('works when a forced tool_use is streamed with input_json_delta and parsed', async () => {
    const tools = [{ name: 'grade', input_schema: { type: 'object' as const, properties: { score: { type: 'number' }, reason: { type: 'string' } } } }]
    const final = await anthropicClient(server())
      .messages.stream({ ...askClaude('grade it'), tools, tool_choice: { type: 'tool', name: 'grade' } })
      .finalMessage()
    expect(final.stop_reason).toBe('tool_use')
    expect(final.content).toEqual([{ type: 'tool_use', id: 'toolu_000001_0', name: 'grade', input: { score: 0, reason: 'echo #1: grade it' } }])

    server().enqueue({ content: 'Let me grade.', toolCall: { name: 'grade', arguments: { score: 0.9, reason: 'good' } } })
    const plain = await anthropicClient(server()).messages.create({ ...askClaude('grade it'), tools })
    expect(plain.content).toMatchObject([{ type: 'text', text: 'Let me grade.' }, { type: 'tool_use', input: { score: 0.9, reason: 'good' } }])
  })

  // SDK helpers strip constraints such as `minimum` from the schema sent, so defaults cannot honour them: script those.
  test('works when an unscripted messages.parse() request fits the output_config schema', async () => {
    const Verdict = z.object({ label: z.enum(['supported', 'contradicted']), confidence: z.number(), claims: z.array(z.string()) })
    const message = await anthropicClient(server()).messages.parse({
      ...askClaude('grade'),
      output_config: { format: zodOutputFormat(Verdict) },
    })
    expect(message.parsed_output).toEqual({ label: 'supported', confidence: 0, claims: ['echo #1: grade'] })
  })

  // The Anthropic SDK treats `retry-after: 0` as absent and backs off ~0.5 s, so script a tiny positive delay.
  test('works when a scripted 429 is retried and a 529 surfaces in the Anthropic error shape', async () => {
    server().enqueue({ status: 429, retryAfter: 0.01 })
    const message = await anthropicClient(server(), 1).messages.create(askClaude('again'))
    expect(message.content).toEqual([{ type: 'text', text: 'echo #2: again' }])

    server().enqueue({ status: 529 })
    const error = await anthropicClient(server()).messages.create(askClaude('x')).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(Anthropic.APIError)
    expect(error).toMatchObject({ status: 529, error: { type: 'error', error: { type: 'overloaded_error' } } })
  })
})

describe('server', () => {
  const server = useModelServer()

  test('works when a path-scoped script skips requests to other paths and times repeats it', async () => {
    server().enqueue({ path: '/v1/messages', content: 'for claude', times: 2 })
    const chat = await openaiClient(server()).chat.completions.create(ask('hi'))
    expect(chat.choices[0]?.message.content).toBe('echo #1: hi')
    const claude = anthropicClient(server())
    for (let i = 0; i < 2; i++) expect((await claude.messages.create(askClaude('x'))).content).toEqual([{ type: 'text', text: 'for claude' }])
    expect((await claude.messages.create(askClaude('x'))).content).toEqual([{ type: 'text', text: 'echo #3: x' }])
  })

  test('works when requests are recorded with lowercased headers and parsed bodies', async () => {
    await openaiClient(server()).chat.completions.create(ask('record me'))
    expect(server().requests).toMatchObject([
      { method: 'POST', path: '/v1/chat/completions', headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' }, body: ask('record me') },
    ])
  })

  test('works when models are listed in each provider shape', async () => {
    const openaiModels = await openaiClient(server()).models.list()
    expect(openaiModels.data.map((model) => model.id)).toContain('gpt-4o-mini')
    const anthropicModels = await anthropicClient(server()).models.list()
    expect(anthropicModels.data[0]).toMatchObject({ type: 'model', id: 'claude-sonnet-4-5' })
  })

  test('works when unknown paths and missing keys get provider-shaped errors', async () => {
    const notFound = await fetch(`${server().openaiBaseURL}/nope`, { method: 'POST', headers: { authorization: 'Bearer x' } })
    expect(notFound.status).toBe(404)
    expect(await notFound.json()).toEqual({ error: { message: 'Invalid URL (POST /v1/nope)', type: 'invalid_request_error', param: null, code: null } })

    const anthropicNotFound = await fetch(`${server().url}/v1/nope`, { headers: { 'x-api-key': 'x', 'anthropic-version': '2023-06-01' } })
    expect(await anthropicNotFound.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })

    const unauthorized = await fetch(`${server().openaiBaseURL}/chat/completions`, { method: 'POST', body: '{}' })
    expect(unauthorized.status).toBe(401)
  })

  test('works when scripted SSE chunks arrive as separate network chunks', async () => {
    server().enqueue({ sse: ['data: {"a":1}\n\n', 'data: {"a":2}\n\n', 'data: [DONE]\n\n'] })
    const response = await fetch(`${server().openaiBaseURL}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer x' }, body: '{}' })
    const chunks: string[] = []
    const decoder = new TextDecoder()
    for await (const chunk of response.body ?? []) chunks.push(decoder.decode(chunk))
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    expect(chunks).toEqual(['data: {"a":1}\n\n', 'data: {"a":2}\n\n', 'data: [DONE]\n\n'])
  })

  test('works when Anthropic count_tokens is called', async () => {
    const counted = await anthropicClient(server()).messages.countTokens({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'one two three' }] })
    expect(counted.input_tokens).toBe(3)
  })

  test('works when reset() clears requests, queue and counters', async () => {
    server().enqueue({ content: 'queued' })
    await openaiClient(server()).models.list()
    server().reset()
    expect(server().requests).toEqual([])
    const completion = await openaiClient(server()).chat.completions.create(ask('fresh'))
    expect(completion.choices[0]?.message.content).toBe('echo #1: fresh')
  })
})

describe('serve.ts', () => {
  test('works when run as a process: prints base URLs, takes scripts over HTTP and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./serve.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = once(child, 'exit')
    try {
      let output = ''
      for await (const chunk of child.stdout) {
        output += String(chunk)
        if (output.includes('READY\n')) break
      }
      const env = Object.fromEntries(output.trim().split('\n').filter((line) => line.includes('=')).map((line) => line.split('=') as [string, string]))
      expect(env['OPENAI_BASE_URL']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
      expect(env['ANTHROPIC_BASE_URL']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

      const base = env['ANTHROPIC_BASE_URL'] ?? ''
      await fetch(`${base}/__model-server/enqueue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ content: 'from another process' }]) })
      const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: base, maxRetries: 0 })
      const message = await client.messages.create(askClaude('hello'))
      expect(message.content).toEqual([{ type: 'text', text: 'from another process' }])
      const recorded = (await (await fetch(`${base}/__model-server/requests`)).json()) as { path: string }[]
      expect(recorded.map((request) => request.path)).toEqual(['/v1/messages'])
    } finally {
      child.kill('SIGTERM')
    }
    const [code] = await exited
    expect(code).toBe(0)
  })
})

describe('latency', () => {
  const server = useModelServer({ latencyMs: 150 })

  test('works when latencyMs delays every reply and delayMs adds to it', async () => {
    const client = openaiClient(server())
    let started = performance.now()
    await client.chat.completions.create(ask('slow'))
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)

    server().enqueue({ content: 'slower', delayMs: 100 })
    started = performance.now()
    await client.chat.completions.create(ask('slow'))
    expect(performance.now() - started).toBeGreaterThanOrEqual(240)
  })
})

describe('abandoned requests', () => {
  const server = useModelServer()

  test('works when a client that aborts while the reply is delayed is listed in abandoned, and a finished one is not', async () => {
    const client = openaiClient(server())
    await client.chat.completions.create(ask('fast'))
    server().enqueue({ content: 'never sent', delayMs: 10_000 })
    const controller = new AbortController()
    const pending = client.chat.completions.create(ask('slow'), { signal: controller.signal }).catch((error: unknown) => error)
    while (server().requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5))
    controller.abort()
    expect(await pending).toBeInstanceOf(Error)
    const deadline = Date.now() + 5_000
    while (server().abandoned.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(server().abandoned.map((request) => request.body)).toEqual([ask('slow')])
    server().reset()
    expect(server().abandoned).toEqual([])
  })
})
