import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { CassetteEntry, StoredEvent } from '../../../src/cassettes/entry.js'
import { eventStreamTexts, redactEvents } from '../../../src/cassettes/event-stream-secrets.js'
import { findRecordingSecrets } from '../../../src/cassettes/found-secrets.js'
import { CassetteStore } from '../../../src/cassettes/store.js'
import { SecretLeakError } from '../../../src/errors/index.js'

const TOKEN = 'ghp_' + 'Qm7'.repeat(12)
const headers = (type: string) => ({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' })
const delta = (text: string): StoredEvent => ({ headers: headers('contentBlockDelta'), json: { contentBlockIndex: 0, delta: { text } } })
const chunk = (text: string): StoredEvent => ({ headers: headers('chunk'), json: { bytes: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } } }, bytesJson: true })

function streamed(events: StoredEvent[]): CassetteEntry {
  return {
    test: 'streams a key', repeat: 0, call: 0, role: 'app',
    request: { url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-micro-v1%3A0/converse-stream', method: 'POST', path: '/model/amazon.nova-micro-v1%3A0/converse-stream', query: {}, headers: {}, body: { messages: [] } },
    response: { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream' }, events },
    meta: { recordedAt: '2026-12-06T00:00:00.000Z', latencyMs: 5 },
  }
}
const slot = () => ({ attempt: {}, occurrence: 0, mode: 'append' as const })
const newStore = () => new CassetteStore(join(mkdtempSync(join(tmpdir(), 'events-')), '__cassettes__', 'a.test.ts.cassette.json'), { redact: [], secrets: [] })

describe('secrets in recorded event streams', () => {
  test('the texts the events spell join a key split across deltas, in ConverseStream and decoded chunks alike', () => {
    expect(eventStreamTexts([delta(`the key ${TOKEN.slice(0, 10)}`), delta(`${TOKEN.slice(10)} ok`)])).toContain(`the key ${TOKEN} ok`)
    expect(eventStreamTexts([chunk(TOKEN.slice(0, 5)), chunk(TOKEN.slice(5))])).toContain(TOKEN)
    const encoded: StoredEvent = { headers: headers('chunk'), json: { bytes: Buffer.from(JSON.stringify({ delta: { text: TOKEN } })).toString('base64') } }
    expect(eventStreamTexts([encoded]).join('\n')).toContain(TOKEN)
  })

  test('a key split across streamed deltas is scrubbed from the stored copy, which still frames', async () => {
    const store = newStore()
    const entry = streamed([delta(`the key ${TOKEN.slice(0, 10)}`), delta(`${TOKEN.slice(10)} ok`), { headers: headers('messageStop'), json: { stopReason: 'end_turn' } }])
    const found = await findRecordingSecrets(entry)
    expect(found.map((finding) => finding.value)).toContain(TOKEN)
    const kept = store.record(entry, slot(), undefined, found)
    expect(kept.response.events?.map((event) => event.json)).toEqual([
      { contentBlockIndex: 0, delta: { text: 'the key [REDACTED]' } },
      { contentBlockIndex: 0, delta: { text: ' ok' } },
      { stopReason: 'end_turn' },
    ])
    store.endAttempt({})
    store.flush({ final: true })
    expect(readFileSync(store.file, 'utf8')).not.toContain(TOKEN.slice(4, 20))
  })

  test('a key inside a decoded InvokeModel chunk is scrubbed there', async () => {
    const entry = streamed([chunk(`use ${TOKEN}`)])
    const kept = newStore().record(entry, slot(), undefined, await findRecordingSecrets(entry))
    expect(kept.response.events?.[0]?.json).toEqual({ bytes: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'use [REDACTED]' } } })
  })

  test('a key in a payload kept as base64 cannot be scrubbed: the recording is refused', async () => {
    const entry = streamed([{ headers: headers('blob'), base64: Buffer.from(`raw ${TOKEN}`).toString('base64') }])
    const found = await findRecordingSecrets(entry)
    expect(() => newStore().record(entry, slot(), undefined, found)).toThrowError(SecretLeakError)
  })

  test('redactEvents leaves events without a found value as they were', () => {
    const events = [delta('nothing here')]
    expect(redactEvents(events, [TOKEN])).toEqual(events)
  })
})
