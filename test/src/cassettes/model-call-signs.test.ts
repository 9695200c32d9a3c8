import Anthropic from '@anthropic-ai/sdk'
import { createOpenAI } from '@ai-sdk/openai'
import { GoogleGenAI } from '@google/genai'
import { generateText } from 'ai'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startInterception, type StopInterception } from '../../../src/cassettes/interceptor.js'
import { looksLikeModelCall } from '../../../src/cassettes/model-call-signs.js'
import type { UncoveredRequest } from '../../../src/cassettes/uncovered-hosts.js'
import { startModelServer, type ModelServer } from '../../support/model-server.js'

// The scripted server's host is one the cassettes do not cover: every request to it is "uncovered", and the
// real SDKs' requests, as the interceptor reads them, must be told from an app's other traffic.
describe('looksLikeModelCall on real requests to an uncovered host', () => {
  let server: ModelServer
  let stop: StopInterception
  const seen: { path: string; model: boolean }[] = []
  const seenFrom = async (call: () => Promise<unknown>) => {
    seen.length = 0
    await call().catch(() => undefined)
    return seen.map((request) => request.model)
  }

  beforeAll(async () => {
    server = await startModelServer()
    stop = startInterception({
      owns: () => false,
      handle: async () => 'passthrough',
      onNetworkResponse: () => undefined,
      onStartFailure: () => undefined,
      uncovered: (request: UncoveredRequest) => void seen.push({ path: request.path, model: looksLikeModelCall(request) }),
    })
  })

  afterAll(async () => {
    stop()
    await server.close()
  })

  test('openai: chat completions, responses, embeddings (a GET of models is not a call)', async () => {
    const client = new OpenAI({ apiKey: 'test', baseURL: server.openaiBaseURL, maxRetries: 0 })
    expect(await seenFrom(() => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }))).toEqual([true])
    expect(await seenFrom(() => client.responses.create({ model: 'gpt-4o-mini', input: 'hi' }))).toEqual([true])
    expect(await seenFrom(() => client.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' }))).toEqual([true])
    expect(await seenFrom(() => client.models.list())).toEqual([false])
  })

  test('@anthropic-ai/sdk: messages', async () => {
    const client = new Anthropic({ apiKey: 'test', baseURL: server.anthropicBaseURL, maxRetries: 0 })
    expect(await seenFrom(() => client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }))).toEqual([true])
  })

  test('@google/genai: generateContent and its stream', async () => {
    const client = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: server.url } })
    expect(await seenFrom(() => client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }))).toEqual([true])
    expect(await seenFrom(async () => {
      for await (const chunk of await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' })) void chunk
    })).toEqual([true])
  })

  test('the AI SDK (ai + @ai-sdk/openai)', async () => {
    const model = createOpenAI({ apiKey: 'test', baseURL: server.openaiBaseURL }).chat('gpt-4o-mini')
    expect(await seenFrom(() => generateText({ model, prompt: 'hi', maxRetries: 0 }))).toEqual([true])
  })

  test('a hand-written fetch to a model endpoint with a model in its body', async () => {
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
    expect(await seenFrom(() => fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }))).toEqual([true])
  })

  test('not a model call: plain fetches to JSON APIs, and a model path without a model in its body', async () => {
    const json = { 'content-type': 'application/json' }
    expect(await seenFrom(() => fetch(`${server.url}/__model-server/requests`))).toEqual([false])
    expect(await seenFrom(() => fetch(`${server.url}/api/orders`, { method: 'POST', headers: json, body: JSON.stringify({ model: 'T-800', qty: 1 }) }))).toEqual([false])
    expect(await seenFrom(() => fetch(`${server.url}/api/messages`, { method: 'POST', headers: json, body: JSON.stringify({ messages: [{ text: 'hi' }] }) }))).toEqual([false])
    expect(await seenFrom(() => fetch(`${server.url}/v1/messages`, { method: 'POST', headers: json, body: JSON.stringify({ to: '+15550100', text: 'hi' }) }))).toEqual([false])
  })
})

describe('looksLikeModelCall on request parts', () => {
  const request = (method: string, path: string, headers: Record<string, string> = {}, body?: string) => ({ method, path, header: (name: string) => headers[name], body })
  const model = JSON.stringify({ model: 'm', messages: [] })

  test.each([
    ['/model/anthropic.claude-3-haiku-20240307-v1:0/invoke', JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', messages: [] })],
    ['/model/amazon.nova-lite-v1:0/converse', JSON.stringify({ messages: [] })],
    ['/v1beta/models/gemini-2.5-flash:streamGenerateContent', JSON.stringify({ contents: [] })],
    ['/openai/deployments/gpt-4o/chat/completions', JSON.stringify({ messages: [] })],
    ['/api/v1/chat/completions', model],
  ])('a POST to %s with a model request body', (path, body) => {
    expect(looksLikeModelCall(request('POST', path, {}, body))).toBe(true)
  })

  test('a Stainless SDK (Groq, Together…) at a model path, its body not at hand (node:http)', () => {
    expect(looksLikeModelCall(request('POST', '/openai/v1/chat/completions', { 'x-stainless-lang': 'js' }))).toBe(true)
    // A Stainless SDK of another API (Cloudflare, Stripe-like) at its own paths is not a model call.
    expect(looksLikeModelCall(request('POST', '/client/v4/zones', { 'x-stainless-lang': 'js' }))).toBe(false)
  })

  test('not a POST, an unreadable body, a body that is not JSON, or too large: not by path alone', () => {
    expect(looksLikeModelCall(request('GET', '/v1/chat/completions', {}, model))).toBe(false)
    expect(looksLikeModelCall(request('POST', '/v1/chat/completions'))).toBe(false)
    expect(looksLikeModelCall(request('POST', '/v1/chat/completions', {}, 'model=gpt'))).toBe(false)
    expect(looksLikeModelCall(request('POST', '/v1/chat/completions', {}, `{"model":"m","pad":"${'x'.repeat(2_000_001)}"}`))).toBe(false)
  })
})
