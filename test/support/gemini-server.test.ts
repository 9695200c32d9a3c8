import { createGoogleGenerativeAI } from '@ai-sdk/google'
import { GoogleGenAI, Type } from '@google/genai'
import { generateText, Output, streamText } from 'ai'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { startModelServer, type ModelServer } from './model-server.js'

let server: ModelServer
beforeAll(async () => {
  server = await startModelServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const genai = (): GoogleGenAI => new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: server.url } })

describe('@google/genai', () => {
  test('works when generateContent gets the echo with usageMetadata, and the key arrives in x-goog-api-key', async () => {
    const response = await genai().models.generateContent({ model: 'gemini-2.5-flash', contents: 'What is the capital of France?' })
    expect(response.text).toBe('echo #1: What is the capital of France?')
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 6, candidatesTokenCount: 8, totalTokenCount: 14 })
    expect(response.modelVersion).toBe('gemini-2.5-flash')
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/models/gemini-2.5-flash:generateContent' })
    expect(server.requests[0]?.headers['x-goog-api-key']).toBe('test-key')
  })

  test('works when scripted content is served, and a system instruction counts as input', async () => {
    server.enqueue({ content: 'Paris.' })
    const response = await genai().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Capital of France?',
      config: { systemInstruction: 'Answer in one word.' },
    })
    expect(response.text).toBe('Paris.')
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 7, candidatesTokenCount: 1 })
  })

  test('works when JSON output is asked for with responseJsonSchema (a value fitting the schema)', async () => {
    const schema = { type: 'object', properties: { reasoning: { type: 'string' }, score: { type: 'number', minimum: 0 } }, required: ['reasoning', 'score'] }
    const response = await genai().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Grade this',
      config: { responseMimeType: 'application/json', responseJsonSchema: schema },
    })
    expect(JSON.parse(response.text ?? '')).toEqual({ reasoning: 'echo #1: Grade this', score: 0 })
  })

  test('works when the OpenAPI-style responseSchema (Type.OBJECT) is used', async () => {
    const response = await genai().models.generateContent({
      model: 'gemini-2.0-flash',
      contents: 'List one',
      config: { responseMimeType: 'application/json', responseSchema: { type: Type.ARRAY, items: { type: Type.STRING } } },
    })
    expect(JSON.parse(response.text ?? '')).toEqual(['echo #1: List one'])
  })

  test('works when a scripted function call is returned as functionCalls', async () => {
    server.enqueue({ toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } })
    const response = await genai().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Paris?',
      config: { tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } }] }] },
    })
    expect(response.functionCalls).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }])
  })

  test('works when generateContentStream reads SSE chunk by chunk, with usage in the last chunk', async () => {
    const stream = await genai().models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'stream me please' })
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk)
    expect(chunks.map((chunk) => chunk.text).join('')).toBe('echo #1: stream me please')
    expect(chunks.length).toBe(5)
    expect(chunks.at(-1)?.usageMetadata).toMatchObject({ promptTokenCount: 3, candidatesTokenCount: 5, totalTokenCount: 8 })
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP')
    expect(server.requests[0]?.url).toBe('/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse')
  })

  test('works when Vertex AI express mode (vertexai + apiKey) is pointed at the server', async () => {
    const client = new GoogleGenAI({ vertexai: true, apiKey: 'test-key', httpOptions: { baseUrl: server.url } })
    const response = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hello Vertex' })
    expect(response.text).toBe('echo #1: Hello Vertex')
    expect(server.requests[0]?.path).toMatch(/\/publishers\/google\/models\/gemini-2\.5-flash:generateContent$/)
  })

  test('fails when the key is missing or a scripted error is served in Google error shape', async () => {
    const response = await fetch(`${server.url}/v1beta/models/gemini-2.5-flash:generateContent`, { method: 'POST', body: '{"contents":[]}' })
    expect(response.status).toBe(401)
    server.enqueue({ status: 429, error: { message: 'Quota exceeded.' } })
    await expect(genai().models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi', config: { httpOptions: { retryOptions: { attempts: 1 } } } })).rejects.toThrow(/Quota exceeded/)
  })
})

describe('REST streamGenerateContent without alt=sse', () => {
  test('works when the reply is one JSON array written element by element as application/json', async () => {
    const response = await fetch(`${server.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?key=k`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'one two' }] }] }),
    })
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const reads: string[] = []
    const decoder = new TextDecoder()
    for await (const chunk of response.body ?? []) reads.push(decoder.decode(chunk))
    expect(reads.length).toBeGreaterThan(2)
    const elements = JSON.parse(reads.join('')) as { candidates: { content: { parts: { text: string }[] } }[]; usageMetadata: unknown }[]
    expect(elements.map((element) => element.candidates[0]?.content.parts[0]?.text).join('')).toBe('echo #1: one two')
    expect(elements.at(-1)?.usageMetadata).toEqual({ promptTokenCount: 2, candidatesTokenCount: 4, totalTokenCount: 6 })
  })
})

describe('@ai-sdk/google', () => {
  const google = () => createGoogleGenerativeAI({ apiKey: 'test-key', baseURL: `${server.url}/v1beta` })

  test('works when generateText reads the text and usage', async () => {
    server.enqueue({ content: 'Paris is the capital.' })
    const result = await generateText({ model: google()('gemini-2.5-flash'), prompt: 'Capital of France?' })
    expect(result.text).toBe('Paris is the capital.')
    expect(result.usage).toMatchObject({ inputTokens: 3, outputTokens: 4 })
  })

  test('works when structured output parses a value fitting the schema', async () => {
    const result = await generateText({
      model: google()('gemini-2.5-flash'),
      prompt: 'Grade it',
      output: Output.object({ schema: z.object({ verdict: z.enum(['pass', 'fail']), reason: z.string() }) }),
    })
    expect(result.output).toEqual({ verdict: 'pass', reason: 'echo #1: Grade it' })
  })

  test('works when streamText reads SSE deltas', async () => {
    const result = streamText({ model: google()('gemini-2.5-flash'), prompt: 'stream me please' })
    const deltas: string[] = []
    for await (const delta of result.textStream) deltas.push(delta)
    expect(deltas.join('')).toBe('echo #1: stream me please')
    expect(deltas.length).toBeGreaterThan(1)
    expect(await result.usage).toMatchObject({ inputTokens: 3, outputTokens: 5 })
  })
})
