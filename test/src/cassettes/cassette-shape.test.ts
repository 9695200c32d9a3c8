import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, test } from 'vitest'
import { readCassette } from '../../../src/cassettes/cassette-file.js'
import { cassetteSchema } from '../../../src/cassettes/cassette-schema.js'
import { isPlainCassette } from '../../../src/cassettes/cassette-shape.js'
import { CassetteError } from '../../../src/errors/index.js'

const entry = () => ({
  test: 'suite > case q1',
  repeat: 0,
  call: 0,
  role: 'app',
  key: 'fd085b965dc58206',
  request: { method: 'POST', url: 'https://api.openai.com/v1/chat/completions', path: '/v1/chat/completions', query: { a: '1', b: ['2', '3'] }, headers: { 'anthropic-beta': 'x' }, body: { model: 'm' } },
  response: {
    status: 200,
    statusText: 'OK',
    headers: { 'content-type': 'application/json' },
    json: { answer: 1 },
    text: 't',
    chunks: ['data: 1\n\n'],
    events: [{ headers: { ':event-type': 'chunk', n: { type: 'long', value: '5' }, b: { type: 'bool', value: true }, i: { type: 'int', value: 3 } }, json: {}, text: 'x', base64: 'AA==', bytesJson: true }],
    file: 'abc.bin',
  },
  meta: { recordedAt: '2026-12-06T00:00:00.000Z', latencyMs: 12.5, usage: { inputTokens: 1, outputTokens: 2 } },
})
const tool = () => ({
  test: 't',
  repeat: 0,
  call: 0,
  name: 'search',
  key: 'k',
  occurrence: 0,
  args: { q: 1 },
  result: [1],
  error: { name: 'Error', message: 'm', code: 'ENOENT' },
  meta: { recordedAt: 'x', latencyMs: 1 },
})
const unrecorded = () => ({ test: 't', project: 'p', repeat: 0, key: 'fd085b965dc58206', occurrence: 1, method: 'POST', path: '/v1/chat/completions', reason: 'app-abort', detail: 'TimeoutError', at: 'x', mode: 'auto' })
const documentWith = (change: (document: { version: unknown; entries: Record<string, unknown>[]; tools?: Record<string, unknown>[]; unrecorded?: Record<string, unknown>[] }) => void) => {
  const document = { version: 1 as unknown, entries: [entry(), entry()] as unknown as Record<string, unknown>[], tools: [tool()] as unknown as Record<string, unknown>[], unrecorded: [unrecorded()] as Record<string, unknown>[] }
  change(document)
  return JSON.parse(JSON.stringify(document)) as unknown
}

type Part = Record<string, unknown>
const at = (document: { entries: Part[] }, ...path: string[]): Part => path.reduce((part, name) => part[name] as Part, document.entries[1] as Part)

/** Damages one field each: wrong types, out-of-range numbers, unknown fields, nulls where a field is optional. */
const mutations: [string, Parameters<typeof documentWith>[0]][] = [
  ['nothing', () => undefined],
  ['no tools', (d) => delete d.tools],
  ['no unrecorded calls', (d) => delete d.unrecorded],
  ['an unrecorded call of an unknown reason', (d) => (d.unrecorded![0]!['reason'] = 'lost')],
  ['an unrecorded call without a key', (d) => delete d.unrecorded![0]!['key']],
  ['an unrecorded call with a response', (d) => (d.unrecorded![0]!['response'] = { status: 200 })],
  ['an unrecorded call with a negative occurrence', (d) => (d.unrecorded![0]!['occurrence'] = -1)],
  ['unrecorded not an array', (d) => ((d as { unrecorded: unknown }).unrecorded = {})],
  ['version 2', (d) => (d.version = 2)],
  ['entries not an array', (d) => ((d as { entries: unknown }).entries = {})],
  ['an unknown top-level field', (d) => ((d as Part)['extra'] = 1)],
  ['test a number', (d) => (at(d)['test'] = 1)],
  ['repeat negative', (d) => (at(d)['repeat'] = -1)],
  ['call fractional', (d) => (at(d)['call'] = 1.5)],
  ['call beyond safe integers', (d) => (at(d)['call'] = 2 ** 60)],
  ['role unknown', (d) => (at(d)['role'] = 'user')],
  ['key null', (d) => (at(d)['key'] = null)],
  ['no key', (d) => delete at(d)['key']],
  ['an unknown entry field', (d) => (at(d)['note'] = 'hand-written')],
  ['request missing', (d) => delete at(d)['request']],
  ['url missing', (d) => delete at(d, 'request')['url']],
  ['query value a number', (d) => (at(d, 'request', 'query')['a'] = 1)],
  ['query list with a number', (d) => (at(d, 'request', 'query')['b'] = ['1', 2])],
  ['query an array', (d) => (at(d, 'request')['query'] = [])],
  ['header value null', (d) => (at(d, 'request', 'headers')['x'] = null)],
  ['no body', (d) => delete at(d, 'request')['body']],
  ['body null', (d) => (at(d, 'request')['body'] = null)],
  ['an unknown request field', (d) => (at(d, 'request')['host'] = 'h')],
  ['status a string', (d) => (at(d, 'response')['status'] = '200')],
  ['status fractional', (d) => (at(d, 'response')['status'] = 200.5)],
  ['statusText null', (d) => (at(d, 'response')['statusText'] = null)],
  ['response headers missing', (d) => delete at(d, 'response')['headers']],
  ['response header a number', (d) => (at(d, 'response', 'headers')['content-length'] = 5)],
  ['json null', (d) => (at(d, 'response')['json'] = null)],
  ['chunks with a number', (d) => (at(d, 'response')['chunks'] = ['a', 1])],
  ['chunks a string', (d) => (at(d, 'response')['chunks'] = 'a')],
  ['event header value an array', (d) => ((at(d, 'response')['events'] as Part[])[0]!['headers'] = { a: [] })],
  ['event header typed value null', (d) => ((at(d, 'response')['events'] as Part[])[0]!['headers'] = { a: { type: 'x', value: null } })],
  ['event header with an unknown field', (d) => ((at(d, 'response')['events'] as Part[])[0]!['headers'] = { a: { type: 'x', value: 1, extra: 1 } })],
  ['bytesJson false', (d) => ((at(d, 'response')['events'] as Part[])[0]!['bytesJson'] = false)],
  ['an unknown event field', (d) => ((at(d, 'response')['events'] as Part[])[0]!['raw'] = '')],
  ['file a number', (d) => (at(d, 'response')['file'] = 1)],
  ['an unknown response field', (d) => (at(d, 'response')['cookies'] = [])],
  ['meta missing', (d) => delete at(d)['meta']],
  ['latency a string', (d) => (at(d, 'meta')['latencyMs'] = '5')],
  ['usage tokens a string', (d) => (at(d, 'meta', 'usage')['inputTokens'] = '5')],
  ['an unknown usage field', (d) => (at(d, 'meta', 'usage')['cost'] = 1)],
  ['an unknown meta field', (d) => (at(d, 'meta')['host'] = 'h')],
  ['tool occurrence negative', (d) => (d.tools![0]!['occurrence'] = -1)],
  ['tool error code an object', (d) => ((d.tools![0]!['error'] as Part)['code'] = {})],
  ['tool error without message', (d) => delete (d.tools![0]!['error'] as Part)['message']],
  ['no tool result or error', (d) => (delete d.tools![0]!['error'], delete d.tools![0]!['result'])],
  ['an unknown tool field', (d) => (d.tools![0]!['extra'] = 1)],
  ['an unknown tool meta field', (d) => ((d.tools![0]!['meta'] as Part)['usage'] = {})],
  ['tools not an array', (d) => ((d as { tools: unknown }).tools = {})],
]

describe('isPlainCassette', () => {
  test.each(mutations)('accepts only what the zod schema returns unchanged: %s', (_name, change) => {
    const raw = documentWith(change)
    const parsed = cassetteSchema().safeParse(raw)
    const unchanged = parsed.success && isDeepStrictEqual(parsed.data, raw)
    expect(isPlainCassette(raw)).toBe(unchanged)
  })

  test('accepts a cassette as the library writes it, with every optional field absent', () => {
    const minimal = { test: 't', repeat: 0, call: 0, role: 'judge', request: { url: 'u', method: 'GET', path: '/', query: {}, headers: {}, body: null }, response: { status: 500, headers: {} }, meta: { recordedAt: 'x', latencyMs: 0 } }
    expect(isPlainCassette({ version: 1, entries: [minimal] })).toBe(true)
    expect(isPlainCassette({ version: 1, entries: [] })).toBe(true)
  })
})

describe('readCassette', () => {
  const write = (document: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'shape-')), 'a.test.ts.cassette.json')
    writeFileSync(file, JSON.stringify(document))
    return file
  }

  test('names the file, the entry and the field of a broken entry, and how to fix it', () => {
    const file = write(documentWith((d) => (at(d, 'response')['status'] = '200')))
    expect(() => readCassette(file)).toThrowError(CassetteError)
    expect(() => readCassette(file)).toThrowError(
      `Cannot read cassette ${file}: entries.1.response.status (test "suite > case q1"): Invalid input: expected number, received string. It was written by another version or edited by hand; restore it from git or delete it and re-record.`,
    )
  })

  test('returns a well-formed cassette as written, and drops fields it does not know, as before', () => {
    const raw = documentWith(() => undefined) as { entries: unknown[] }
    expect(readCassette(write(raw))).toEqual(raw)
    // A cassette written before unrecorded calls were kept loads as one without them.
    expect(readCassette(write(documentWith((d) => delete d.unrecorded))).unrecorded).toEqual([])
    const extended = documentWith((d) => (at(d, 'meta')['host'] = 'h'))
    expect(readCassette(write(extended)).entries[1]?.meta).toEqual(entry().meta)
    expect(readCassette(write({ version: 1, entries: [] })).tools).toEqual([])
  })
})
