// A request is looked up by the key of its stored form (see stored-request.ts): cassettes recorded before that (their
// `key` the live request's) still replay, and so do recordings made before a `redact` rule was added.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { requestKey, type CanonicalRequest } from '../../../src/cassettes/canonical.js'
import type { RedactRule } from '../../../src/cassettes/redact.js'
import { enterTestScope } from '../../../src/cassettes/scope.js'
import { CassetteSession, cassettePathFor } from '../../../src/cassettes/session.js'
import { storedRequest } from '../../../src/cassettes/stored-request.js'

const RULE: RedactRule = { source: 'cust_[a-z0-9]+', flags: 'g' }
const token = 'ghp_' + 'Qm7'.repeat(12)
const canonical = (content: string): CanonicalRequest => ({ method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'm', messages: [{ role: 'user', content }] } })

/** A replay session over a cassette holding one recording of test "t": its stored request and its `key`. */
function replayOver(request: CanonicalRequest, key: string | undefined, redact: RedactRule[]) {
  const root = mkdtempSync(join(tmpdir(), 'stored-lookup-'))
  const testFile = join(root, 'bot.test.ts')
  const file = cassettePathFor(testFile, root)
  mkdirSync(dirname(file), { recursive: true })
  const entry = { test: 't', repeat: 0, call: 0, role: 'app', ...(key ? { key } : {}), request: { ...request, url: `https://api.openai.com${request.path}` }, response: { status: 200, headers: { 'content-type': 'application/json' }, json: { answer: 'recorded' } }, meta: { recordedAt: '2026-01-01T00:00:00.000Z', latencyMs: 1 } }
  writeFileSync(file, JSON.stringify({ version: 1, entries: [entry] }, null, 2))
  const session = new CassetteSession({ mode: 'replay', root, hosts: [], redact, maxInlineBytes: 1024, runStartedAt: 0 })
  session.useTestFile(testFile)
  return async (content: string) => {
    enterTestScope({ test: 't', repeat: 0, active: true })
    const response = await session.answer({ url: 'https://api.openai.com/v1/chat/completions', method: 'POST', headers: new Headers(), text: async () => JSON.stringify(canonical(content).body) })
    const text = (await response?.text()) ?? ''
    // A miss answers with the message as the API error's message.
    return { status: response?.status, text: response?.status === 400 ? (JSON.parse(text) as { error: { message: string } }).error.message : text }
  }
}

describe('storedRequest', () => {
  test('redacts what the rules match and what the secret scan finds, as a recording stores it', () => {
    expect(storedRequest(canonical(`id cust_42, token ${token}`), [RULE]).body).toEqual({ model: 'm', messages: [{ role: 'user', content: 'id [REDACTED], token [REDACTED]' }] })
  })
})

describe('looking a request up by its stored form', () => {
  test('finds a recording whose parts came back redacted while others are live', async () => {
    // Recorded with the value live everywhere; replayed, the app sends the earlier answer's "[REDACTED]" beside it.
    const mixed = storedRequest(canonical('[REDACTED] then cust_zz9'), [RULE])
    const replay = replayOver(mixed, requestKey(mixed), [RULE])
    expect(await replay('cust_zz9 then cust_zz9')).toMatchObject({ status: 200, text: '{"answer":"recorded"}' })
    expect(await replay('[REDACTED] then cust_zz9')).toMatchObject({ status: 200 })
  })

  test('still replays a recording made before: its key the live request\'s, its request stored redacted', async () => {
    const live = canonical('Your id is cust_zz9')
    const ask = replayOver(storedRequest(live, [RULE]), requestKey(live), [RULE])
    expect(await ask('Your id is cust_zz9')).toMatchObject({ status: 200, text: '{"answer":"recorded"}' })
  })

  test('still replays a recording made before a rule was added (its request holds the value)', async () => {
    const live = canonical('Your id is cust_zz9')
    const ask = replayOver(live, requestKey(live), [RULE])
    expect(await ask('Your id is cust_zz9')).toMatchObject({ status: 200 })
  })

  test('a request whose stored form differs is a miss', async () => {
    const stored = storedRequest(canonical('Your id is cust_zz9'), [RULE])
    const ask = replayOver(stored, requestKey(stored), [RULE])
    expect(await ask('Your order is cust_zz9')).toMatchObject({ status: 400 })
  })
})

describe('a miss compares the request as stored with its nearest recording', () => {
  test('never shows what a redact rule hides: the received side is the stored form', async () => {
    const stored = storedRequest(canonical('Refund the last order of cust_111'), [RULE])
    const { status, text } = await replayOver(stored, requestKey(stored), [RULE])('Refund the first order of cust_222')
    expect(status).toBe(400)
    expect(text).toContain('recorded "Refund the last order of [REDACTED]", received "Refund the first order of [REDACTED]"')
    expect(text).not.toContain('cust_222')
    expect(text).not.toContain('identical request')
  })

  test('never shows a token the secret scan finds, and points at the field that differs', async () => {
    const stored = storedRequest(canonical(`Deploy with ${token}`), [])
    const { text } = await replayOver(stored, requestKey(stored), [])(`Deploy again with ${token}`)
    expect(text).toContain('body.messages[0].content: recorded "Deploy with [REDACTED]", received "Deploy again with [REDACTED]"')
    expect(text).not.toContain(token)
  })

  test('says when the difference is inside redacted text (a rule removed since), and shows neither value there', async () => {
    const stored = storedRequest(canonical('Refund the last order of cust_111'), [RULE])
    const { status, text } = await replayOver(stored, requestKey(stored), [])('Refund the last order of cust_222')
    expect(status).toBe(400)
    expect(text).toContain('body.messages[0].content: recorded Refund the last order of [-[REDACTED]-], received Refund the last order of {+(8 chars not shown)+}')
    expect(text).toContain('The difference is inside text stored redacted ([REDACTED]')
    expect(text).not.toContain('cust_222')
    expect(text).not.toContain('identical request')
  })
})
