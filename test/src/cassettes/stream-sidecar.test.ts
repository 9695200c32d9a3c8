import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import { readCassette, sidecarDir, sidecarName } from '../../../src/cassettes/cassette-file.js'
import { jsonArrayChunks } from '../../support/gemini-wire.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { findRecordingSecrets } from '../../../src/cassettes/found-secrets.js'
import { replayResponse } from '../../../src/cassettes/responses.js'
import { CassetteStore } from '../../../src/cassettes/store.js'
import { SecretLeakError } from '../../../src/errors/index.js'
import type { RedactRule } from '../../../src/cassettes/redact.js'
import { parseStreamSidecar, streamSidecarBytes, streamToSidecar } from '../../../src/cassettes/stream-sidecar.js'

const TOKEN = 'ghp_' + 'Qm7'.repeat(12)
const event = (text: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\n`
// 200 events of about 80 bytes: 16 KB, over a 4 KB limit.
const longChunks = (extra: string[] = []) => [...Array.from({ length: 200 }, (_, index) => event(`word${index} `)), ...extra.map(event), 'data: [DONE]\n\n']

function streamed(chunks: string[], aborted = false): CassetteEntry {
  return {
    test: 'bot > streams',
    repeat: 0,
    call: 0,
    role: 'app',
    request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'm', stream: true } },
    response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks, ...(aborted ? { aborted: true as const } : {}) },
    meta: { recordedAt: '2026-12-07T00:00:00.000Z', latencyMs: 5 },
  }
}

async function readAll(response: Response): Promise<string[]> {
  const parts: string[] = []
  const decoder = new TextDecoder()
  for await (const part of response.body!) parts.push(decoder.decode(part))
  return parts
}

let file: string
beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'stream-sidecar-')), '__cassettes__', 'bot.test.ts.cassette.json')
})

/** Records `entry` as the session does: scanned, moved to a sidecar when too large, stored and written. */
async function record(entry: CassetteEntry, maxInlineBytes = 4096, redact: RedactRule[] = []): Promise<CassetteEntry> {
  const store = new CassetteStore(file, { redact, secrets: [] })
  const found = await findRecordingSecrets(entry)
  const moved = streamToSidecar(entry, maxInlineBytes, redact, found)
  const token = {}
  store.record(moved.entry, { attempt: token, occurrence: 0, mode: 'append' }, moved.sidecar, found)
  store.endAttempt(token)
  store.flush({ final: true })
  return readCassette(file).entries[0]!
}

describe('streamed responses larger than maxInlineBytes', () => {
  test('a stream at or below the limit stays inline, chunk by chunk', () => {
    const entry = streamed([event('hi'), 'data: [DONE]\n\n'])
    expect(streamToSidecar(entry, 4096, [], [])).toEqual({ entry })
  })

  test('a larger one goes to a content-addressed .stream.json sidecar, written with the cassette, and replays chunk by chunk', async () => {
    const chunks = longChunks()
    const stored = await record(streamed(chunks))
    expect(stored.response).toEqual({ status: 200, headers: { 'content-type': 'text/event-stream' }, file: expect.stringMatching(/^[0-9a-f]{20}\.stream\.json$/) })
    expect(readdirSync(sidecarDir(file))).toEqual([stored.response.file])
    // One chunk a line: a re-recording diffs like the inline stream did.
    expect(readFileSync(join(sidecarDir(file), stored.response.file!), 'utf8').split('\n').length).toBeGreaterThan(200)
    expect(await readAll(replayResponse(stored, file))).toEqual(chunks)
  })

  test('a sidecar that cannot be written leaves no cassette pointing at it', async () => {
    // A file where the .files folder goes: the sidecar write fails, and it comes before the cassette's.
    mkdirSync(join(file, '..'), { recursive: true })
    writeFileSync(sidecarDir(file), 'in the way')
    await expect(record(streamed(longChunks()))).rejects.toThrow()
    expect(existsSync(file)).toBe(false)
  })

  test('the same stream recorded again gets the same sidecar, however the network split its bytes', () => {
    const first = streamToSidecar(streamed(longChunks()), 4096, [], []).sidecar!
    const text = longChunks().join('')
    const resplit = Array.from({ length: Math.ceil(text.length / 333) }, (_, index) => text.slice(index * 333, (index + 1) * 333))
    const again = streamToSidecar(streamed(resplit), 4096, [], []).sidecar!
    expect(new TextDecoder().decode(again.bytes)).toBe(new TextDecoder().decode(first.bytes))
  })

  test('a Gemini streamed JSON array recorded again gets the same sidecar, however the network split it, and replays the same bytes', async () => {
    // As the REST API writes it without `alt=sse` (test/support/gemini-wire.ts), 150 elements: over 4 KB.
    const elements = Array.from({ length: 150 }, (_, index) => ({ candidates: [{ content: { role: 'model', parts: [{ text: `word${index} ` }] } }] }))
    const text = jsonArrayChunks(elements).join('')
    const gemini = (chunks: string[]): CassetteEntry => ({ ...streamed(chunks), response: { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, chunks } })
    const resplit = (size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, index) => text.slice(index * size, (index + 1) * size))
    const first = streamToSidecar(gemini(resplit(333)), 4096, [], []).sidecar!
    const again = streamToSidecar(gemini(resplit(1000)), 4096, [], []).sidecar!
    expect(sidecarName(again.bytes, again.extension)).toBe(sidecarName(first.bytes, first.extension))
    const stored = await record(gemini(resplit(333)))
    expect((await readAll(replayResponse(stored, file))).join('')).toBe(text)
  })

  test('a stream the app aborted replays its chunks, then the abort, from the sidecar too', async () => {
    const chunks = longChunks().slice(0, 150)
    const stored = await record(streamed(chunks, true))
    const read = readAll(replayResponse(stored, file))
    await expect(read).rejects.toThrow(/aborted/)
  })

  test('a secret in a large streamed answer, split across chunks, is scrubbed in the sidecar as inline', async () => {
    const chunks = longChunks(['the key is ', TOKEN.slice(0, 20), TOKEN.slice(20), ' keep it'])
    const stored = await record(streamed(chunks))
    const sidecar = readFileSync(join(sidecarDir(file), stored.response.file!))
    expect(sidecar.toString()).not.toContain(TOKEN)
    expect(sidecar.toString()).not.toContain(TOKEN.slice(20))
    const replayed = await readAll(replayResponse(stored, file))
    expect(replayed.join('')).toContain('"the key is "')
    expect(replayed.join('')).toContain('[REDACTED]')
    // Inline (under a larger limit), the same recording is stored with the same chunks.
    file = join(mkdtempSync(join(tmpdir(), 'stream-inline-')), 'bot.test.ts.cassette.json')
    const inline = await record(streamed(chunks), 1 << 20)
    expect(inline.response.chunks).toEqual(parseStreamSidecar(sidecar)?.chunks)
  })

  test('a redact rule that would match the sidecar\'s JSON syntax leaves the stream inline, replayable as it would have been', async () => {
    // `[^"\s]+` after the name: in the event it stops at `"`; in the sidecar's text it would take the `\` of `\"`.
    const redact = [{ source: '(?<=account=)[^"\\s]+', flags: '' }]
    const chunks = longChunks(['account=acme-4471'])
    const stored = await record(streamed(chunks), 4096, redact)
    const replayed = (await readAll(replayResponse(stored, file))).join('')
    expect(replayed).toBe(chunks.join('').replace('acme-4471', '[REDACTED]'))
    // A rule that does not change the sidecar's text a second time lets it go to the sidecar.
    file = join(mkdtempSync(join(tmpdir(), 'stream-sidecar-')), 'bot.test.ts.cassette.json')
    const plain = await record(streamed(chunks), 4096, [{ source: 'acme-\\d+', flags: '' }])
    expect(plain.response.file).toMatch(/\.stream\.json$/)
    expect((await readAll(replayResponse(plain, file))).join('')).toBe(replayed)
  })

  test('a redact value the network split across two chunks is scrubbed in the sidecar (scrubbed event by event)', async () => {
    const text = longChunks(['the account is acme-4471, fine']).join('')
    const at = text.indexOf('acme-4471') + 4
    const stored = await record(streamed([text.slice(0, at), text.slice(at)]), 4096, [{ literal: 'acme-4471' }])
    expect(stored.response.file).toMatch(/\.stream\.json$/)
    expect((await readAll(replayResponse(stored, file))).join('')).toBe(text.replace('acme-4471', '[REDACTED]'))
  })

  test('a `redact` literal split across the AWS events of a Bedrock stream is cut out of them', async () => {
    const delta = (text: string) => ({ headers: { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' }, json: { contentBlockIndex: 0, delta: { text } } })
    const entry: CassetteEntry = { ...streamed([]), response: { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream' }, events: [delta('your account is acme-'), delta('4471, fine')] } }
    const stored = await record(entry, 4096, [{ literal: 'acme-4471' }])
    const texts = stored.response.events?.map((event) => (event.json as { delta: { text: string } }).delta.text).join('')
    expect(texts).toBe('your account is [REDACTED], fine')
  })

  test('a live key split across the events of a large stream is refused, as inline', () => {
    const live = { name: 'MY_API_KEY', value: 'zq81-live-value-7731abcd' }
    const entry = streamed(longChunks(['key ', live.value.slice(0, 9), live.value.slice(9)]))
    const moved = streamToSidecar(entry, 4096, [], [])
    expect(moved.sidecar).toBeDefined()
    const store = new CassetteStore(file, { redact: [], secrets: [live] })
    expect(() => store.record(moved.entry, { attempt: {}, occurrence: 0, mode: 'append' }, moved.sidecar, [])).toThrow(SecretLeakError)
  })

  test('a stream sidecar edited by hand fails the replay, naming the cassette entry and the file', () => {
    const dir = sidecarDir(file)
    const entry = { ...streamed([]), response: { status: 200, headers: {}, file: 'abc.stream.json' } }
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'abc.stream.json'), '{"chunks": [1]}')
    expect(() => replayResponse(entry, file)).toThrow(`Cassette ${file}: the stream of test "bot > streams" (call 0) is stored in ${join(dir, 'abc.stream.json')}, which is not a stream sidecar`)
  })

  test('a damaged stream sidecar is fixed by doing what its error says: record again (the damaged file is rewritten)', async () => {
    const chunks = longChunks()
    const stored = await record(streamed(chunks))
    const path = join(sidecarDir(file), stored.response.file!)
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 1000))
    expect(() => replayResponse(stored, file)).toThrow(`Cassette ${file}: the stream of test "bot > streams" (call 0) is stored in ${path}, which is not a stream sidecar`)
    expect(() => replayResponse(stored, file)).toThrow('Restore it from git, or record the test again (`LLM_EVALS_CASSETTES=record`: the recording rewrites the file)')
    // `LLM_EVALS_CASSETTES=record`: the test's recording is replaced.
    const store = new CassetteStore(file, { redact: [], secrets: [] })
    const moved = streamToSidecar({ ...streamed(chunks), meta: { recordedAt: '2026-12-08T00:00:00.000Z', latencyMs: 5 } }, 4096, [], [])
    const token = {}
    store.record(moved.entry, { attempt: token, occurrence: 0, mode: 'replace' }, moved.sidecar)
    store.endAttempt(token)
    store.flush({ final: true })
    expect(await readAll(replayResponse(readCassette(file).entries[0]!, file))).toEqual(chunks)
  })

  test('a missing stream sidecar names the cassette and the file', () => {
    const entry = { ...streamed([]), response: { status: 200, headers: {}, file: 'abc.stream.json' } }
    expect(() => replayResponse(entry, file)).toThrow(`Cassette ${file} refers to ${join(sidecarDir(file), 'abc.stream.json')}, which is missing`)
  })

  test('a stream sidecar is pretty JSON, one chunk a line', () => {
    expect(new TextDecoder().decode(streamSidecarBytes({ chunks: ['a', 'b'], aborted: true }))).toBe('{\n  "chunks": [\n    "a",\n    "b"\n  ],\n  "aborted": true\n}\n')
  })
})
