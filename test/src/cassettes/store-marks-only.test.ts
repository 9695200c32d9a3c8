// A try whose calls were all sent but none stored (refused for a secret, cut off by the test's timeout) fails, leaving
// only marks. In `record` the test's recording is that failed try's, whole: its earlier answers go, and the marks explain
// the replay's misses. In `auto` (append) a recording is never replaced: a call went live only because nothing answered
// it. (A passing try that only left marks keeps the earlier recording: see store.test.ts, "a mark replaces none".)
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import { readCassette, serializeCassette } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry, UnrecordedCall } from '../../../src/cassettes/entry.js'
import { CassetteStore, type CommitMode } from '../../../src/cassettes/store.js'
import { writeFileAtomic } from '../../../src/atomic-files.js'

let file: string
beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'store-marks-')), 'a.test.ts.cassette.json')
})

const OLD = '2026-11-28T00:00:00.000Z'
function entry(test: string, content: string, project?: string): CassetteEntry {
  return {
    test,
    ...(project ? { project } : {}),
    repeat: 0,
    call: 0,
    role: 'app',
    request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'm', messages: [{ role: 'user', content }] } },
    response: { status: 200, headers: { 'content-type': 'application/json' }, json: { answer: content } },
    meta: { recordedAt: OLD, latencyMs: 5 },
  }
}

/** The cassette of an earlier run: `asks` and `other` each recorded one call. */
function earlierRecording(): void {
  writeFileAtomic(file, serializeCassette({ version: 1, entries: [entry('asks', 'question'), entry('other', 'question')] }))
}

/** A try of `asks` that sent its one call and stored none of it: its mark only, then its end as the session ends it. */
function marksOnlyTry(options: { mode: 'record' | 'auto'; project?: string; mark?: Partial<UnrecordedCall>; secrets?: { name: string; value: string }[] }): CassetteStore {
  const store = new CassetteStore(file, { redact: [], secrets: options.secrets ?? [], runStartedAt: Date.now(), ...(options.project ? { project: options.project } : {}) })
  const key = store.keyOf(entry('asks', 'question'))
  const attempt = {}
  const slotMode: CommitMode = options.mode === 'record' ? 'merge' : 'append'
  store.markUnrecorded({ test: 'asks', repeat: 0, key, occurrence: 0, method: 'POST', path: '/v1/chat/completions', reason: 'refused', detail: 'Refused to store it.', at: new Date().toISOString(), mode: options.mode, ...options.mark }, { attempt, mode: slotMode })
  store.endAttempt(attempt, { ...(options.mode === 'record' ? { mode: 'replace' as const } : {}), hold: true })
  store.flush({ final: true })
  return store
}

describe('a failed try that stored nothing but marks', () => {
  test('record: replaces the test\'s earlier recording; the mark stays to explain the miss; other tests keep theirs', () => {
    earlierRecording()
    const store = marksOnlyTry({ mode: 'record' })
    const cassette = readCassette(file)
    expect(cassette.entries.map((each) => each.test)).toEqual(['other'])
    expect(cassette.unrecorded.map((mark) => [mark.test, mark.reason])).toEqual([['asks', 'refused']])
    const key = store.keyOf(entry('asks', 'question'))
    expect(store.find('asks', 0, key, 0)).toBeUndefined()
    expect(store.unrecordedCall('asks', 0, key, 0)?.reason).toBe('refused')
  })

  test('record: a mark dropped for holding a secret still replaces the earlier recording', () => {
    earlierRecording()
    marksOnlyTry({ mode: 'record', mark: { detail: 'it held live-value-0123456789abcdef' }, secrets: [{ name: 'BILLING_API_TOKEN', value: 'live-value-0123456789abcdef' }] })
    const cassette = readCassette(file)
    expect(cassette.entries.map((each) => each.test)).toEqual(['other'])
    expect(cassette.unrecorded).toEqual([])
  })

  test('record with test.projects: only this project\'s recording of the test goes; another project\'s stays', () => {
    writeFileAtomic(file, serializeCassette({ version: 1, entries: [entry('asks', 'question', 'this-project'), { ...entry('asks', 'question', 'other-project'), call: 1 }] }))
    marksOnlyTry({ mode: 'record', project: 'this-project' })
    expect(readCassette(file).entries.map((each) => [each.test, each.project])).toEqual([['asks', 'other-project']])
  })

  test('auto: no recording is replaced (nothing answered the call, so nothing of it is stale); the mark is kept', () => {
    earlierRecording()
    marksOnlyTry({ mode: 'auto', mark: { key: 'a-new-prompt', occurrence: 0 } })
    const cassette = readCassette(file)
    expect(cassette.entries.map((each) => each.test)).toEqual(['asks', 'other'])
    expect(cassette.unrecorded.map((mark) => [mark.test, mark.key])).toEqual([['asks', 'a-new-prompt']])
  })
})
