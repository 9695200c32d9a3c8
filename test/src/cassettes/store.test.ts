import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import { requestKey, type CanonicalRequest } from '../../../src/cassettes/canonical.js'
import { readCassette, sidecarDir } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { findRecordingSecrets } from '../../../src/cassettes/found-secrets.js'
import { CassetteStore } from '../../../src/cassettes/store.js'
import { streamTexts } from '../../../src/cassettes/stream-text.js'
import { CassetteError, SecretLeakError } from '../../../src/errors/index.js'

let file: string
beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'store-')), '__cassettes__', 'a.test.ts.cassette.json')
})

function entry(test: string, call: number, content: string, status = 200): CassetteEntry {
  return {
    test,
    repeat: 0,
    call,
    role: 'app',
    request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'm', messages: [{ role: 'user', content }] } },
    response: { status, headers: { 'content-type': 'application/json' }, json: { answer: `${content}#${call}` } },
    meta: { recordedAt: '2026-11-28T00:00:00.000Z', latencyMs: 5 },
  }
}

const options = { redact: [], secrets: [] }
const keyOf = (content: string) => requestKey({ ...entry('t', 0, content).request, url: undefined } as never)
const answers = () => readCassette(file).entries.map((e) => [e.test, e.call, (e.response.json as { answer: string }).answer])

/** Records `entries` as tries that have ended (one per test), counting occurrences per key as the session does. */
function recordAll(store: CassetteStore, mode: 'append' | 'replace' | 'merge', ...entries: CassetteEntry[]): void {
  const seen = new Map<string, number>()
  const tries = new Map<string, object>()
  for (const each of entries) {
    const key = `${each.test}\u0000${store.keyOf(each)}`
    const occurrence = seen.get(key) ?? 0
    seen.set(key, occurrence + 1)
    const attempt = tries.get(each.test) ?? {}
    tries.set(each.test, attempt)
    store.record(each, { attempt, occurrence, mode })
  }
  for (const attempt of tries.values()) store.endAttempt(attempt)
}

describe('CassetteStore', () => {
  test('finds identical repeated requests in recorded order', () => {
    const store = new CassetteStore(file, options)
    recordAll(store, 'append', entry('t', 0, 'hi'), entry('t', 1, 'hi'))
    expect(store.flush()).toBe(2)
    const reloaded = new CassetteStore(file, options)
    const key = reloaded.keyOf(reloaded.all[0] as CassetteEntry)
    expect(reloaded.find('t', 0, key, 0)?.response.json).toEqual({ answer: 'hi#0' })
    expect(reloaded.find('t', 0, key, 1)?.response.json).toEqual({ answer: 'hi#1' })
    expect(reloaded.find('t', 0, key, 2)).toBeUndefined()
    expect(reloaded.find('other test', 0, key, 0)).toBeUndefined()
  })

  test("a tool call's unrecorded mark goes when a recording of that tool call is stored, not one of another call", () => {
    const mark = { test: 't', repeat: 0, key: 'tool-key', occurrence: 0, method: 'tool', path: 'read_settings', reason: 'refused' as const, detail: 'Refused to write x.', at: '2026-12-07T00:00:00.000Z', mode: 'auto' }
    const refusedTry = {}
    const first = new CassetteStore(file, options)
    first.markUnrecorded(mark, { attempt: refusedTry, mode: 'append' })
    first.endAttempt(refusedTry, { hold: true })
    first.flush({ final: true })
    expect(readCassette(file).unrecorded).toEqual([mark])
    const tool = (key: string) => ({ test: 't', repeat: 0, call: 0, name: 'read_settings', key, occurrence: 0, args: { which: key }, result: { theme: 'dark' }, meta: { recordedAt: '2026-12-07T00:00:01.000Z', latencyMs: 1 } })
    for (const key of ['other-key', 'tool-key']) {
      const store = new CassetteStore(file, options)
      const recordingTry = {}
      store.recordTool(tool(key), { attempt: recordingTry, mode: 'append' })
      store.endAttempt(recordingTry)
      store.flush({ final: true })
      expect(readCassette(file).unrecorded).toEqual(key === 'other-key' ? [mark] : [])
    }
  })

  test('writes nothing when there is nothing to write', () => {
    const store = new CassetteStore(file, options)
    expect(store.flush()).toBe(0)
    expect(existsSync(file)).toBe(false)
  })

  test('writes an attempt only once it has ended, or at the final flush', () => {
    const store = new CassetteStore(file, options)
    store.record(entry('running', 0, 'a'), { attempt: {}, occurrence: 0, mode: 'append' })
    recordAll(store, 'append', entry('ended', 0, 'b'))
    expect(store.flush()).toBe(1)
    expect(answers()).toEqual([['ended', 0, 'b#0']])
    expect(store.flush({ final: true })).toBe(1)
    expect(answers()).toEqual([['ended', 0, 'b#0'], ['running', 0, 'a#0']])
  })

  test('a failed try waits for the end of the file; a retry of its test drops it', () => {
    const store = new CassetteStore(file, options)
    const failedTry = {}
    store.record(entry('flaky', 0, 'Lyon'), { attempt: failedTry, occurrence: 0, mode: 'append' })
    store.endAttempt(failedTry, { hold: true })
    expect(store.flush()).toBe(0)
    store.discardFailedTries('flaky', 0)
    recordAll(store, 'append', entry('flaky', 0, 'Paris'))
    const lastTry = {}
    store.record(entry('other', 0, 'failed for good'), { attempt: lastTry, occurrence: 0, mode: 'append' })
    store.endAttempt(lastTry, { hold: true })
    expect(store.flush({ final: true })).toBe(2)
    expect(answers()).toEqual([['flaky', 0, 'Paris#0'], ['other', 0, 'failed for good#0']])
    // The retried try's call was sent live: counted as discarded, not lost; the last failed try's is stored.
    expect(store.discardedOnRetry).toEqual({ entries: 1, tools: 0 })
  })

  test('a redacted recording is found under the key of the live request, and the test name is not redacted', () => {
    const store = new CassetteStore(file, { redact: [{ source: 'cust_[a-z0-9]+', flags: 'g' }], secrets: [] })
    const live = { ...entry('mentions bearer authentication', 0, 'orders of cust_8f3k2x'), key: keyOf('orders of cust_8f3k2x') }
    recordAll(store, 'append', live)
    store.flush()
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain('cust_8f3k2x')
    const reloaded = new CassetteStore(file, options)
    expect(reloaded.find('mentions bearer authentication', 0, keyOf('orders of cust_8f3k2x'), 0)?.response.json).toEqual({ answer: 'orders of [REDACTED]#0' })
  })

  test('an unredacted recording also answers under a normalisation added later', () => {
    const store = new CassetteStore(file, options)
    recordAll(store, 'append', { ...entry('t', 0, 'at 10:31'), key: keyOf('at 10:31') })
    store.flush()
    const normalizeRequest = (request: CanonicalRequest) => ({ ...request, body: JSON.parse(JSON.stringify(request.body).replace(/\d\d:\d\d/g, 'HH:MM')) as unknown })
    const normalized = new CassetteStore(file, { ...options, normalizeRequest })
    const key = requestKey({ ...entry('t', 0, 'at 12:00').request, url: undefined } as never, normalizeRequest)
    expect(normalized.find('t', 0, key, 0)?.response.json).toEqual({ answer: 'at 10:31#0' })
  })

  test('replace drops what the attempt recorded before this run, never what another process recorded since', () => {
    const old = new CassetteStore(file, options)
    recordAll(old, 'append', entry('t', 0, 'a'), entry('t', 1, 'b'), entry('u', 0, 'c'))
    old.flush()
    const runStartedAt = Date.parse('2026-12-01T00:00:00.000Z')
    const fresh = (test: string, call: number, content: string) => ({ ...entry(test, call, content), meta: { recordedAt: '2026-12-01T00:00:01.000Z', latencyMs: 1 } })
    const first = new CassetteStore(file, { ...options, runStartedAt })
    const second = new CassetteStore(file, { ...options, runStartedAt })
    recordAll(first, 'replace', fresh('t', 0, 'first own'), fresh('t', 1, 'both'))
    recordAll(second, 'replace', fresh('t', 0, 'second own'), fresh('t', 1, 'both'))
    first.flush()
    second.flush()
    // The call both re-recorded is kept as the first wrote it; the second counts its own as already recorded.
    expect(answers()).toEqual([['t', 0, 'first own#0'], ['t', 1, 'both#1'], ['t', 2, 'second own#0'], ['u', 0, 'c#0']])
    expect(first.alreadyRecorded).toEqual({ entries: 0, tools: 0 })
    expect(second.alreadyRecorded).toEqual({ entries: 1, tools: 0 })
  })

  test("replace re-records a recording dated after the run began by a clock that runs ahead (another machine's, committed): no process of this run made it", () => {
    const ahead = new Date(Date.now() + 3_600_000).toISOString()
    const old = new CassetteStore(file, options)
    recordAll(old, 'append', { ...entry('t', 0, 'a'), meta: { recordedAt: ahead, latencyMs: 1 } }, { ...entry('t', 1, 'gone'), meta: { recordedAt: ahead, latencyMs: 1 } })
    old.flush()
    const store = new CassetteStore(file, { ...options, runStartedAt: Date.now() })
    recordAll(store, 'replace', { ...entry('t', 0, 'a'), response: { status: 200, headers: {}, json: { answer: 'new a' } }, meta: { recordedAt: new Date().toISOString(), latencyMs: 1 } })
    expect(store.flush()).toBe(1)
    expect(answers()).toEqual([['t', 0, 'new a']])
    expect(store.alreadyRecorded).toEqual({ entries: 0, tools: 0 })
  })

  test("replace drops only its own project's earlier recordings of the test; each recording names its project", () => {
    const old = (project: string) => new CassetteStore(file, { ...options, project })
    const mini = old('mini')
    recordAll(mini, 'append', entry('t', 0, 'mini asks'))
    mini.flush()
    const big = old('big')
    recordAll(big, 'append', entry('t', 0, 'big asks'))
    big.flush()
    const runStartedAt = Date.parse('2026-12-01T00:00:00.000Z')
    const again = new CassetteStore(file, { ...options, project: 'mini', runStartedAt })
    recordAll(again, 'replace', { ...entry('t', 0, 'mini asks anew'), meta: { recordedAt: '2026-12-01T00:00:01.000Z', latencyMs: 1 } })
    again.flush()
    expect(readCassette(file).entries.map((e) => [e.project, (e.response.json as { answer: string }).answer]).sort()).toEqual([
      ['big', 'big asks#0'],
      ['mini', 'mini asks anew#0'],
    ])
  })

  test("with test.projects, a replay gives each call the answer its recording run had ", () => {
    const answer = (store: CassetteStore, occurrence: number) => {
      const found = store.find('t', 0, keyOf('same'), occurrence)
      return found && [found.project, (found.response.json as { answer: string }).answer]
    }
    const big = new CassetteStore(file, { ...options, project: 'big' })
    recordAll(big, 'append', entry('t', 0, 'same'))
    big.flush()
    // mini in `auto`: its first call replays big's answer (the fallback), its second (identical) is recorded.
    const mini = new CassetteStore(file, { ...options, project: 'mini' })
    expect(answer(mini, 0)).toEqual(['big', 'same#0'])
    expect(answer(mini, 1)).toBeUndefined()
    const attempt = {}
    mini.record(entry('t', 1, 'same'), { attempt, occurrence: 1, mode: 'append' })
    mini.endAttempt(attempt)
    mini.flush()
    // Replayed, mini's calls get what they got when recorded: big's answer first (now copied as mini's), then its own.
    // Before, its first call got its second answer, and its second got it again.
    const again = new CassetteStore(file, { ...options, project: 'mini' })
    expect([answer(again, 0), answer(again, 1), answer(again, 2)]).toEqual([['mini', 'same#0'], ['mini', 'same#1'], undefined])
    expect(readCassette(file).entries.map((e) => [e.project, e.call, (e.response.json as { answer: string }).answer])).toEqual([
      ['big', 0, 'same#0'],
      ['mini', 1, 'same#0'],
      ['mini', 2, 'same#1'],
    ])
    // big still replays its own, then mini's second answer (what only mini recorded is shared).
    const bigAgain = new CassetteStore(file, { ...options, project: 'big' })
    expect([answer(bigAgain, 0), answer(bigAgain, 1), answer(bigAgain, 2)]).toEqual([['big', 'same#0'], ['mini', 'same#1'], undefined])
  })

  test("replace also drops what this process wrote for the attempt before (a retried test's failed try)", () => {
    const runStartedAt = Date.parse('2026-12-01T00:00:00.000Z')
    const fresh = (test: string, call: number, content: string) => ({ ...entry(test, call, content), meta: { recordedAt: '2026-12-01T00:00:01.000Z', latencyMs: 1 } })
    const store = new CassetteStore(file, { ...options, runStartedAt })
    recordAll(store, 'merge', fresh('t', 0, 'failed try'), fresh('t', 1, 'only in the failed try'))
    store.flush()
    recordAll(store, 'replace', fresh('t', 0, 'retry'))
    store.flush()
    expect(answers()).toEqual([['t', 0, 'retry#0']])
  })

  test('merge replaces only the exchanges the attempt made again, and its calls come first', () => {
    const first = new CassetteStore(file, options)
    recordAll(first, 'append', entry('t', 0, 'a'), entry('t', 1, 'b'), entry('u', 0, 'c'))
    first.flush()
    const merged = new CassetteStore(file, options)
    recordAll(merged, 'merge', { ...entry('t', 0, 'b'), response: { status: 200, headers: {}, json: { answer: 'new b' } } })
    merged.flush()
    expect(answers()).toEqual([['t', 0, 'new b'], ['t', 1, 'a#0'], ['u', 0, 'c#0']])
  })

  test("append keeps another process's recording of the same exchange, and adds only what is still missing", () => {
    const first = new CassetteStore(file, options)
    const second = new CassetteStore(file, options)
    recordAll(first, 'append', entry('t', 0, 'same'), entry('t', 1, 'first only'))
    recordAll(second, 'append', entry('t', 0, 'same'), entry('t', 1, 'same'), entry('t', 2, 'second only'))
    expect(first.flush()).toBe(2)
    expect(second.flush()).toBe(2)
    expect(answers()).toEqual([['t', 0, 'same#0'], ['t', 1, 'first only#1'], ['t', 3, 'same#1'], ['t', 4, 'second only#2']])
  })

  test('append keeps every identical request started together, whatever order their answers came back in', () => {
    const store = new CassetteStore(file, options)
    const attempt = {}
    // Three identical calls numbered 0, 1, 2 as they started; the first was answered last.
    const [a, b, c] = [entry('t', 0, 'same'), entry('t', 1, 'same'), entry('t', 2, 'same')] as const
    store.record(b, { attempt, occurrence: 1, mode: 'append' })
    store.record(c, { attempt, occurrence: 2, mode: 'append' })
    store.record(a, { attempt, occurrence: 0, mode: 'append' })
    store.endAttempt(attempt)
    expect(store.flush()).toBe(3)
    expect(store.alreadyRecorded).toEqual({ entries: 0, tools: 0 })
    const reloaded = new CassetteStore(file, options)
    const key = reloaded.keyOf(a)
    expect([0, 1, 2].map((n) => (reloaded.find('t', 0, key, n)?.response.json as { answer: string }).answer)).toEqual(['same#0', 'same#1', 'same#2'])
  })

  test('append counts the recordings it left out because another process stored the same exchange first: sent live, not written', () => {
    const first = new CassetteStore(file, options)
    const second = new CassetteStore(file, options)
    recordAll(first, 'append', entry('t', 0, 'same'))
    recordAll(second, 'append', entry('t', 0, 'same'), entry('t', 1, 'second only'))
    first.flush()
    expect(second.flush()).toBe(1)
    expect([second.written.size, second.alreadyRecorded]).toEqual([1, { entries: 1, tools: 0 }])
    expect(first.alreadyRecorded).toEqual({ entries: 0, tools: 0 })
    // A re-recording (`replace`) overwrites what is stored: nothing is left out.
    const third = new CassetteStore(file, options)
    recordAll(third, 'replace', entry('t', 0, 'same'))
    third.flush()
    expect(third.alreadyRecorded).toEqual({ entries: 0, tools: 0 })
  })

  test('prunes entries of tests that no longer exist, only when asked', () => {
    const store = new CassetteStore(file, options)
    recordAll(store, 'append', entry('kept', 0, 'a'), entry('gone', 0, 'b'), entry('(file)', 0, 'c'))
    store.flush()
    new CassetteStore(file, options).flush({ existingTests: new Set(['kept']) })
    expect(readCassette(file).entries.map((e) => e.test)).toEqual(['(file)', 'kept'])
  })

  test('scrubs key patterns from new recordings', () => {
    const store = new CassetteStore(file, options)
    recordAll(store, 'append', entry('t', 0, 'my key is sk-abcdefghijklmnopqrstuvwx'))
    store.flush()
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain('sk-abcdefghijklmnopqrstuvwx')
    expect(text).toContain('my key is [REDACTED]')
  })

  test("refuses a recording containing a live secret, naming its test; the file's other recordings are written", () => {
    const store = new CassetteStore(file, options)
    recordAll(store, 'append', entry('t', 0, 'fine'))
    store.flush()
    const guarded = new CassetteStore(file, { redact: [], secrets: [{ name: 'ANTHROPIC_API_KEY', value: 'gateway-7d1c9e' }] })
    expect(() => guarded.record(entry('leaks', 0, 'echo gateway-7d1c9e'), { attempt: {}, occurrence: 0, mode: 'append' })).toThrowError(
      /Refused to write .*a\.test\.ts\.cassette\.json: it would contain the value of ANTHROPIC_API_KEY \(a recording of test "leaks"\)\. That recording was not stored/,
    )
    recordAll(guarded, 'append', entry('after', 0, 'fine too'))
    expect(guarded.flush({ final: true })).toBe(1)
    expect(readCassette(file).entries.map((e) => e.test)).toEqual(['after', 't'])
    expect(readFileSync(file, 'utf8')).not.toContain('gateway-7d1c9e')
  })

  test('refuses a streamed recording whose chunks spell a live secret only when joined', () => {
    const store = new CassetteStore(file, { redact: [], secrets: [{ name: 'OPENAI_API_KEY', value: 'gateway-7d1c9e' }] })
    const chunks = ['data: {"delta":"your key is gate"}\n\n', 'data: {"delta":"way-7d1c9e"}\n\n']
    const streamed = { ...entry('streams', 0, 'hi'), response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks } }
    expect(() => store.record(streamed, { attempt: {}, occurrence: 0, mode: 'append' })).toThrowError(SecretLeakError)
  })

  test('refuses to write a file that still holds a live secret (written by hand or an older version), leaving it as it was', () => {
    const store = new CassetteStore(file, options)
    recordAll(store, 'append', entry('t', 0, 'echo gateway-7d1c9e'))
    store.flush()
    const before = readFileSync(file, 'utf8')
    const guarded = new CassetteStore(file, { redact: [], secrets: [{ name: 'ANTHROPIC_API_KEY', value: 'gateway-7d1c9e' }] })
    recordAll(guarded, 'append', entry('u', 0, 'fine'))
    expect(() => guarded.flush()).toThrowError(SecretLeakError)
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect(readdirSync(join(file, '..')).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).toEqual([])
  })

  describe('with what the secret scan found', () => {
    const token = 'ghp_' + 'Qm7'.repeat(12)
    const awsKeyId = 'AKIA' + 'ZQ7W'.repeat(4)
    const slot = () => ({ attempt: {}, occurrence: 0, mode: 'append' as const })

    test('scrubs every found value from the stored copy, which is still found under the live key', async () => {
      const store = new CassetteStore(file, options)
      const live = { ...entry('t', 0, `deploy with ${token}`), key: keyOf(`deploy with ${token}`) }
      live.response = { status: 200, headers: {}, json: { answer: `stored ${awsKeyId}` } }
      const found = await findRecordingSecrets(live)
      expect(found.map((finding) => finding.rule)).toEqual(['@secretlint/secretlint-rule-github', '@secretlint/secretlint-rule-aws'])
      store.record(live, slot(), undefined, found)
      store.endAttempt({})
      store.flush({ final: true })
      const text = readFileSync(file, 'utf8')
      expect(text).not.toContain(token)
      expect(text).not.toContain(awsKeyId)
      expect(new CassetteStore(file, options).find('t', 0, keyOf(`deploy with ${token}`), 0)?.response.json).toEqual({ answer: 'stored [REDACTED]' })
    })

    test('scrubs a token a stream split across its events, and a text sidecar', async () => {
      const store = new CassetteStore(file, options)
      const chunks = [`data: {"delta":"the token ${token.slice(0, 9)}"}\n\n`, `data: {"delta":"${token.slice(9)} works"}\n\n`]
      const streamed = { ...entry('streams', 0, 'hi'), response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks } }
      const kept = store.record(streamed, slot(), undefined, await findRecordingSecrets(streamed))
      expect(streamTexts(kept.response.chunks ?? [])).toContain('the token [REDACTED] works')
      const sidecar = { bytes: new TextEncoder().encode(`{"log":"key ${awsKeyId}"}`), extension: 'json' }
      const big = { ...entry('big', 0, 'hi'), response: { status: 200, headers: {} } }
      store.record(big, slot(), sidecar, await findRecordingSecrets(big, sidecar))
      store.flush({ final: true })
      const name = readCassette(file).entries.find((e) => e.test === 'big')?.response.file ?? ''
      expect(readFileSync(join(sidecarDir(file), name), 'utf8')).toBe('{"log":"key [REDACTED]"}')
    })

    test('refuses a recording whose test name holds a found secret, without printing it', async () => {
      const store = new CassetteStore(file, options)
      const named = entry(`deploys with ${token}`, 0, 'hi')
      const record = async () => store.record(named, slot(), undefined, await findRecordingSecrets(named))
      await expect(record()).rejects.toThrowError(SecretLeakError)
      await expect(record()).rejects.toThrowError(
        /Refused to record a call of test "deploys with \[REDACTED\]" in .*a\.test\.ts\.cassette\.json: the test's name holds what looks like a secret \(@secretlint\/secretlint-rule-github: ghp_… \(40 chars\)\)\. .*rename the test/,
      )
      await expect(record()).rejects.not.toThrowError(token)
      expect(store.flush({ final: true })).toBe(0)
    })

    test('refuses a recording a found value could not be scrubbed from', () => {
      const store = new CassetteStore(file, options)
      // A value across JSON syntax is in no single string: scrubbing strings cannot remove it.
      const across = { rule: 'test-rule', value: '"content": "spans', index: 0, line: 1, column: 1 }
      expect(() => store.record(entry('t', 0, 'spans'), slot(), undefined, [across])).toThrowError(/holds what looks like a secret \(test-rule: "con… \(17 chars\)\) that could not be scrubbed from it/)
    })
  })

  test('moves large bodies to a content-addressed sidecar file and reads them back', () => {
    const store = new CassetteStore(file, options)
    const big = new TextEncoder().encode('x'.repeat(1000))
    store.record({ ...entry('t', 0, 'audio'), response: { status: 200, headers: { 'content-type': 'audio/mpeg' } } }, { attempt: {}, occurrence: 0, mode: 'append' }, { bytes: big, extension: 'bin' })
    store.flush({ final: true })
    const stored = readCassette(file).entries[0]
    expect(stored?.response.file).toMatch(/^[0-9a-f]{20}\.bin$/)
    expect(readFileSync(join(sidecarDir(file), stored?.response.file ?? '')).byteLength).toBe(1000)
  })

  describe('re-recording a sidecar body', () => {
    const audio = () => ({ ...entry('t', 0, 'audio'), response: { status: 200, headers: { 'content-type': 'audio/mpeg' } } })
    const big = new TextEncoder().encode('y'.repeat(1000))
    const recordAudio = () => {
      const store = new CassetteStore(file, options)
      store.record(audio(), { attempt: {}, occurrence: 0, mode: 'replace' }, { bytes: big, extension: 'bin' })
      store.flush({ final: true })
    }
    const sidecar = () => join(sidecarDir(file), readCassette(file).entries[0]?.response.file ?? '')

    test('restores a deleted sidecar, though the cassette text is unchanged', () => {
      recordAudio()
      const text = readFileSync(file, 'utf8')
      rmSync(sidecar())
      recordAudio()
      expect(readFileSync(file, 'utf8')).toBe(text)
      expect(readFileSync(sidecar()).equals(big)).toBe(true)
    })

    test('repairs a truncated sidecar, and one of the same size with other bytes', () => {
      recordAudio()
      writeFileSync(sidecar(), big.subarray(0, 10))
      recordAudio()
      expect(readFileSync(sidecar()).equals(big)).toBe(true)
      writeFileSync(sidecar(), 'z'.repeat(1000))
      recordAudio()
      expect(readFileSync(sidecar()).equals(big)).toBe(true)
    })

    test('replaces a folder in the sidecar\'s place', () => {
      recordAudio()
      const path = sidecar()
      rmSync(path)
      mkdirSync(path)
      recordAudio()
      expect(statSync(path).isFile()).toBe(true)
      expect(readFileSync(path).equals(big)).toBe(true)
    })

    test('leaves an intact sidecar untouched', () => {
      recordAudio()
      const before = statSync(sidecar()).ino
      recordAudio()
      expect(statSync(sidecar()).ino).toBe(before)
    })
  })

  test('scrubs large text bodies moved to sidecars, and refuses a binary sidecar holding a live key', () => {
    const store = new CassetteStore(file, { redact: [{ literal: 'internal-token-9' }], secrets: [{ name: 'OPENAI_API_KEY', value: 'gateway-7d1c9e' }] })
    const text = new TextEncoder().encode(`{"echo":"sk-abcdefghijklmnopqrstuvwx internal-token-9"}`)
    store.record({ ...entry('t', 0, 'big'), response: { status: 200, headers: {} } }, { attempt: {}, occurrence: 0, mode: 'append' }, { bytes: text, extension: 'json' })
    store.flush({ final: true })
    const name = readCassette(file).entries[0]?.response.file ?? ''
    expect(readFileSync(join(sidecarDir(file), name), 'utf8')).toBe('{"echo":"[REDACTED] [REDACTED]"}')

    const binary = new TextEncoder().encode('\u0000\u0001gateway-7d1c9e\u0002')
    expect(() => store.record({ ...entry('t', 1, 'audio'), response: { status: 200, headers: {} } }, { attempt: {}, occurrence: 0, mode: 'append' }, { bytes: binary, extension: 'bin' })).toThrowError(
      /Refused to write .*\.bin: it would contain the value of OPENAI_API_KEY/,
    )
    expect(store.flush({ final: true })).toBe(0)
    expect(readCassette(file).entries).toHaveLength(1)
  })

  test("clears temporary files a killed writer left behind, but not a live writer's", () => {
    const store = new CassetteStore(file, options)
    recordAll(store, 'append', entry('t', 0, 'a'))
    store.flush()
    const dir = join(file, '..')
    const stale = join(dir, '.a.test.ts.cassette.json.123.abcd.tmp')
    const fresh = join(dir, `.a.test.ts.cassette.json.${process.pid}.ef01.tmp`)
    writeFileSync(stale, '{')
    writeFileSync(fresh, '{')
    utimesSync(stale, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000))
    recordAll(store, 'append', entry('t', 1, 'b'))
    store.flush()
    expect(existsSync(stale)).toBe(false)
    expect(existsSync(fresh)).toBe(true)
  })

  test('a damaged cassette is a clear error naming the file and the fix', () => {
    const store = new CassetteStore(file, options)
    recordAll(store, 'append', entry('t', 0, 'a'))
    store.flush()
    writeFileSync(file, '{ "version": 1, "entries": [ <<<<<<< HEAD')
    expect(() => new CassetteStore(file, options)).toThrowError(CassetteError)
    expect(() => new CassetteStore(file, options)).toThrowError(/Cannot read cassette .*a\.test\.ts\.cassette\.json: it is not valid JSON.*merge conflict/s)
  })
})

describe('CassetteStore and a cassette not in UTF-8', () => {
  test('is a clear error naming the file and line, and a record run writes nothing over it', () => {
    const store = new CassetteStore(file, options)
    recordAll(store, 'append', entry('one', 0, 'café crème'), entry('two', 0, 'b'))
    store.flush()
    // An editor saved it as Latin-1: é is now the single byte 0xe9.
    const latin1 = Buffer.from(readFileSync(file, 'utf8'), 'latin1')
    writeFileSync(file, latin1)
    const line = readFileSync(file, 'latin1').slice(0, readFileSync(file, 'latin1').indexOf('café')).split('\n').length
    expect(() => new CassetteStore(file, options)).toThrowError(CassetteError)
    expect(() => new CassetteStore(file, options)).toThrowError(new RegExp(`Cannot read cassette .*a\\.test\\.ts\\.cassette\\.json: line ${line} is not UTF-8 .*Latin-1.*git checkout`, 's'))
    expect(readFileSync(file).equals(latin1)).toBe(true)
  })
})

describe('CassetteStore unrecorded marks', () => {
  const secret = { name: 'SERVICE_TOKEN', value: 'svc-live-7f3a9c1e5b2d8046' }
  const mark = (over: Record<string, unknown> = {}) => ({ test: 't', repeat: 0, key: keyOf('slow'), occurrence: 0, method: 'POST', path: '/v1/chat/completions', reason: 'test-timeout' as const, at: '2026-12-07T00:00:00.000Z', mode: 'auto', ...over })

  test('writes a mark that explains a later miss, keeps its key as is under redact rules, and never answers a lookup', () => {
    const store = new CassetteStore(file, { redact: [/\d{3,}/g], secrets: [] })
    const attempt = {}
    store.markUnrecorded(mark({ key: '0123456789abcdef', path: '/v1/orders/12345' }), { attempt, mode: 'append' })
    store.endAttempt(attempt)
    store.flush({ final: true })
    const reread = new CassetteStore(file, options)
    expect(reread.unrecordedCall('t', 0, '0123456789abcdef', 0)).toMatchObject({ reason: 'test-timeout', path: '/v1/orders/[REDACTED]' })
    expect(reread.find('t', 0, '0123456789abcdef', 0)).toBeUndefined()
    expect(reread.all).toHaveLength(0)
  })

  test('drops a mark that would hold a live secret, and still writes the recordings beside it', () => {
    const store = new CassetteStore(file, { redact: [], secrets: [secret] })
    const attempt = {}
    store.markUnrecorded(mark({ path: `/v1/keys/${secret.value}` }), { attempt, mode: 'append' })
    store.record(entry('t', 0, 'fine'), { attempt, occurrence: 0, mode: 'append' })
    store.endAttempt(attempt)
    store.flush({ final: true })
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(secret.value)
    expect(readCassette(file)).toMatchObject({ entries: [{ test: 't' }], unrecorded: [] })
  })

  test("a run's marks of a test replace the marks earlier runs left of it: a prompt that changes every run (a date in it) does not grow the cassette", () => {
    for (const [run, day] of [[1, '01'], [2, '02'], [3, '03']] as const) {
      const store = new CassetteStore(file, { ...options, runStartedAt: Date.parse(`2026-12-${day}T00:00:00.000Z`) })
      const attempt = {}
      store.markUnrecorded(mark({ key: keyOf(`slow on day ${run}`), at: `2026-12-${day}T00:00:01.000Z` }), { attempt, mode: 'append' })
      store.markUnrecorded(mark({ test: 'other', key: keyOf('other'), at: `2026-12-${day}T00:00:01.000Z` }), { attempt: {}, mode: 'append' })
      store.endAttempt(attempt, { hold: true })
      store.flush({ final: true })
    }
    expect(readCassette(file).unrecorded.map((call) => [call.test, call.key])).toEqual([['other', keyOf('other')], ['t', keyOf('slow on day 3')]])
  })

  test("a run's passing try of a test voids the marks earlier runs left of it (its calls were all answered)", () => {
    const first = new CassetteStore(file, { ...options, runStartedAt: Date.parse('2026-12-01T00:00:00.000Z') })
    const attempt = {}
    first.markUnrecorded(mark({ key: keyOf('old prompt'), at: '2026-12-01T00:00:01.000Z' }), { attempt, mode: 'append' })
    first.endAttempt(attempt, { hold: true })
    first.flush({ final: true })
    const second = new CassetteStore(file, { ...options, runStartedAt: Date.parse('2026-12-02T00:00:00.000Z') })
    recordAll(second, 'append', entry('t', 0, 'new prompt'))
    second.flush()
    expect(readCassette(file)).toMatchObject({ entries: [{ test: 't' }], unrecorded: [] })
  })

  test("a record run's passing try that only left marks (its call was cut off) keeps the test's recordings: a mark replaces none", () => {
    const first = new CassetteStore(file, options)
    recordAll(first, 'append', entry('t', 0, 'slow'))
    first.flush()
    const again = new CassetteStore(file, { ...options, runStartedAt: Date.parse('2026-12-07T00:00:00.000Z') })
    const attempt = {}
    again.markUnrecorded(mark({ at: '2026-12-07T00:00:01.000Z', reason: 'app-abort' }), { attempt, mode: 'merge' })
    again.endAttempt(attempt, { mode: 'replace' })
    again.flush()
    expect(readCassette(file).entries.map((e) => e.test)).toEqual(['t'])
  })

  test('a run that cuts the same call off the same way leaves the cassette as it was (no change to commit after every run)', () => {
    for (const day of ['01', '02']) {
      const store = new CassetteStore(file, { ...options, runStartedAt: Date.parse(`2026-12-${day}T00:00:00.000Z`) })
      const attempt = {}
      store.markUnrecorded(mark({ reason: 'app-abort', detail: 'AbortError', at: `2026-12-${day}T00:00:01.000Z` }), { attempt, mode: 'append' })
      store.endAttempt(attempt)
      store.flush({ final: true })
      if (day === '01') expect(readCassette(file).unrecorded).toHaveLength(1)
    }
    expect(readCassette(file).unrecorded.map((call) => call.at)).toEqual(['2026-12-01T00:00:01.000Z'])
  })

  test('a recording of the call replaces its mark', () => {
    const store = new CassetteStore(file, options)
    const first = {}
    store.markUnrecorded(mark(), { attempt: first, mode: 'append' })
    store.endAttempt(first)
    store.flush()
    expect(readCassette(file).unrecorded).toHaveLength(1)
    recordAll(store, 'append', entry('t', 0, 'slow'))
    store.flush()
    expect(readCassette(file)).toMatchObject({ entries: [{ test: 't' }], unrecorded: [] })
  })
})
