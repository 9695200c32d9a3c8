import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { writeFileAtomic, writeFileAtomicStreamed } from '../../src/atomic-files.js'

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
