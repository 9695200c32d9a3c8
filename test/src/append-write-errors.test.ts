// Regressions: appends the disk refuses mid-write (labels, history in place), and llm-evals import --force's two writes.
// Refusals injected into node:fs as in test/src/file-write-errors.test.ts (root is never refused by permissions).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { FileWriteError } from '../../src/errors/index.js'
import { appendRun } from '../../src/history/history-file.js'
import { appendLabel, readLabels } from '../../src/review/labels-file.js'
import { run as runImport } from '../../src/cli/import-command.js'
import { historyRun } from '../reporters/fixtures.js'

/** writeSync: `short` writes only half of what it is given (a disk that fills during the write), `enospc` then refuses. */
const plan: { writes: ('short' | 'enospc')[]; openRefused?: (path: string) => boolean; truncateRefused?: boolean; renameRefused?: (path: string) => boolean } = { writes: [] }
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const writeSync = (fd: number, data: unknown, ...rest: unknown[]): number => {
    const step = plan.writes.shift()
    if (step === 'enospc') throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 })
    const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as Uint8Array)
    const offset = typeof rest[0] === 'number' && !(typeof data === 'string') ? rest[0] : 0
    const length = typeof rest[1] === 'number' && !(typeof data === 'string') ? rest[1] : bytes.length - offset
    if (step === 'short') return fs.writeSync(fd, bytes, offset, Math.max(1, Math.floor(length / 2)))
    return fs.writeSync(fd, bytes, offset, length)
  }
  const openSync = (path: string, ...rest: unknown[]) => {
    if (plan.openRefused?.(String(path))) throw Object.assign(new Error(`ENOSPC: no space left on device, open '${path}'`), { code: 'ENOSPC', syscall: 'open', path, errno: -28 })
    return (fs.openSync as (...args: unknown[]) => number)(path, ...rest)
  }
  const ftruncateSync = (fd: number, length?: number) => {
    if (plan.truncateRefused) throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO', syscall: 'ftruncate', errno: -5 })
    fs.ftruncateSync(fd, length)
  }
  const renameSync = (from: string, to: string) => {
    if (plan.renameRefused?.(String(to))) throw Object.assign(new Error(`EACCES: permission denied, rename '${from}' -> '${to}'`), { code: 'EACCES', syscall: 'rename', path: from, dest: to, errno: -13 })
    fs.renameSync(from, to)
  }
  const replaced = { writeSync, openSync, ftruncateSync, renameSync }
  return { ...fs, ...replaced, default: { ...fs, ...replaced } }
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rmsg-append-'))
})
afterEach(() => {
  plan.writes = []
  delete plan.openRefused
  delete plan.truncateRefused
  delete plan.renameRefused
  rmSync(dir, { recursive: true, force: true })
})

const caught = (action: () => unknown): unknown => {
  try {
    action()
  } catch (error) {
    return error
  }
  return undefined
}

describe('labels append', () => {
  test('a write the disk refuses (ENOSPC on write, not open) is a FileWriteError naming the labels file', () => {
    const file = join(dir, 'labels.jsonl')
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'pass', by: 'ana' })
    plan.writes = ['enospc']
    const error = caught(() => appendLabel(file, { caseId: 'q2', metric: 'factual', label: 'fail', by: 'ana' }))
    expect(error).toBeInstanceOf(FileWriteError)
  })

  test('a short write (the disk filled during it) is not reported as saved with half a line on disk', () => {
    const file = join(dir, 'labels.jsonl')
    appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'pass', by: 'ana' })
    plan.writes = ['short', 'enospc']
    const error = caught(() => appendLabel(file, { caseId: 'q2', metric: 'factual', label: 'fail', by: 'ana' }))
    const { labels, problems } = readLabels(file)
    // Either the label is saved whole, or the call fails and the file is as it was.
    if (error === undefined) expect(labels.map((label) => label.caseId)).toEqual(['q1', 'q2'])
    else expect(problems).toEqual([])
  })
})

describe('history append in place', () => {
  test('a write refused halfway: the FileWriteError says "Nothing was written: the file on disk is as it was" — is it?', () => {
    const file = join(dir, 'history.jsonl')
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    const before = readFileSync(file, 'utf8')
    plan.writes = ['short', 'enospc']
    const error = caught(() => appendRun(file, historyRun('r2', { rouge: 0.8 })))
    expect(error).toBeInstanceOf(FileWriteError)
    expect((error as Error).message).toContain('Nothing was written')
    expect(readFileSync(file, 'utf8')).toBe(before)
  })

  test('a refused write that cannot be taken back does not claim "Nothing was written"', () => {
    const file = join(dir, 'history.jsonl')
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    plan.writes = ['short', 'enospc']
    plan.truncateRefused = true
    const error = caught(() => appendRun(file, historyRun('r2', { rouge: 0.8 })))
    expect(error).toBeInstanceOf(FileWriteError)
    expect((error as Error).message).not.toContain('Nothing was written')
    expect((error as Error).message).toContain(`the last line of ${file} may be cut off`)
  })
})

describe('llm-evals import --force', () => {
  test('the suite file refused after the dataset was replaced: "Nothing was written", yet the old dataset is gone', async () => {
    const config = join(dir, 'promptfooconfig.yaml')
    writeFileSync(config, 'prompts: ["Answer: {{question}}"]\ntests:\n  - vars: { question: "2+2?" }\n    assert: [{ type: contains, value: "4" }]\n')
    writeFileSync(join(dir, 'imported.jsonl'), '{"my":"hand-labelled row"}\n')
    writeFileSync(join(dir, 'imported.eval.test.ts'), '// my edits\n')
    plan.openRefused = (path) => path.includes('.imported.eval.test.ts.') && path.endsWith('.tmp')
    const error = await runImport(['promptfoo', config, '--out', dir, '--name', 'imported', '--force'], () => {}).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(FileWriteError)
    expect((error as Error).message).toContain('Nothing was written')
    expect(readFileSync(join(dir, 'imported.jsonl'), 'utf8')).toBe('{"my":"hand-labelled row"}\n')
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })
})

describe('llm-evals import --force, a rename refused', () => {
  test('names the file already replaced instead of saying nothing was written', async () => {
    const config = join(dir, 'promptfooconfig.yaml')
    writeFileSync(config, 'prompts: ["Answer: {{question}}"]\ntests:\n  - vars: { question: "2+2?" }\n    assert: [{ type: contains, value: "4" }]\n')
    writeFileSync(join(dir, 'imported.jsonl'), '{"my":"hand-labelled row"}\n')
    writeFileSync(join(dir, 'imported.eval.test.ts'), '// my edits\n')
    plan.renameRefused = (path) => path.endsWith('imported.eval.test.ts')
    const error = await runImport(['promptfoo', config, '--out', dir, '--name', 'imported', '--force'], () => {}).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(FileWriteError)
    expect((error as Error).message).not.toContain('Nothing was written')
    expect((error as Error).message).toContain(`${join(dir, 'imported.jsonl')} was already replaced`)
    expect(readFileSync(join(dir, 'imported.eval.test.ts'), 'utf8')).toBe('// my edits\n')
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })
})
