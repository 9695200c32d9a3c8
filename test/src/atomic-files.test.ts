import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { withFileLock, writeFileAtomic, writeFileAtomicStreamed } from '../../src/atomic-files.js'
import { FileLockError } from '../../src/errors/index.js'

let dir: string
const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'atomic-files-')))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('writeFileAtomic', () => {
  test('replaces the file, creating its folder, and leaves no temporary file', () => {
    const file = join(fresh(), 'nested', 'a.json')
    writeFileAtomic(file, 'one')
    writeFileAtomic(file, new TextEncoder().encode('two'))
    expect(readFileSync(file, 'utf8')).toBe('two')
    expect(readdirSync(join(dir, 'nested'))).toEqual(['a.json'])
  })
})

describe('writeFileAtomicStreamed', () => {
  test('writes pieces larger and smaller than its buffer in order', () => {
    const file = join(fresh(), 'history.jsonl')
    const big = 'x'.repeat((1 << 20) + 7)
    writeFileAtomicStreamed(file, (write) => {
      write(Buffer.from('first\n'))
      write(Buffer.from(big))
      write(Buffer.from('\nlast\n'))
    })
    expect(readFileSync(file, 'utf8')).toBe(`first\n${big}\nlast\n`)
    expect(readdirSync(dir)).toEqual(['history.jsonl'])
  })

  test('a producer that throws leaves the old file as it was and no temporary file', () => {
    const file = join(fresh(), 'history.jsonl')
    writeFileSync(file, 'old\n')
    expect(() =>
      writeFileAtomicStreamed(file, (write) => {
        write(Buffer.from('half of the new'))
        throw new Error('disk full')
      }),
    ).toThrow('disk full')
    expect(readFileSync(file, 'utf8')).toBe('old\n')
    expect(readdirSync(dir)).toEqual(['history.jsonl'])
  })
})

describe('withFileLock', () => {
  const lockedFile = () => join(fresh(), 'history.jsonl')

  test('waits for a lock held by a live process, then fails naming it; the lock stays', () => {
    const file = lockedFile()
    writeFileSync(`${file}.lock`, `${process.pid} ${hostname()} someone-else`)
    expect(() => withFileLock(file, () => 'ran', 100)).toThrowError(FileLockError)
    expect(() => withFileLock(file, () => 'ran', 100)).toThrowError(new RegExp(`held by process ${process.pid} on ${hostname()}.*delete the lock file`))
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(`${process.pid} ${hostname()} someone-else`)
  })

  test('takes over at once a lock whose owner no longer runs, and removes it after', () => {
    const file = lockedFile()
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout
    writeFileSync(`${file}.lock`, `${gone} ${hostname()} killed-writer`)
    expect(withFileLock(file, () => readFileSync(`${file}.lock`, 'utf8'), 100)).toMatch(new RegExp(`^${process.pid} `))
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  test('takes over a lock older than two minutes whatever its owner', () => {
    const file = lockedFile()
    writeFileSync(`${file}.lock`, '')
    utimesSync(`${file}.lock`, new Date(Date.now() - 180_000), new Date(Date.now() - 180_000))
    expect(withFileLock(file, () => 'ran', 100)).toBe('ran')
  })

  test('never removes a lock it no longer owns', () => {
    const file = lockedFile()
    withFileLock(file, () => writeFileSync(`${file}.lock`, `${process.pid} ${hostname()} taken-over`))
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(`${process.pid} ${hostname()} taken-over`)
  })
})

describe('the guard of every file written', () => {
  test('refuses to write the value of a live credential variable and leaves the file as it was', () => {
    const file = join(fresh(), 'summary.json')
    writeFileAtomic(file, '{"before":true}')
    process.env.LLM_EVALS_TEST_TOKEN = 'guarded-value-0123456789'
    try {
      expect(() => writeFileAtomic(file, '{"leak":"guarded-value-0123456789"}')).toThrowError(/it would contain the value of LLM_EVALS_TEST_TOKEN/)
    } finally {
      delete process.env.LLM_EVALS_TEST_TOKEN
    }
    expect(readFileSync(file, 'utf8')).toBe('{"before":true}')
  })
})
