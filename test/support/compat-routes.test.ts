import OpenAI, { AzureOpenAI } from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from './model-server.js'

let server: ModelServer
beforeAll(async () => {
  server = await startModelServer()
})
beforeEach(() => server.reset())
afterAll(async () => server.close())

const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] }

describe('Azure OpenAI and OpenAI-compatible routes of the scripted server', () => {
  test('works when AzureOpenAI calls a deployment path with its api-key header and api-version query', async () => {
    const azure = new AzureOpenAI({ endpoint: server.url, apiKey: 'azure-test', deployment: 'prod', apiVersion: '2024-10-21', maxRetries: 0 })
    const completion = await azure.chat.completions.create(ask)
    expect(completion.choices[0]?.message.content).toBe('echo #1: hi')
    expect(server.requests[0]).toMatchObject({ path: '/openai/deployments/prod/chat/completions', url: '/openai/deployments/prod/chat/completions?api-version=2024-10-21' })
    expect(server.requests[0]?.headers['api-key']).toBe('azure-test')
  })

  test('works when chat completions and embeddings are served under another prefix (Groq, OpenRouter, Fireworks)', async () => {
    for (const prefix of ['/openai/v1', '/api/v1', '/inference/v1', '']) {
      const client = new OpenAI({ apiKey: 'k', baseURL: `${server.url}${prefix}`, maxRetries: 0 })
      expect((await client.chat.completions.create(ask)).choices[0]?.message.content).toMatch(/^echo #\d+: hi$/)
      expect((await client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' })).data).toHaveLength(1)
    }
  })

  test('fails with 401 without a key and 404 on an unknown path, as before', async () => {
    const noKey = await fetch(`${server.url}/openai/deployments/prod/chat/completions`, { method: 'POST', body: JSON.stringify(ask), headers: { 'content-type': 'application/json' } })
    expect(noKey.status).toBe(401)
    const unknown = await fetch(`${server.url}/openai/deployments/prod/completions`, { method: 'POST', body: '{}', headers: { 'api-key': 'k' } })
    expect(unknown.status).toBe(404)
  })
})
