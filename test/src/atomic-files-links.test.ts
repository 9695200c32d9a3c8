// Files kept in a shared folder and linked beside their tests: every atomic write goes to the file the link points
// to, the link stays a link, and two links to one file take one lock.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { removeStaleTemporaryFiles, rewriteFileAtomic, updateFileAtomic, withFileLock, writeFileAtomic, writeFileAtomicStreamed } from '../../src/atomic-files.js'
import { FileLockError, LlmEvalsError } from '../../src/errors/index.js'
import { appendRun, DEFAULT_RETENTION, readHistory } from '../../src/history/history-file.js'
import { historyRun } from '../reporters/fixtures.js'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A file in a shared folder, and a link to it in the project. */
function linkedFile(name = 'chat.test.ts.cassette.json', content = 'old'): { shared: string; link: string } {
  dir = mkdtempSync(join(tmpdir(), 'atomic-links-'))
  mkdirSync(join(dir, 'shared'))
  mkdirSync(join(dir, 'project'))
  const shared = join(dir, 'shared', name)
  writeFileSync(shared, content)
  const link = join(dir, 'project', name)
  symlinkSync(shared, link)
  return { shared, link }
}

const isLink = (path: string) => lstatSync(path).isSymbolicLink()

describe('writes through a symbolic link', () => {
  test('writeFileAtomic replaces the file the link points to; the link stays, no temporary file is left', () => {
    const { shared, link } = linkedFile()
    writeFileAtomic(link, 'new')
    expect(isLink(link)).toBe(true)
    expect(readlinkSync(link)).toBe(shared)
    expect(readFileSync(shared, 'utf8')).toBe('new')
    expect(readdirSync(join(dir, 'shared'))).toEqual(['chat.test.ts.cassette.json'])
    expect(readdirSync(join(dir, 'project'))).toEqual(['chat.test.ts.cassette.json'])
  })

  test('a relative link, and a link to a link, are followed to the file', () => {
    const { shared, link } = linkedFile()
    rmSync(link)
    symlinkSync('../shared/chat.test.ts.cassette.json', link)
    const second = join(dir, 'project', 'again.json')
    symlinkSync(link, second)
    writeFileAtomic(second, 'through two links')
    expect(isLink(link) && isLink(second)).toBe(true)
    expect(readFileSync(shared, 'utf8')).toBe('through two links')
  })

  test('writeFileAtomicStreamed, rewriteFileAtomic and updateFileAtomic keep the link too', () => {
    const { shared, link } = linkedFile('snapshots.json', '{"a":1}')
    updateFileAtomic(link, (text) => JSON.stringify({ ...JSON.parse(text ?? '{}'), b: 2 }))
    expect(JSON.parse(readFileSync(shared, 'utf8'))).toEqual({ a: 1, b: 2 })
    rewriteFileAtomic(link, (source, write) => {
      if (source !== undefined) write(readFileSync(source))
      write(Buffer.from('\n'))
    })
    expect(readFileSync(shared, 'utf8')).toBe('{"a":1,"b":2}\n')
    writeFileAtomicStreamed(link, (write) => write(Buffer.from('streamed')))
    expect(readFileSync(shared, 'utf8')).toBe('streamed')
    expect(isLink(link)).toBe(true)
  })

  test('the score history rewritten through a link (appendRun) keeps the link and every run', () => {
    const { shared, link } = linkedFile('history.jsonl', '')
    appendRun(link, historyRun('r1', { rouge: 0.9 }))
    appendRun(link, historyRun('r2', { rouge: 0.8 }), DEFAULT_RETENTION, { rewrite: 'always' })
    expect(isLink(link)).toBe(true)
    expect(readHistory(shared).map((run) => run.id)).toEqual(['r1', 'r2'])
  })

  test('two links to one file take one lock: a writer through one waits for a writer through the other', () => {
    const { shared, link } = linkedFile()
    const other = join(dir, 'project', 'other-link.json')
    symlinkSync(shared, other)
    withFileLock(link, () => {
      expect(readdirSync(join(dir, 'shared'))).toContain('chat.test.ts.cassette.json.lock')
      expect(() => withFileLock(other, () => 'raced', 200)).toThrow(FileLockError)
    })
    expect(withFileLock(other, () => 'after')).toBe('after')
    expect(readdirSync(join(dir, 'project')).filter((name) => name.endsWith('.lock'))).toEqual([])
  })

  test('removeStaleTemporaryFiles clears what a killed writer left beside the file the link points to', () => {
    const { link } = linkedFile()
    const left = join(dir, 'shared', '.chat.test.ts.cassette.json.999999999.abcd1234.tmp')
    writeFileSync(left, 'half')
    removeStaleTemporaryFiles(link)
    expect(readdirSync(join(dir, 'shared'))).toEqual(['chat.test.ts.cassette.json'])
  })
})

describe('a link that names no file', () => {
  test('a dangling link is a clear error naming the link, where it points and what to do; nothing is written', () => {
    const { shared, link } = linkedFile()
    rmSync(shared)
    const error = (() => {
      try {
        writeFileAtomic(link, 'new')
      } catch (thrown) {
        return thrown
      }
    })()
    expect(error).toBeInstanceOf(LlmEvalsError)
    expect((error as Error).message).toMatch(/^\[vitest-llm-evals\] Cannot write .*project\/chat\.test\.ts\.cassette\.json: it is a symbolic link to .*shared\/chat\.test\.ts\.cassette\.json, which does not exist/)
    expect((error as Error).message).toContain('ln -sfn')
    expect(isLink(link)).toBe(true)
    expect(readdirSync(join(dir, 'shared'))).toEqual([])
    expect(() => withFileLock(link, () => undefined)).toThrow(/dangling link/)
  })

  test('a loop of links is a clear error', () => {
    const { link } = linkedFile()
    rmSync(link)
    const back = join(dir, 'project', 'back.json')
    symlinkSync(back, link)
    symlinkSync(link, back)
    expect(() => writeFileAtomic(link, 'new')).toThrow(/^\[vitest-llm-evals\] Cannot write .*: its symbolic links form a loop/)
    expect(isLink(link) && isLink(back)).toBe(true)
  })
})
