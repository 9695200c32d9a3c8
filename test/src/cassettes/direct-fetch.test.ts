import { describe, expect, test } from 'vitest'
import { fetchDirectly, fetchParts, type DirectHandlers, type FetchParts } from '../../../src/cassettes/direct-fetch.js'

const URL_ = new URL('https://api.openai.com/v1/chat/completions')
const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })

/** Handlers that note what the session is told; `answer` and `decision` say what it decides. */
function handlers(options: { answer?: Response; decision?: Response | 'passthrough'; slowAnswer?: boolean } = {}) {
  const seen: { handled: string[]; responses: [string, string][]; errors: string[]; texts: string[] } = { handled: [], responses: [], errors: [], texts: [] }
  const pending: Promise<void>[] = []
  const direct: DirectHandlers = {
    answer: async (request: FetchParts) => {
      seen.texts.push(await request.text())
      if (options.slowAnswer) await new Promise((done) => setTimeout(done, 50))
      return options.answer
    },
    handle: async (_request, requestId) => {
      seen.handled.push(requestId)
      return options.decision ?? 'passthrough'
    },
    onNetworkResponse: (requestId, response) => void pending.push(response.text().then((text) => void seen.responses.push([requestId, text]))),
    onNetworkError: (requestId) => void seen.errors.push(requestId),
  }
  return { direct, seen, recorded: () => Promise.all(pending) }
}

describe('fetchDirectly', () => {
  test('a replayed answer is returned with the request URL, and nothing is sent', async () => {
    const { direct, seen } = handlers({ answer: new Response('{"replayed":true}') })
    let sent = 0
    const response = await fetchDirectly(direct, fetchParts({ method: 'post', body }, URL_), async () => (sent++, new Response('live')))
    expect([response.url, await response.text(), sent, seen.handled, seen.texts]).toEqual([URL_.href, '{"replayed":true}', 0, [], [body]])
  })

  test('a request to record is sent as the app made it; the app and the session each read the whole response', async () => {
    const { direct, seen, recorded } = handlers()
    const stream = () => new Response(new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('data: 1\n\n')), c.enqueue(new TextEncoder().encode('data: 2\n\n')), c.close()) }))
    const response = await fetchDirectly(direct, fetchParts({ method: 'POST', body }, URL_), async () => stream())
    expect(await response.text()).toBe('data: 1\n\ndata: 2\n\n')
    await recorded()
    expect(seen.responses).toEqual([[seen.handled[0], 'data: 1\n\ndata: 2\n\n']])
    expect(seen.errors).toEqual([])
  })

  test('a response the session decides (a miss) is returned without sending', async () => {
    const { direct } = handlers({ decision: new Response('miss', { status: 400 }) })
    const response = await fetchDirectly(direct, fetchParts({ method: 'POST', body }, URL_), () => Promise.reject(new Error('must not be sent')))
    expect([response.status, response.url]).toEqual([400, URL_.href])
  })

  test('a network error rejects the fetch and tells the session nothing will be recorded', async () => {
    const { direct, seen } = handlers()
    await expect(fetchDirectly(direct, fetchParts({ method: 'POST', body }, URL_), () => Promise.reject(new TypeError('fetch failed')))).rejects.toThrow('fetch failed')
    expect(seen.errors).toEqual(seen.handled)
    expect(seen.errors).toHaveLength(1)
  })

  test('an abort rejects at once with its reason, even while the answer is being looked up', async () => {
    const { direct, seen } = handlers({ slowAnswer: true })
    const controller = new AbortController()
    const fetching = fetchDirectly(direct, fetchParts({ method: 'POST', body, signal: controller.signal }, URL_), async () => new Response('live'))
    setTimeout(() => controller.abort(new Error('user gave up')), 5)
    await expect(fetching).rejects.toThrow('user gave up')
    expect(seen.handled).toEqual([])
    const aborted = fetchParts({ method: 'POST', body, signal: AbortSignal.abort(new Error('already')) }, URL_)
    await expect(fetchDirectly(direct, aborted, async () => new Response('live'))).rejects.toThrow('already')
  })
})

describe('fetchParts', () => {
  test('reads the body as text whatever its kind, and the headers as given', async () => {
    const headers = new Headers({ 'x-stainless-retry-count': '1' })
    const parts = fetchParts({ method: 'post', body: new TextEncoder().encode(body), headers }, URL_)
    expect([parts.method, await parts.text(), parts.headers.get('x-stainless-retry-count')]).toEqual(['POST', body, '1'])
    expect(await fetchParts({ body: new URLSearchParams({ a: '1' }) }, URL_).text()).toBe('a=1')
    expect(await fetchParts(undefined, URL_).text()).toBe('')
    expect(fetchParts({ headers: { 'anthropic-beta': 'x' } }, URL_).headers.get('anthropic-beta')).toBe('x')
  })
})
