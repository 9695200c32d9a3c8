import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { costOf, DEFAULT_PRICES } from '../../../reporters/pricing.js'
import { findRecordingSecrets } from '../../../src/cassettes/found-secrets.js'
import { isJsonArrayStream, jsonArrayElements, readTextChunks, redactJsonArrayChunks } from '../../../src/cassettes/json-array-stream.js'
import { readResponse, replayResponse } from '../../../src/cassettes/responses.js'
import { CassetteStore } from '../../../src/cassettes/store.js'
import { streamTexts } from '../../../src/cassettes/stream-text.js'
import { usageFromJson, usageFromStream } from '../../../src/cassettes/usage.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'

const element = (text: string, usage?: Record<string, number>) => ({
  candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0 }],
  ...(usage ? { usageMetadata: usage } : {}),
  modelVersion: 'gemini-2.5-flash',
})
/** As the REST API writes it: pretty-printed elements, `[`, `,` and `]` between writes. */
const arrayChunks = (elements: unknown[]) => [...elements.map((item, index) => `${index === 0 ? '[' : '\r\n,\r\n'}${JSON.stringify(item, null, 2)}`), '\r\n]']
const token = 'ghp_' + 'Zx9'.repeat(12)
const STREAM_URL = 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent'

describe('Gemini usage', () => {
  test('reads usageMetadata of a JSON body, thoughts counted as output', () => {
    expect(usageFromJson(element('hi', { promptTokenCount: 12, candidatesTokenCount: 5, totalTokenCount: 17 }))).toEqual({ inputTokens: 12, outputTokens: 5 })
    expect(usageFromJson({ usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 5, thoughtsTokenCount: 40 } })).toEqual({ inputTokens: 12, outputTokens: 45 })
    expect(usageFromJson({ usageMetadata: { promptTokenCount: 7 } })).toEqual({ inputTokens: 7 })
    expect(usageFromJson({ usageMetadata: {} })).toBeUndefined()
  })

  test('reads the last SSE chunk, whose usageMetadata is complete', () => {
    const chunks = [
      `data: ${JSON.stringify(element('Hel', { promptTokenCount: 9, totalTokenCount: 9 }))}\r\n\r\n`,
      `data: ${JSON.stringify(element('lo', { promptTokenCount: 9, candidatesTokenCount: 2, thoughtsTokenCount: 3, totalTokenCount: 14 }))}\r\n\r\n`,
    ]
    expect(usageFromStream(chunks)).toEqual({ inputTokens: 9, outputTokens: 5 })
  })

  test('reads the last element of a streamed JSON array', () => {
    const chunks = arrayChunks([element('Hel', { promptTokenCount: 4 }), element('lo', { promptTokenCount: 4, candidatesTokenCount: 2 })])
    expect(usageFromStream(chunks)).toEqual({ inputTokens: 4, outputTokens: 2 })
  })

  test('prices Gemini models per 1M tokens, dated and preview names by prefix', () => {
    expect(costOf('gemini-2.5-pro', 1_000_000, 1_000_000, DEFAULT_PRICES)).toBeCloseTo(11.25)
    expect(costOf('gemini-2.5-flash', 1_000_000, 1_000_000, DEFAULT_PRICES)).toBeCloseTo(2.8)
    expect(costOf('gemini-2.5-flash-lite', 1_000_000, 1_000_000, DEFAULT_PRICES)).toBeCloseTo(0.5)
    expect(costOf('gemini-2.5-flash-preview-09-2025', 2_000_000, 0, DEFAULT_PRICES)).toBeCloseTo(0.6)
    expect(costOf('gemini-2.0-flash-001', 1000, 500, DEFAULT_PRICES)).toBeCloseTo(0.0003)
  })
})

describe('streamed JSON arrays', () => {
  test('are recognized by a JSON :streamGenerateContent response without alt=sse', () => {
    const json = new Response('[]', { headers: { 'content-type': 'application/json; charset=UTF-8' } })
    expect(isJsonArrayStream(json, STREAM_URL)).toBe(true)
    expect(isJsonArrayStream(json, `${STREAM_URL}?alt=sse`)).toBe(false)
    expect(isJsonArrayStream(json, STREAM_URL.replace('streamGenerateContent', 'generateContent'))).toBe(false)
    expect(isJsonArrayStream(new Response('[]', { headers: { 'content-type': 'text/event-stream' } }), STREAM_URL)).toBe(false)
  })

  test('parse into elements only when whole', () => {
    const chunks = arrayChunks([element('a'), element('b')])
    expect(jsonArrayElements(chunks)).toEqual([element('a'), element('b')])
    expect(jsonArrayElements(chunks.slice(0, -1))).toBeUndefined()
    expect(jsonArrayElements(['data: {"a":1}\n\n'])).toBeUndefined()
    expect(jsonArrayElements(['[1, 2]'])).toBeUndefined()
  })

  test('are read chunk by chunk as they arrive', async () => {
    const chunks = arrayChunks([element('a'), element('b')])
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
        controller.close()
      },
    })
    expect(await readTextChunks(body)).toEqual(chunks)
  })

  test('are stored as chunks by readResponse when the response carries its URL, other JSON as json', async () => {
    const chunks = arrayChunks([element('a'), element('b')])
    const live = new Response(chunks.join(''), { headers: { 'content-type': 'application/json; charset=UTF-8' } })
    Object.defineProperty(live, 'url', { value: STREAM_URL })
    expect((await readResponse(live, 1024 * 1024)).response).toMatchObject({ chunks: [chunks.join('')] })
    const plain = new Response(JSON.stringify(element('a')), { headers: { 'content-type': 'application/json' } })
    Object.defineProperty(plain, 'url', { value: STREAM_URL.replace('streamGenerateContent', 'generateContent') })
    expect((await readResponse(plain, 1024 * 1024)).response).toMatchObject({ json: element('a') })
  })

  test('spell a secret split across elements for the scan, and have it redacted per element', async () => {
    const chunks = arrayChunks([element(`Your token is ${token.slice(0, 10)}`), element(`${token.slice(10)}, keep it.`)])
    expect(streamTexts(chunks)).toContain(`Your token is ${token}, keep it.`)
    const entry = { test: 't', repeat: 0, call: 0, role: 'app', request: { method: 'POST', path: '/', query: {}, headers: {}, body: null, url: STREAM_URL }, response: { status: 200, headers: {}, chunks }, meta: { recordedAt: '', latencyMs: 0 } } satisfies CassetteEntry
    expect((await findRecordingSecrets(entry)).map((finding) => finding.value)).toContain(token)
    const redacted = redactJsonArrayChunks(chunks, [token]) ?? []
    expect(redacted.join('')).not.toContain(token.slice(0, 10))
    expect(redacted.join('')).not.toContain(token.slice(10))
    expect(jsonArrayElements(redacted)).toEqual([element('Your token is [REDACTED]'), element(', keep it.')])
    expect(redacted).toHaveLength(3)
    expect(redactJsonArrayChunks(chunks, ['absent'])).toEqual(chunks)
    expect(redactJsonArrayChunks(['data: {}\n\n'], [token])).toBeUndefined()
  })

  test('are scrubbed by the store when the scan finds a secret across elements, and replay still streams them', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gemini-')), '__cassettes__', 'a.test.ts.cassette.json')
    const chunks = arrayChunks([element(`Your token is ${token.slice(0, 10)}`), element(`${token.slice(10)}, keep it.`)])
    const entry = { test: 't', repeat: 0, call: 0, role: 'app', request: { method: 'POST', path: '/', query: {}, headers: {}, body: null, url: STREAM_URL }, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks }, meta: { recordedAt: '', latencyMs: 0 } } satisfies CassetteEntry
    const store = new CassetteStore(file, { redact: [], secrets: [] })
    const kept = store.record(entry, { attempt: {}, occurrence: 0, mode: 'append' }, undefined, await findRecordingSecrets(entry))
    store.flush({ final: true })
    expect(readFileSync(file, 'utf8')).not.toContain(token.slice(10))
    expect(jsonArrayElements(kept.response.chunks ?? [])).toEqual([element('Your token is [REDACTED]'), element(', keep it.')])
    const reads: string[] = []
    for await (const chunk of replayResponse(kept, file).body ?? []) reads.push(new TextDecoder().decode(chunk))
    expect(reads).toHaveLength(3)
  })
})
