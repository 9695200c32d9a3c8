// Regression (review repro rside, check-two-links): with two links to one shared cassette (a monorepo: two packages link it), `check` counts a body
// beside the first link as present for the second link too, though replay through the second link cannot read it.
import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { readSidecar, serializeCassette } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { runCheck } from '../../../src/cli/cassettes-command.js'
import { capture, cassetteOf, cliOptions, entry } from './cassette-cli-fixtures.js'

const OLD = 'c3'.repeat(10) + '.stream.json'
const NEW = 'a1'.repeat(10) + '.stream.json'
const inSidecar = (name: string, file: string): CassetteEntry => ({ ...entry(name, 0), response: { status: 200, headers: {}, file } })

test('check reports a body replay through the second link cannot read', async () => {
  const root = mkdtempSync(join(tmpdir(), 'rside-links-'))
  mkdirSync(join(root, 'test', '__cassettes__'), { recursive: true })
  writeFileSync(join(root, 'test', 'bot.test.ts'), '')
  const first = cassetteOf(root)
  writeFileSync(first, serializeCassette({ version: 1, entries: [inSidecar('bot > old answer', OLD), inSidecar('bot > new answer', NEW)] }))
  // An older version stored OLD beside the first link; NEW is beside the shared file.
  mkdirSync(join(root, 'test', '__cassettes__', 'bot.test.ts.cassette.files'))
  writeFileSync(join(root, 'test', '__cassettes__', 'bot.test.ts.cassette.files', OLD), '{"chunks": []}')
  const shared = join(root, 'shared', 'bot.test.ts.cassette.json')
  mkdirSync(join(root, 'shared', 'bot.test.ts.cassette.files'), { recursive: true })
  writeFileSync(join(root, 'shared', 'bot.test.ts.cassette.files', NEW), '{"chunks": []}')
  renameSync(first, shared)
  symlinkSync(shared, first)
  // A second package links the same cassette.
  const second = join(root, 'pkg2', 'test', '__cassettes__', 'bot.test.ts.cassette.json')
  mkdirSync(join(root, 'pkg2', 'test', '__cassettes__'), { recursive: true })
  writeFileSync(join(root, 'pkg2', 'test', 'bot.test.ts'), '')
  symlinkSync(shared, second)

  expect(readSidecar(first, OLD).toString()).toBe('{"chunks": []}')
  let secondReplay = 'read'
  try {
    readSidecar(second, OLD)
  } catch (error) {
    secondReplay = (error as Error).message.slice(0, 160)
  }
  const { code, text } = await capture((print) => runCheck(cliOptions(root), print))
  // Replay through pkg2 cannot read OLD, so check must say so for pkg2's cassette.
  // Check and replay must agree: a body replay cannot read is reported (exit 1, naming pkg2's cassette).
  expect(secondReplay).not.toBe('read')
  expect({ checkCode: code, checkNamesPkg2: /pkg2\/test\/__cassettes__\/bot\.test\.ts\.cassette\.json: /.test(text) }).toEqual({ checkCode: 1, checkNamesPkg2: true })
})
