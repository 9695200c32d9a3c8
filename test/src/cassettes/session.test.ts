import { afterEach, describe, expect, test } from 'vitest'
import { CassetteSession, cassettePathFor, settleRecordings } from '../../../src/cassettes/session.js'

const session = (hosts: string[] = []) => new CassetteSession({ mode: 'replay', root: '/repo', hosts, redact: [], maxInlineBytes: 1024, runStartedAt: 0 })

describe('cassettePathFor', () => {
  test('puts the cassette in __cassettes__ beside the test file by default', () => {
    expect(cassettePathFor('/repo/test/bot.test.ts', '/repo')).toBe('/repo/test/__cassettes__/bot.test.ts.cassette.json')
  })

  test('mirrors the test tree under cassettes.dir', () => {
    expect(cassettePathFor('/repo/test/bot.test.ts', '/repo', 'cassettes')).toBe('/repo/cassettes/test/bot.test.ts.cassette.json')
  })
})

describe('which requests cassettes own', () => {
  const saved = { openai: process.env.OPENAI_BASE_URL, anthropic: process.env.ANTHROPIC_BASE_URL }
  afterEach(() => {
    process.env.OPENAI_BASE_URL = saved.openai
    process.env.ANTHROPIC_BASE_URL = saved.anthropic
    if (saved.openai === undefined) delete process.env.OPENAI_BASE_URL
    if (saved.anthropic === undefined) delete process.env.ANTHROPIC_BASE_URL
  })

  test('the OpenAI and Anthropic hosts, and nothing else by default', () => {
    delete process.env.OPENAI_BASE_URL
    delete process.env.ANTHROPIC_BASE_URL
    expect(session().owns(new URL('https://api.openai.com/v1/chat/completions'))).toBe(true)
    expect(session().owns(new URL('https://api.anthropic.com/v1/messages'))).toBe(true)
    expect(session().owns(new URL('https://example.com/v1/chat/completions'))).toBe(false)
    expect(session().owns(new URL('http://127.0.0.1:8080/v1/chat/completions'))).toBe(false)
  })

  test('the hosts of OPENAI_BASE_URL and ANTHROPIC_BASE_URL, read when the request is made', () => {
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:8080/v1'
    process.env.ANTHROPIC_BASE_URL = 'https://claude.gateway.internal'
    expect(session().owns(new URL('http://127.0.0.1:8080/v1/chat/completions'))).toBe(true)
    expect(session().owns(new URL('http://127.0.0.1:9090/v1/chat/completions'))).toBe(false)
    expect(session().owns(new URL('https://claude.gateway.internal/v1/messages'))).toBe(true)
  })

  test('cassettes.hosts, by host name or host:port', () => {
    expect(session(['llm.internal']).owns(new URL('https://llm.internal/openai/v1/chat/completions'))).toBe(true)
    expect(session(['llm.internal:8443']).owns(new URL('https://llm.internal:8443/v1'))).toBe(true)
    expect(session(['llm.internal:8443']).owns(new URL('https://llm.internal:9000/v1'))).toBe(false)
  })
})

describe('settleRecordings', () => {
  test('waits for the recordings of a test', async () => {
    let stored = false
    const recording = new Promise<void>((done) => setTimeout(() => ((stored = true), done()), 20))
    await settleRecordings(new Set([recording, Promise.reject(new Error('a failed recording is not its problem'))]), 'bot > refund', 1000)
    expect(stored).toBe(true)
  })

  test('a response stream that never ends fails the test after the wait, naming it', async () => {
    await expect(settleRecordings(new Set([new Promise<void>(() => undefined)]), 'bot > refund', 30)).rejects.toThrow(
      /The recording of a response in "bot > refund" did not finish within 0.03 s after the test ended/,
    )
  })
})
