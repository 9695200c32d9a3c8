// Identical calls of one try still in flight when their test ended are written one by one as they are answered
// (`writeAsArrived`), maybe out of order: this process's own earlier write of the try is not another process's
// recording of the same exchange, so none is dropped. Another process's recording still counts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { CassetteStore } from '../../../src/cassettes/store.js'

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-late-order-'))
  file = join(dir, 'a.test.ts.cassette.json')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function entry(call: number, content: string): CassetteEntry {
  return {
    test: 't',
    repeat: 0,
    call,
    role: 'app',
    request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'gpt', messages: [{ role: 'user', content: 'same' }] } },
    response: { status: 200, headers: { 'content-type': 'application/json' }, json: { answer: content } },
    meta: { recordedAt: new Date().toISOString(), latencyMs: 1 },
  }
}

const answers = (store: CassetteStore) => store.all.map((each) => (each.response.json as { answer: string }).answer).sort()

/** Writes one late answer of `attempt` on its own, as `writeAsArrived` does. */
function writeLate(store: CassetteStore, attempt: object, call: number, occurrence: number, content: string): void {
  store.record(entry(call, content), { attempt, occurrence, mode: 'append' })
  store.endAttempt(attempt)
  store.flush({ final: true })
}

describe('late answers of one try written one by one', () => {
  test('identical calls answered out of order are both stored', () => {
    const store = new CassetteStore(file, { redact: [], secrets: [] })
    const attempt = {}
    // Started: call 0 (occurrence 0), call 1 (occurrence 1). Call 1 is answered and written first, then call 0.
    writeLate(store, attempt, 1, 1, 'second-started')
    writeLate(store, attempt, 0, 0, 'first-started')
    expect(answers(new CassetteStore(file, { redact: [], secrets: [] }))).toEqual(['first-started', 'second-started'])
    expect(store.alreadyRecorded.entries).toBe(0)
  })

  test("another process's recording of the same occurrence is still kept in place of this one", () => {
    const other = new CassetteStore(file, { redact: [], secrets: [] })
    writeLate(other, {}, 0, 0, 'theirs')
    const store = new CassetteStore(file, { redact: [], secrets: [] })
    const attempt = {}
    writeLate(store, attempt, 1, 1, 'second-started')
    writeLate(store, attempt, 0, 0, 'first-started')
    expect(answers(new CassetteStore(file, { redact: [], secrets: [] }))).toEqual(['second-started', 'theirs'])
    expect(store.alreadyRecorded.entries).toBe(1)
  })
})
