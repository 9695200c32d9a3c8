import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import { readCassette, serializeCassette } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry, ToolRecord } from '../../../src/cassettes/entry.js'
import { CassetteStore } from '../../../src/cassettes/store.js'
import { toolKey } from '../../../src/cassettes/tool-key.js'

let file: string
beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'tool-store-')), '__cassettes__', 'a.test.ts.cassette.json')
})

const options = { redact: [], secrets: [] }
const entry: CassetteEntry = {
  test: 't', repeat: 0, call: 0, role: 'app',
  request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'm' } },
  response: { status: 200, headers: {}, json: { ok: true } },
  meta: { recordedAt: '2026-11-28T00:00:00.000Z', latencyMs: 5 },
}

function toolRecord(test: string, call: number, args: unknown, result: unknown, occurrence = 0): ToolRecord {
  return { test, repeat: 0, call, name: 'search', key: toolKey('search', args), occurrence, args, result, meta: { recordedAt: '2026-11-28T00:00:00.000Z', latencyMs: 2 } }
}

/** Records `records` as one ended try of their test (commit `mode`). */
function recordTry(store: CassetteStore, mode: 'append' | 'replace' | 'merge', ...records: ToolRecord[]): void {
  const attempt = {}
  for (const record of records) store.recordTool(record, { attempt, mode })
  store.endAttempt(attempt)
}

describe('tool records in the cassette store', () => {
  test('with test.projects, a project replays its own record of a tool call, else another project\'s', () => {
    const write = (project: string, call: number, result: string) => {
      const store = new CassetteStore(file, { ...options, project })
      recordTry(store, 'replace', { ...toolRecord('t', call, { q: 'a' }, [result]), project })
      store.flush()
    }
    write('big', 0, 'big')
    write('mini', 1, 'mini')
    const found = (project: string) => new CassetteStore(file, { ...options, project }).tools.find('t', 0, toolKey('search', { q: 'a' }), 0)?.result
    expect(readCassette(file).tools?.map((record) => record.project)).toEqual(['big', 'mini'])
    expect([found('big'), found('mini'), found('third')]).toEqual([['big'], ['mini'], ['big']])
  })

  test('append counts a tool call whose record another process stored first: run, not written', () => {
    const first = new CassetteStore(file, options)
    const second = new CassetteStore(file, options)
    recordTry(first, 'append', toolRecord('t', 0, { q: 'a' }, ['first']))
    recordTry(second, 'append', toolRecord('t', 0, { q: 'a' }, ['second']), toolRecord('t', 1, { q: 'b' }, ['second']))
    first.flush()
    expect(second.flush()).toBe(1)
    expect([second.writtenTools.size, second.alreadyRecorded]).toEqual([1, { entries: 0, tools: 1 }])
  })

  test('a cassette written before tool replay loads, and one without tool records is written exactly as before', () => {
    mkdirSync(dirname(file), { recursive: true })
    const before = serializeCassette({ version: 1, entries: [entry] })
    writeFileSync(file, before)
    expect(before).not.toContain('"tools"')
    expect(readCassette(file).tools).toEqual([])
    const store = new CassetteStore(file, options)
    expect(store.tools.all).toEqual([])
    store.record({ ...entry, call: 1, request: { ...entry.request, body: { model: 'n' } } }, { attempt: {}, occurrence: 0, mode: 'append' })
    store.flush({ final: true })
    expect(readFileSync(file, 'utf8')).not.toContain('"tools"')
  })

  test('tool records are written beside the entries and found by test, key and occurrence', () => {
    const store = new CassetteStore(file, options)
    store.record(entry, { attempt: {}, occurrence: 0, mode: 'append' })
    recordTry(store, 'append', toolRecord('t', 0, { q: 'a' }, ['first']), toolRecord('t', 1, { q: 'a' }, ['second'], 1))
    expect(store.flush({ final: true })).toBe(3)
    const reloaded = new CassetteStore(file, options)
    expect(reloaded.all).toHaveLength(1)
    const key = toolKey('search', { q: 'a' })
    expect([0, 1, 2].map((occurrence) => reloaded.tools.find('t', 0, key, occurrence)?.result)).toEqual([['first'], ['second'], undefined])
    expect(reloaded.tools.find('other', 0, key, 0)).toBeUndefined()
  })

  test('a record whose stored arguments were edited by hand answers to what they now say', () => {
    const store = new CassetteStore(file, options)
    recordTry(store, 'append', toolRecord('t', 0, { q: 'typo' }, 'answer'))
    store.flush()
    const document = readCassette(file)
    writeFileSync(file, serializeCassette({ ...document, tools: document.tools.map((record) => ({ ...record, args: { q: 'fixed' } })) }))
    expect(new CassetteStore(file, options).tools.find('t', 0, toolKey('search', { q: 'fixed' }), 0)?.result).toBe('answer')
  })

  test("re-recording a test in one project keeps another project's tool records of it", () => {
    for (const project of ['mini', 'big']) {
      const store = new CassetteStore(file, { ...options, project })
      recordTry(store, 'append', toolRecord('t', 0, { q: project }, `${project} answer`))
      store.flush()
    }
    const again = new CassetteStore(file, { ...options, project: 'mini', runStartedAt: Date.parse('2026-12-01T00:00:00.000Z') })
    recordTry(again, 'replace', { ...toolRecord('t', 0, { q: 'mini' }, 'mini anew'), meta: { recordedAt: '2026-12-01T00:00:01.000Z', latencyMs: 1 } })
    again.flush()
    expect(readCassette(file).tools.map((record) => [record.project, record.result]).sort()).toEqual([['big', 'big answer'], ['mini', 'mini anew']])
  })

  test('two processes recording into one cassette keep every tool record, and a call both recorded once', () => {
    const first = new CassetteStore(file, options)
    const second = new CassetteStore(file, options)
    recordTry(first, 'append', toolRecord('t', 0, { q: 'first only' }, 1), toolRecord('t', 1, { q: 'both' }, 'from first'))
    recordTry(second, 'append', toolRecord('t', 0, { q: 'second only' }, 2), toolRecord('t', 1, { q: 'both' }, 'from second'))
    recordTry(second, 'append', toolRecord('u', 0, { q: 'other test' }, 3))
    first.flush()
    second.flush()
    expect(readCassette(file).tools.map((record) => [record.test, record.call, record.args, record.result])).toEqual([
      ['t', 0, { q: 'first only' }, 1],
      ['t', 1, { q: 'both' }, 'from first'],
      ['t', 2, { q: 'second only' }, 2],
      ['u', 0, { q: 'other test' }, 3],
    ])
  })

  test('replace drops the attempt\'s tool records made before the run; merge replaces only the calls made again', () => {
    const old = new CassetteStore(file, options)
    recordTry(old, 'append', toolRecord('t', 0, { q: 'a' }, 'old a'), toolRecord('t', 1, { q: 'b' }, 'old b'), toolRecord('u', 0, { q: 'c' }, 'old c'))
    old.flush()
    const merging = new CassetteStore(file, options)
    recordTry(merging, 'merge', toolRecord('t', 0, { q: 'b' }, 'new b'))
    merging.flush()
    expect(readCassette(file).tools.map((record) => [record.test, record.call, record.result])).toEqual([['t', 0, 'new b'], ['t', 1, 'old a'], ['u', 0, 'old c']])
    const runStartedAt = Date.parse('2026-12-01T00:00:00.000Z')
    const replacing = new CassetteStore(file, { ...options, runStartedAt })
    recordTry(replacing, 'replace', { ...toolRecord('t', 0, { q: 'z' }, 'only z'), meta: { recordedAt: '2026-12-01T00:00:01.000Z', latencyMs: 1 } })
    replacing.flush()
    expect(readCassette(file).tools.map((record) => [record.test, record.result])).toEqual([['t', 'only z'], ['u', 'old c']])
  })

  test('two record runs at once: a tool call both re-recorded keeps the first written, and the second counts its own as already recorded', () => {
    const runStartedAt = Date.parse('2026-12-01T00:00:00.000Z')
    const fresh = (call: number, args: unknown, result: unknown) => ({ ...toolRecord('t', call, args, result), meta: { recordedAt: '2026-12-01T00:00:01.000Z', latencyMs: 1 } })
    const first = new CassetteStore(file, { ...options, runStartedAt })
    const second = new CassetteStore(file, { ...options, runStartedAt })
    recordTry(first, 'replace', fresh(0, { q: 'both' }, 'first'))
    recordTry(second, 'replace', fresh(0, { q: 'both' }, 'second'), fresh(1, { q: 'second only' }, 'second'))
    first.flush()
    second.flush()
    expect(readCassette(file).tools.map((record) => [record.call, record.args, record.result])).toEqual([[0, { q: 'both' }, 'first'], [1, { q: 'second only' }, 'second']])
    expect([first.alreadyRecorded.tools, second.alreadyRecorded.tools, second.writtenTools.size]).toEqual([0, 1, 1])
  })

  test("record re-records a tool record dated after the run began by a clock that runs ahead (another machine's, committed)", () => {
    const ahead = { recordedAt: new Date(Date.now() + 3_600_000).toISOString(), latencyMs: 1 }
    const old = new CassetteStore(file, options)
    recordTry(old, 'append', { ...toolRecord('t', 0, { q: 'same' }, 'old'), meta: ahead }, { ...toolRecord('t', 1, { q: 'gone' }, 'old'), meta: ahead })
    old.flush()
    const store = new CassetteStore(file, { ...options, runStartedAt: Date.now() })
    recordTry(store, 'replace', { ...toolRecord('t', 0, { q: 'same' }, 'new'), meta: { recordedAt: new Date().toISOString(), latencyMs: 1 } })
    store.flush()
    expect(readCassette(file).tools.map((record) => [record.args, record.result])).toEqual([[{ q: 'same' }, 'new']])
    expect(store.alreadyRecorded.tools).toBe(0)
  })

  test("record mode's pruning of tests that no longer exist drops their tool records too", () => {
    const store = new CassetteStore(file, options)
    recordTry(store, 'append', toolRecord('gone', 0, {}, 1), toolRecord('(file)', 0, {}, 2), toolRecord('kept', 0, {}, 3))
    store.flush({ final: true, existingTests: new Set(['kept']) })
    expect(readCassette(file).tools.map((record) => record.test)).toEqual(['(file)', 'kept'])
    expect(existsSync(file)).toBe(true)
  })
})
