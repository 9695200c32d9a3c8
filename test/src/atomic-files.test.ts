import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { rewriteFileAtomic, updateFileAtomic, writeFileAtomic, writeFileAtomicStreamed } from '../../src/atomic-files.js'
import { FileLockError, FileWriteError, SecretLeakError } from '../../src/errors/index.js'

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

  test('durable: false replaces the file the same way (rename, no temporary file left), and still refuses a live key', () => {
    const file = join(fresh(), 'report.html')
    writeFileAtomic(file, 'old')
    writeFileAtomic(file, 'new', { durable: false })
    expect(readFileSync(file, 'utf8')).toBe('new')
    expect(readdirSync(dir)).toEqual(['report.html'])
    vi.stubEnv('ATOMIC_DURABLE_TEST_API_KEY', 'live-value-0123456789abc')
    try {
      expect(() => writeFileAtomic(file, 'has live-value-0123456789abc', { durable: false })).toThrow(SecretLeakError)
    } finally {
      vi.unstubAllEnvs()
    }
    expect(readFileSync(file, 'utf8')).toBe('new')
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

describe('rewriteFileAtomic', () => {
  const copyThenAdd = (added: string) => (source: number | undefined, write: (bytes: Uint8Array) => void) => {
    if (source !== undefined) write(readFileSync(source))
    write(Buffer.from(added))
  }

  test('a file changed in place between the read and the rename is read again: the other writer\'s line is kept', () => {
    const file = join(fresh(), 'history.jsonl')
    writeFileSync(file, 'run-1\n')
    let attempts = 0
    rewriteFileAtomic(file, (source, write) => {
      copyThenAdd('ours\n')(source, write)
      // Another writer (without the lock, or one whose lock was taken over) appends meanwhile.
      if (attempts++ === 0) appendFileSync(file, 'theirs\n')
    })
    expect(attempts).toBe(2)
    expect(readFileSync(file, 'utf8')).toBe('run-1\ntheirs\nours\n')
    expect(readdirSync(dir)).toEqual(['history.jsonl'])
  })

  test('a file replaced (renamed over) or created meanwhile is read again too', () => {
    const file = join(fresh(), 'history.jsonl')
    let attempts = 0
    rewriteFileAtomic(file, (source, write) => {
      copyThenAdd('ours\n')(source, write)
      if (attempts === 0) writeFileAtomic(file, 'created\n')
      if (attempts === 1) writeFileAtomic(file, 'created\nreplaced\n')
      attempts++
    })
    expect(attempts).toBe(3)
    expect(readFileSync(file, 'utf8')).toBe('created\nreplaced\nours\n')
  })

  test('a temporary copy removed by a process that took the lock over is written again', () => {
    const file = join(fresh(), 'history.jsonl')
    writeFileSync(file, 'run-1\n')
    let attempts = 0
    rewriteFileAtomic(file, (source, write) => {
      copyThenAdd('ours\n')(source, write)
      if (attempts++ === 0) for (const name of readdirSync(dir)) if (name.endsWith('.tmp')) rmSync(join(dir, name))
    })
    expect(attempts).toBe(2)
    expect(readFileSync(file, 'utf8')).toBe('run-1\nours\n')
  })

  test('a file that keeps changing fails after the attempts with a FileLockError; what the other program wrote stays', () => {
    const file = join(fresh(), 'history.jsonl')
    writeFileSync(file, 'run-1\n')
    let attempts = 0
    let message = ''
    try {
      rewriteFileAtomic(file, (source, write) => {
        copyThenAdd('ours\n')(source, write)
        appendFileSync(file, `theirs-${++attempts}\n`)
      })
    } catch (error) {
      expect(error).toBeInstanceOf(FileLockError)
      message = (error as Error).message.replaceAll(dir, '<dir>')
    }
    expect(message).toMatchInlineSnapshot(`"[vitest-llm-evals] <dir>/history.jsonl was changed by another program every time it was rewritten (5 attempts); it was left as that program wrote it, and this write was not made. Something writes the file without its lock (an older vitest-llm-evals, a script, an editor, a sync tool): stop it, then run again."`)
    expect(readFileSync(file, 'utf8')).toBe('run-1\ntheirs-1\ntheirs-2\ntheirs-3\ntheirs-4\ntheirs-5\n')
    expect(readdirSync(dir)).toEqual(['history.jsonl'])
  })
})

describe('updateFileAtomic', () => {
  test('merges into the text on disk at the moment of the rename', () => {
    const file = join(fresh(), 'report.json')
    writeFileSync(file, '{"a":1}')
    const seen: (string | undefined)[] = []
    updateFileAtomic(file, (text) => {
      seen.push(text)
      if (seen.length === 1) writeFileAtomic(file, '{"a":1,"b":2}')
      return JSON.stringify({ ...(JSON.parse(text ?? '{}') as object), c: 3 })
    })
    expect(seen).toEqual(['{"a":1}', '{"a":1,"b":2}'])
    expect(readFileSync(file, 'utf8')).toBe('{"a":1,"b":2,"c":3}')
  })

  test('refuses the value of a live credential variable and leaves the file as it was', () => {
    const file = join(fresh(), 'report.json')
    writeFileSync(file, '{"a":1}')
    vi.stubEnv('LLM_EVALS_TEST_TOKEN', 'guarded-value-0123456789')
    try {
      expect(() => updateFileAtomic(file, () => '{"leak":"guarded-value-0123456789"}')).toThrowError(SecretLeakError)
    } finally {
      vi.unstubAllEnvs()
    }
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}')
    expect(readdirSync(dir)).toEqual(['report.json'])
  })

  test('refuses a file that is not UTF-8, naming its line, and leaves it as it was (no U+FFFD written for good)', () => {
    const file = join(fresh(), 'report.json')
    const latin1 = Buffer.from('{\n"a": "caf\xe9"\n}', 'latin1')
    writeFileSync(file, latin1)
    const update = vi.fn((text: string | undefined) => text ?? '')
    expect(() => updateFileAtomic(file, update)).toThrowError(`[vitest-llm-evals] Cannot update ${file}: line 2 is not UTF-8`)
    expect(() => updateFileAtomic(file, update)).toThrowError(FileWriteError)
    expect(update).not.toHaveBeenCalled()
    expect(readFileSync(file).equals(latin1)).toBe(true)
    expect(readdirSync(dir)).toEqual(['report.json'])
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
