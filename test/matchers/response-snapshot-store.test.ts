import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { responseSnapshotFile, responseSnapshotPath } from '../../matchers/shared/response-snapshot-store.js'
import { SecretLeakError } from '../../src/errors/index.js'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A response snapshot file holding `responses`, and the test file it belongs to. */
function snapshotFileWith(responses: Record<string, string>): { testFile: string; path: string } {
  dir = mkdtempSync(join(tmpdir(), 'response-snapshots-'))
  const testFile = join(dir, 'bot.test.ts')
  const path = responseSnapshotPath(testFile)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, JSON.stringify({ version: 1, responses }))
  return { testFile, path }
}

describe('response snapshot file', () => {
  test('a response another process stored since the file was read is kept when this one stores its own', () => {
    const { testFile, path } = snapshotFileWith({ a: 'A' })
    const mine = responseSnapshotFile(testFile)
    // Another project running the same test file stores its response meanwhile.
    writeFileSync(path, JSON.stringify({ version: 1, responses: { a: 'A', b: 'B' } }))
    mine.set('c', 'C')
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, responses: { a: 'A', b: 'B', c: 'C' } })
    expect(mine.get('b')).toBe('B')
    expect(readdirSync(dirname(path))).toEqual([basename(path)])
  })

  test('a new response for a key another process stored first is not written over theirs: theirs is returned to compare with', () => {
    const { testFile, path } = snapshotFileWith({})
    const mine = responseSnapshotFile(testFile)
    // A parallel run (or another project) stored its response for the same test first.
    writeFileSync(path, JSON.stringify({ version: 1, responses: { 'greets 1': 'Hello there' } }))
    expect(mine.set('greets 1', 'Goodbye', true)).toBe('Hello there')
    expect(JSON.parse(readFileSync(path, 'utf8')).responses).toEqual({ 'greets 1': 'Hello there' })
    expect(mine.get('greets 1')).toBe('Hello there')
    // No one else had it: stored, nothing returned. An update (`vitest -u`) replaces whatever is there.
    expect(mine.set('greets 2', 'Hi', true)).toBeUndefined()
    expect(mine.set('greets 1', 'Goodbye')).toBeUndefined()
    expect(JSON.parse(readFileSync(path, 'utf8')).responses).toEqual({ 'greets 1': 'Goodbye', 'greets 2': 'Hi' })
  })

  test('refuses to store the value of a live credential variable; the file stays as it was, and later responses are still stored', () => {
    const { testFile, path } = snapshotFileWith({ a: 'A' })
    const before = readFileSync(path, 'utf8')
    vi.stubEnv('SNAPSHOT_TEST_TOKEN', 'live-token-0123456789')
    try {
      expect(() => responseSnapshotFile(testFile).set('b', 'echoed live-token-0123456789')).toThrowError(SecretLeakError)
      expect(readFileSync(path, 'utf8')).toBe(before)
      responseSnapshotFile(testFile).set('c', 'C')
    } finally {
      vi.unstubAllEnvs()
    }
    expect(JSON.parse(readFileSync(path, 'utf8')).responses).toEqual({ a: 'A', c: 'C' })
  })
})
