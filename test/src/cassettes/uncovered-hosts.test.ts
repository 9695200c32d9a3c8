import { describe, expect, test } from 'vitest'
import { startInterception } from '../../../src/cassettes/interceptor.js'
import { UncoveredHosts, type UncoveredRequest } from '../../../src/cassettes/uncovered-hosts.js'
import type { TestScope } from '../../../src/cassettes/scope.js'

const chat = (url: string, headers: Record<string, string> = { 'user-agent': 'OpenAI/JS 7.59.0' }): UncoveredRequest => ({
  url: new URL(url),
  method: 'POST',
  path: new URL(url).pathname,
  header: (name) => headers[name],
  body: '{"model":"gpt-4o-mini","messages":[]}',
})
const plain: UncoveredRequest = { url: new URL('http://127.0.0.1:4010/api/orders'), method: 'POST', path: '/api/orders', header: () => undefined, body: '{"qty":1}' }
const scope = (): TestScope => ({ test: 'answers', repeat: 0, active: true })

describe('UncoveredHosts', () => {
  test('tells a model call once per host and test file, never a call that is not one', () => {
    const told: string[] = []
    const uncovered = new UncoveredHosts('auto', [], (message) => told.push(message))
    uncovered.see(plain, undefined)
    uncovered.see(chat('http://127.0.0.1:4010/v1/chat/completions'), undefined)
    uncovered.see(chat('http://127.0.0.1:4010/v1/chat/completions'), undefined)
    uncovered.see(chat('http://localhost:11434/v1/chat/completions'), undefined)
    expect(told.map((message) => message.split(' ')[2])).toEqual(['http://127.0.0.1:4010/v1/chat/completions', 'http://localhost:11434/v1/chat/completions'])
    uncovered.beginFile()
    uncovered.see(chat('http://127.0.0.1:4010/v1/chat/completions'), undefined)
    expect(told).toHaveLength(3)
  })

  test('the message names the call, the mode and the snippet for that host (after the hosts already set); no query, no header', () => {
    const told: string[] = []
    const gemini = { ...chat('http://llm.internal:8080/v1beta/models/gemini-2.5-flash:generateContent?key=AIzaSyA-not-shown-0123456789abcdefghijk', { 'x-goog-api-client': 'google-genai-sdk/3.6.1', 'x-goog-api-key': 'secret-header-value' }) }
    new UncoveredHosts('record', ['*.corp.example'], (message) => told.push(message)).see(gemini, undefined)
    expect(told[0]?.replace(/See "Which requests are recorded" in .*$/, 'See … docs')).toMatchInlineSnapshot(`
      "[vitest-llm-evals] POST http://llm.internal:8080/v1beta/models/gemini-2.5-flash:generateContent looks like a model API call, but cassettes do not cover llm.internal:8080: it went to the network and was not recorded (cassette mode: record). (Said once per host and test file.)
        To record and replay it: llmEvals({ cassettes: { hosts: ['*.corp.example', 'llm.internal:8080'] } }) in vitest.config.ts, or set the base URL through GOOGLE_GEMINI_BASE_URL (its host is recorded) instead of in code. See … docs"
    `)
    expect(told[0]).not.toMatch(/AIza|secret-header-value/)
  })

  test('replay: says it was not served from a cassette; a failed call fails its test with the explanation, an abort does not', () => {
    const told: string[] = []
    const uncovered = new UncoveredHosts('replay', [], (message) => told.push(message))
    const [failing, aborted] = [scope(), scope()]
    uncovered.see(chat('http://127.0.0.1:4010/v1/chat/completions'), failing)?.(new TypeError('fetch failed'))
    uncovered.see(chat('http://127.0.0.1:4010/v1/chat/completions'), aborted)?.(new DOMException('aborted', 'AbortError'))
    expect(told).toHaveLength(1)
    expect(told[0]).toContain('it went to the network, not served from a cassette (cassette mode: replay)')
    const error = uncovered.failureOf(failing)
    expect(error?.name).toBe('CassetteError')
    expect(error?.message).toContain('failed: no server answered there')
    expect(error?.message).toContain("llmEvals({ cassettes: { hosts: ['127.0.0.1:4010'] } })")
    expect((error?.cause as Error).message).toBe('fetch failed')
    expect(uncovered.failureOf(aborted)).toBeUndefined()
  })

  test('auto and record: a failed call is only told, not turned into a test failure', () => {
    const uncovered = new UncoveredHosts('auto', [], () => undefined)
    expect(uncovered.see(chat('http://127.0.0.1:4010/v1/chat/completions'), scope())).toBeUndefined()
  })
})

describe('an uncovered fetch through the interceptor', () => {
  test('its connection error reaches the handler, and the app still gets the error fetch gave', async () => {
    const failures: unknown[] = []
    const stop = startInterception({
      owns: () => false,
      handle: async () => 'passthrough',
      onNetworkResponse: () => undefined,
      onStartFailure: () => undefined,
      uncovered: () => (error) => void failures.push(error),
    })
    try {
      // Port 9 (discard) has no server on the loopback: the connection is refused.
      const sent = fetch('http://127.0.0.1:9/v1/chat/completions', { method: 'POST', body: '{"model":"m","messages":[]}' })
      await expect(sent).rejects.toThrow('fetch failed')
      expect(failures).toHaveLength(1)
      expect((failures[0] as Error).message).toBe('fetch failed')
    } finally {
      stop()
    }
  })

  test('an http.request is told by its path and headers (its body is not at hand)', async () => {
    const seen: { path: string; method: string; agent: string | null | undefined }[] = []
    const stop = startInterception({
      owns: () => false,
      handle: async () => 'passthrough',
      onNetworkResponse: () => undefined,
      onStartFailure: () => undefined,
      uncovered: (request) => void seen.push({ path: request.path, method: request.method, agent: request.header('user-agent') }),
    })
    try {
      // Imported after interception starts: node:http is patched when first resolved.
      const http = await import('node:http')
      await new Promise<void>((done) => {
        const sent = http.request({ host: '127.0.0.1', port: 9, path: '/v1/chat/completions?x=1', method: 'POST', headers: { 'User-Agent': 'OpenAI/JS 4.104.0' } })
        sent.on('error', () => done())
        sent.end('{}')
      })
      expect(seen).toEqual([{ path: '/v1/chat/completions', method: 'POST', agent: 'OpenAI/JS 4.104.0' }])
    } finally {
      stop()
    }
  })

  test('a notice that throws never breaks the request it is about', async () => {
    const stop = startInterception({
      owns: () => false,
      handle: async () => 'passthrough',
      onNetworkResponse: () => undefined,
      onStartFailure: () => undefined,
      uncovered: () => {
        throw new Error('broken notice')
      },
    })
    try {
      await expect(fetch('http://127.0.0.1:9/v1/chat/completions', { method: 'POST', body: '{}' })).rejects.toThrow('fetch failed')
    } finally {
      stop()
    }
  })
})
