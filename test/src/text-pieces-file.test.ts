import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { writeFileAtomic } from '../../src/atomic-files.js'
import { writeTextPiecesAtomic } from '../../src/text-pieces-file.js'
import { SecretLeakError } from '../../src/errors/index.js'

let dir: string
const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'text-pieces-')))
afterEach(() => {
  vi.unstubAllEnvs()
  rmSync(dir, { recursive: true, force: true })
})

const secret = { name: 'PIECES_TEST_API_KEY', value: 'live-"value"-0123456789abc' }
const refusal = (write: () => void): string => {
  try {
    write()
  } catch (error) {
    expect(error).toBeInstanceOf(SecretLeakError)
    return (error as Error).message
  }
  throw new Error('the write was not refused')
}

describe('writeTextPiecesAtomic', () => {
  test('writes the pieces in order, durable or not, and leaves no temporary file', () => {
    const file = join(fresh(), 'summary.json')
    writeTextPiecesAtomic(file, () => ['{\n', 'ünï', 'x'.repeat((1 << 20) + 3), '\n}\n'], {}, [secret])
    expect(readFileSync(file, 'utf8')).toBe(`{\nünï${'x'.repeat((1 << 20) + 3)}\n}\n`)
    writeTextPiecesAtomic(file, () => ['new'], { durable: false }, [])
    expect(readFileSync(file, 'utf8')).toBe('new')
    expect(readdirSync(dir)).toEqual(['summary.json'])
  })

  test("refuses a live key's value in a piece, or cut across pieces in any of its written forms, as writeFileAtomic does", () => {
    const file = join(fresh(), 'summary.json')
    writeTextPiecesAtomic(file, () => ['old'], {}, [])
    const text = `{\n  "a": 1,\n  "b": "${JSON.stringify(secret.value).slice(1, -1)}"\n}\n`
    vi.stubEnv(secret.name, secret.value)
    const message = refusal(() => writeFileAtomic(file, text))
    expect(message).toContain('(line 3)')
    const at = text.indexOf('-0123')
    for (const pieces of [[text], [text.slice(0, at), text.slice(at)], text.split('')]) {
      // The value only as JSON writes it ("live-\"value\"-…"), cut in two or one character a piece.
      expect(refusal(() => writeTextPiecesAtomic(file, () => pieces))).toBe(message)
    }
    expect(readFileSync(file, 'utf8')).toBe('old')
    expect(readdirSync(dir)).toEqual(['summary.json'])
  })
})
