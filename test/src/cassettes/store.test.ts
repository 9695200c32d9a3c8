import { existsSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import { requestKey } from '../../../src/cassettes/canonical.js'
import { readCassette, sidecarDir } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { CassetteStore } from '../../../src/cassettes/store.js'
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

describe('CassetteStore', () => {
  test('finds identical repeated requests in recorded order', () => {
    const store = new CassetteStore(file, options)
    store.record(entry('t', 0, 'hi'), 'append')
    store.record(entry('t', 1, 'hi'), 'append')
    store.flush()
    const reloaded = new CassetteStore(file, options)
    const key = reloaded.keyOf(reloaded.all[0] as CassetteEntry)
    expect(reloaded.find('t', 0, key, 0)?.response.json).toEqual({ answer: 'hi#0' })
    expect(reloaded.find('t', 0, key, 1)?.response.json).toEqual({ answer: 'hi#1' })
    expect(reloaded.find('t', 0, key, 2)).toBeUndefined()
    expect(reloaded.find('other test', 0, key, 0)).toBeUndefined()
  })

  test('writes nothing when there is nothing to write', () => {
    const store = new CassetteStore(file, options)
    expect(store.flush()).toBe(false)
    expect(existsSync(file)).toBe(false)
  })

  test('replace drops the attempt’s old entries; merge keeps those the new run did not cover', () => {
    const first = new CassetteStore(file, options)
    first.record(entry('t', 0, 'a'), 'append')
    first.record(entry('t', 1, 'b'), 'append')
    first.record(entry('u', 0, 'c'), 'append')
    first.flush()

    const merged = new CassetteStore(file, options)
    merged.record({ ...entry('t', 0, 'a'), response: { status: 200, headers: {}, json: { answer: 'new a' } } }, 'merge')
    merged.flush()
    expect(readCassette(file).entries.map((e) => [e.test, (e.response.json as { answer: string }).answer])).toEqual([
      ['t', 'new a'],
      ['t', 'b#1'],
      ['u', 'c#0'],
    ])

    const replaced = new CassetteStore(file, options)
    replaced.record(entry('t', 0, 'z'), 'merge')
    replaced.setCommitMode('t', 0, 'replace')
    replaced.flush()
    expect(readCassette(file).entries.map((e) => [e.test, (e.response.json as { answer: string }).answer])).toEqual([
      ['t', 'z#0'],
      ['u', 'c#0'],
    ])
  })

  test('prunes entries of tests that no longer exist, only when asked', () => {
    const store = new CassetteStore(file, options)
    store.record(entry('kept', 0, 'a'), 'append')
    store.record(entry('gone', 0, 'b'), 'append')
    store.record(entry('(file)', 0, 'c'), 'append')
    store.flush()
    new CassetteStore(file, options).flush(new Set(['kept']))
    expect(readCassette(file).entries.map((e) => e.test)).toEqual(['(file)', 'kept'])
  })

  test('a retried request replaces the failed attempt it retries', () => {
    const store = new CassetteStore(file, options)
    store.record(entry('t', 0, 'hi', 429), 'append')
    expect(store.dropRetriedFailure('t', 0, keyOf('hi'))?.response.status).toBe(429)
    store.record(entry('t', 0, 'hi'), 'append')
    store.flush()
    expect(readCassette(file).entries.map((e) => e.response.status)).toEqual([200])
  })

  test('a success is never dropped as a retried failure', () => {
    const store = new CassetteStore(file, options)
    store.record(entry('t', 0, 'hi'), 'append')
    expect(store.dropRetriedFailure('t', 0, keyOf('hi'))).toBeUndefined()
  })

  test('scrubs key patterns from old and new entries at every write', () => {
    const store = new CassetteStore(file, options)
    store.record(entry('t', 0, 'my key is sk-abcdefghijklmnopqrstuvwx'), 'append')
    store.flush()
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain('sk-abcdefghijklmnopqrstuvwx')
    expect(text).toContain('my key is [REDACTED]')
  })

  test('refuses a write containing a live secret and leaves the file as it was', () => {
    const store = new CassetteStore(file, options)
    store.record(entry('t', 0, 'fine'), 'append')
    store.flush()
    const before = readFileSync(file, 'utf8')
    const guarded = new CassetteStore(file, { redact: [], secrets: [{ name: 'ANTHROPIC_API_KEY', value: 'gateway-7d1c9e' }] })
    guarded.record(entry('t', 1, 'echo gateway-7d1c9e'), 'append')
    expect(() => guarded.flush()).toThrowError(SecretLeakError)
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect(readdirSync(join(file, '..')).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  test('moves large bodies to a content-addressed sidecar file and reads them back', () => {
    const store = new CassetteStore(file, options)
    const big = new TextEncoder().encode('x'.repeat(1000))
    store.record({ ...entry('t', 0, 'audio'), response: { status: 200, headers: { 'content-type': 'audio/mpeg' } } }, 'append', { bytes: big, extension: 'bin' })
    store.flush()
    const stored = readCassette(file).entries[0]
    expect(stored?.response.file).toMatch(/^[0-9a-f]{20}\.bin$/)
    expect(readFileSync(join(sidecarDir(file), stored?.response.file ?? '')).byteLength).toBe(1000)
  })

  test('scrubs large text bodies moved to sidecars, and refuses a binary sidecar holding a live key', () => {
    const store = new CassetteStore(file, { redact: [{ literal: 'internal-token-9' }], secrets: [{ name: 'OPENAI_API_KEY', value: 'gateway-7d1c9e' }] })
    const text = new TextEncoder().encode(`{"echo":"sk-abcdefghijklmnopqrstuvwx internal-token-9"}`)
    store.record({ ...entry('t', 0, 'big'), response: { status: 200, headers: {} } }, 'append', { bytes: text, extension: 'json' })
    store.flush()
    const name = readCassette(file).entries[0]?.response.file ?? ''
    expect(readFileSync(join(sidecarDir(file), name), 'utf8')).toBe('{"echo":"[REDACTED] [REDACTED]"}')

    const binary = new TextEncoder().encode('\u0000\u0001gateway-7d1c9e\u0002')
    store.record({ ...entry('t', 1, 'audio'), response: { status: 200, headers: {} } }, 'append', { bytes: binary, extension: 'bin' })
    expect(() => store.flush()).toThrowError(/Refused to write .*\.bin: it would contain the value of OPENAI_API_KEY/)
    expect(readCassette(file).entries).toHaveLength(1)
  })

  test('a refused write does not block the next one', () => {
    const store = new CassetteStore(file, { redact: [], secrets: [{ name: 'OPENAI_API_KEY', value: 'gateway-7d1c9e' }] })
    store.record(entry('t', 0, 'echo gateway-7d1c9e'), 'append')
    expect(() => store.flush()).toThrowError(SecretLeakError)
    store.record(entry('u', 0, 'fine'), 'append')
    expect(store.flush()).toBe(true)
    expect(readCassette(file).entries.map((e) => e.test)).toEqual(['u'])
  })

  test('clears temporary files a killed writer left behind, but not a fresh one', () => {
    const store = new CassetteStore(file, options)
    store.record(entry('t', 0, 'a'), 'append')
    store.flush()
    const dir = join(file, '..')
    const stale = join(dir, '.a.test.ts.cassette.json.123.abcd.tmp')
    const fresh = join(dir, '.a.test.ts.cassette.json.456.ef01.tmp')
    writeFileSync(stale, '{')
    writeFileSync(fresh, '{')
    utimesSync(stale, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000))
    store.record(entry('t', 1, 'b'), 'append')
    store.flush()
    expect(existsSync(stale)).toBe(false)
    expect(existsSync(fresh)).toBe(true)
  })

  test('a damaged cassette is a clear error naming the file and the fix', () => {
    const store = new CassetteStore(file, options)
    store.record(entry('t', 0, 'a'), 'append')
    store.flush()
    writeFileSync(file, '{ "version": 1, "entries": [ <<<<<<< HEAD')
    expect(() => new CassetteStore(file, options)).toThrowError(CassetteError)
    expect(() => new CassetteStore(file, options)).toThrowError(/Cannot read cassette .*a\.test\.ts\.cassette\.json: it is not valid JSON.*merge conflict/s)
  })
})
