import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { enterTestScope } from '../../../src/cassettes/scope.js'
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

describe('the mark of a call that was sent but not stored', () => {
  // Test names are often built from dataset fields: one may hold a token the secret scan knows (not a live key).
  const token = 'ghp_' + 'Qm7'.repeat(12)

  test('never writes a secret the scan finds in the test name or path: a recording of that test would be refused for it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'session-mark-'))
    const live = new CassetteSession({ mode: 'auto', root, hosts: [], redact: [], maxInlineBytes: 1024, runStartedAt: 0 })
    const testFile = join(root, 'bot.test.ts')
    live.useTestFile(testFile)
    for (const [test, path] of [[`flags ${token}`, '/v1/chat/completions'], ['plain name', `/gw/${token}/v1/chat/completions`]] as const) {
      const scope = { test, repeat: 0, active: true }
      enterTestScope(scope)
      const controller = new AbortController()
      const request = { url: `https://api.openai.com${path}`, method: 'POST', headers: new Headers({ authorization: 'Bearer x' }), text: async () => '{"model":"m"}', signal: controller.signal }
      expect(await live.handle(request, test)).toBe('passthrough')
      controller.abort()
      live.onNetworkError(test)
      await live.endTest(scope, false)
    }
    await live.endFile(new Set(), true)
    const file = cassettePathFor(testFile, root)
    const text = existsSync(file) ? readFileSync(file, 'utf8') : ''
    expect(text).not.toContain(token)
    // The call with the token in its path still leaves its mark, with the token scrubbed.
    expect(text).toContain('/gw/[REDACTED]/v1/chat/completions')
  })
})
