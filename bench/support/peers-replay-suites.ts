/**
 * The replay rows' suites: `cases` tests, one SDK call each (OpenAI chat completions or Anthropic messages,
 * streamed or not), checking the scripted server's default answer (`echo #n: <question>`). The same test
 * body in every row; only the client differs: the default one (ours, replayed or recorded; plain, calling the
 * server directly) or one with an in-memory `fetch` serving canned bytes (the floor).
 */
export type Provider = 'openai' | 'anthropic'

export interface ReplayVariant {
  key: string
  provider: Provider
  stream: boolean
}

export const REPLAY_VARIANTS: ReplayVariant[] = [
  { key: 'openai-json', provider: 'openai', stream: false },
  { key: 'openai-sse', provider: 'openai', stream: true },
  { key: 'anthropic-json', provider: 'anthropic', stream: false },
  { key: 'anthropic-sse', provider: 'anthropic', stream: true },
]

function call(variant: ReplayVariant): string {
  if (variant.provider === 'openai') {
    const request = `{ model: 'gpt-4o-mini', messages: [{ role: 'user', content: id }]${variant.stream ? ', stream: true' : ''} }`
    return variant.stream
      ? `let text = ''
  for await (const chunk of await client.chat.completions.create(${request})) text += chunk.choices[0]?.delta?.content ?? ''`
      : `const completion = await client.chat.completions.create(${request})
  const text = completion.choices[0]?.message.content ?? ''`
  }
  const request = `{ model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: id }]${variant.stream ? ', stream: true' : ''} }`
  return variant.stream
    ? `let text = ''
  for await (const event of await client.messages.create(${request})) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text`
    : `const message = await client.messages.create(${request})
  const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')`
}

const sdkImport = (provider: Provider) => (provider === 'openai' ? `import OpenAI from 'openai'` : `import Anthropic from '@anthropic-ai/sdk'`)
const sdkClass = (provider: Provider) => (provider === 'openai' ? 'OpenAI' : 'Anthropic')

/** An in-memory `fetch` answering each question with the body (or SSE chunks) read from `cannedFile`. */
function cannedFetch(variant: ReplayVariant, cannedFile: string): string {
  return `import { readFileSync } from 'node:fs'
const canned: Record<string, { headers: Record<string, string>; body?: string; chunks?: string[] }> = JSON.parse(readFileSync(${JSON.stringify(cannedFile)}, 'utf8'))
const encoder = new TextEncoder()
const cannedFetch = async (_url: unknown, init?: { body?: unknown }) => {
  const reply = canned[JSON.parse(String(init?.body)).messages[0].content]!
  const body = reply.chunks === undefined ? reply.body : new ReadableStream({ start(controller) { for (const chunk of reply.chunks!) controller.enqueue(encoder.encode(chunk)); controller.close() } })
  return new Response(body, { status: 200, headers: reply.headers })
}
const client = new ${sdkClass(variant.provider)}({ apiKey: 'sk-bench', fetch: cannedFetch as typeof fetch })`
}

/** The suite's source; with `cannedFile`, the floor's client, else the default client (keys from the environment). */
export function replaySuite(variant: ReplayVariant, cases: number, cannedFile?: string): string {
  return `import { expect, test } from 'vitest'
${sdkImport(variant.provider)}
${cannedFile === undefined ? `const client = new ${sdkClass(variant.provider)}()` : cannedFetch(variant, cannedFile)}
const ids = Array.from({ length: ${cases} }, (_, i) => 'q' + i)
test.for(ids)('case %s', async (id) => {
  ${call(variant)}
  expect(text.endsWith(': ' + id)).toBe(true)
})
`
}
