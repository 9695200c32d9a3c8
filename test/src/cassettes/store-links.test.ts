// A cassette kept in a shared folder and linked beside its test file is written where it is kept: the link stays.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { readCassette, readSidecar, serializeCassette, sidecarDir } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { CassetteStore } from '../../../src/cassettes/store.js'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function entry(test: string, content: string): CassetteEntry {
  return {
    test,
    repeat: 0,
    call: 0,
    role: 'app',
    request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'm', messages: [{ role: 'user', content }] } },
    response: { status: 200, headers: { 'content-type': 'application/json' }, json: { answer: content } },
    meta: { recordedAt: '2026-12-07T00:00:00.000Z', latencyMs: 5 },
  }
}

test('a recording written into a linked cassette goes to the shared file, beside what it held; the link stays', () => {
  dir = mkdtempSync(join(tmpdir(), 'store-links-'))
  mkdirSync(join(dir, 'shared'))
  mkdirSync(join(dir, '__cassettes__'))
  const shared = join(dir, 'shared', 'chat.test.ts.cassette.json')
  writeFileSync(shared, serializeCassette({ version: 1, entries: [entry('kept', 'recorded before')] }))
  const link = join(dir, '__cassettes__', 'chat.test.ts.cassette.json')
  symlinkSync(shared, link)

  const store = new CassetteStore(link, { redact: [], secrets: [] })
  const attempt = {}
  store.record(entry('new', 'recorded now'), { attempt, occurrence: 0, mode: 'append' })
  store.endAttempt(attempt)
  expect(store.flush()).toBe(1)

  expect(lstatSync(link).isSymbolicLink()).toBe(true)
  expect(readCassette(shared).entries.map((each) => each.test)).toEqual(['kept', 'new'])
  // The lock and the temporary file were the shared file's, and are gone.
  expect(readdirSync(join(dir, '__cassettes__'))).toEqual(['chat.test.ts.cassette.json'])
  expect(readdirSync(join(dir, 'shared'))).toEqual(['chat.test.ts.cassette.json'])
})

/** `shared/chat.test.ts.cassette.json` and a link to it in `project`'s `__cassettes__`. */
function linkedCassette(project: string): { shared: string; link: string } {
  const shared = join(dir, 'shared', 'chat.test.ts.cassette.json')
  mkdirSync(join(dir, 'shared'), { recursive: true })
  mkdirSync(join(dir, project, '__cassettes__'), { recursive: true })
  if (!existsSync(shared)) writeFileSync(shared, serializeCassette({ version: 1, entries: [] }))
  const link = join(dir, project, '__cassettes__', 'chat.test.ts.cassette.json')
  symlinkSync(shared, link)
  return { shared, link }
}

test("a linked cassette's sidecar files go beside the shared file, where another project linking it reads them", () => {
  dir = mkdtempSync(join(tmpdir(), 'store-links-'))
  const { shared, link } = linkedCassette('one')
  const store = new CassetteStore(link, { redact: [], secrets: [] })
  const big = new TextEncoder().encode('z'.repeat(500))
  store.record({ ...entry('audio', 'speak'), response: { status: 200, headers: { 'content-type': 'audio/mpeg' } } }, { attempt: {}, occurrence: 0, mode: 'append' }, { bytes: big, extension: 'bin' })
  expect(store.flush({ final: true })).toBe(1)
  const name = readCassette(shared).entries[0]?.response.file ?? ''
  expect(readdirSync(join(dir, 'shared', 'chat.test.ts.cassette.files'))).toEqual([name])
  expect(existsSync(join(dir, 'one', '__cassettes__', 'chat.test.ts.cassette.files'))).toBe(false)
  const other = linkedCassette('two').link
  expect(sidecarDir(other)).toBe(join(dir, 'shared', 'chat.test.ts.cassette.files'))
  expect(readSidecar(other, name).equals(big)).toBe(true)
})

test('sidecar files an older version put beside the link are still read and written there', () => {
  dir = mkdtempSync(join(tmpdir(), 'store-links-'))
  const { link } = linkedCassette('one')
  const besideLink = join(dir, 'one', '__cassettes__', 'chat.test.ts.cassette.files')
  mkdirSync(besideLink)
  writeFileSync(join(besideLink, 'old.bin'), 'old body')
  expect(sidecarDir(link)).toBe(besideLink)
  expect(readSidecar(link, 'old.bin').toString()).toBe('old body')
  expect(sidecarDir(join(dir, 'plain.cassette.json'))).toBe(join(dir, 'plain.cassette.files'))
  // Once another project stored a body beside the shared file, the old one beside the link is still read.
  mkdirSync(join(dir, 'shared', 'chat.test.ts.cassette.files'))
  writeFileSync(join(dir, 'shared', 'chat.test.ts.cassette.files', 'new.bin'), 'new body')
  expect(readSidecar(link, 'old.bin').toString()).toBe('old body')
  expect(readSidecar(link, 'new.bin').toString()).toBe('new body')
})
