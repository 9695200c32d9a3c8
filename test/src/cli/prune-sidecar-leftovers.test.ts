// Regression (review repro rside, prune-leftovers): prune and the `.files` folder.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, expect, test } from 'vitest'
import { serializeCassette, sidecarDir } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { runPrune } from '../../../src/cli/prune-command.js'
import { capture, cassetteOf, cliOptions, entry, writeUsage } from './cassette-cli-fixtures.js'

const KEPT = 'b2'.repeat(10) + '.json'
const OLD = 'c3'.repeat(10) + '.json'
const inSidecar = (name: string, file: string): CassetteEntry => ({ ...entry(name, 0), response: { status: 200, headers: {}, file } })
let root: string

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rside-prune-'))
  mkdirSync(join(root, 'test', '__cassettes__'), { recursive: true })
  writeFileSync(join(root, 'test', 'bot.test.ts'), '')
})

test('a temporary file a killed sidecar write left in the .files folder is removed by prune', async () => {
  writeFileSync(cassetteOf(root), serializeCassette({ version: 1, entries: [inSidecar('bot > plain', KEPT)] }))
  mkdirSync(sidecarDir(cassetteOf(root)), { recursive: true })
  writeFileSync(join(sidecarDir(cassetteOf(root)), KEPT), '{}')
  // writeFileAtomic's temporary name for the sidecar (atomic-files.ts temporaryFor), of a writer that was killed.
  const leftover = `.${OLD}.999999.0a1b2c3d.tmp`
  writeFileSync(join(sidecarDir(cassetteOf(root)), leftover), '{"partial":')
  writeUsage(root, { used: [{ test: 'bot > plain', repeat: 0, call: 0 }] })
  await capture((print) => runPrune(cliOptions(root), print))
  expect(readdirSync(sidecarDir(cassetteOf(root)))).toEqual([KEPT])
})

test('a file (not a folder) where the .files folder goes: prune reports it, it does not crash with a bare ENOTDIR', async () => {
  writeFileSync(cassetteOf(root), serializeCassette({ version: 1, entries: [entry('bot > plain', 0)] }))
  writeFileSync(sidecarDir(cassetteOf(root)), 'in the way')
  writeUsage(root, { used: [{ test: 'bot > plain', repeat: 0, call: 0 }] })
  let outcome: string
  try {
    outcome = `exit ${(await capture((print) => runPrune(cliOptions(root), print))).code}`
  } catch (error) {
    outcome = (error as Error).message
  }
  expect(outcome).not.toMatch(/^ENOTDIR/)
  expect(outcome).toMatch(/^\[vitest-llm-evals\] .*is not a folder/)
})
