// A write the disk or the permissions refuse (a cassettes folder the user cannot write, a read-only mount, a full
// disk) is a FileWriteError that names the file, the path that failed and the fix, and leaves the old file and no
// temporary file behind. The refusals are injected into node:fs (a root user, as in CI containers, is never refused
// by permissions); a folder in the way (EISDIR, ENOTDIR) is real.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { removeStaleTemporaryFiles, rewriteFileAtomic, updateFileAtomic, withFileLock, writeFileAtomic, writeFileAtomicStreamed } from '../../src/atomic-files.js'
import { FileWriteError } from '../../src/errors/index.js'
import { appendRun } from '../../src/history/history-file.js'
import { appendLabel } from '../../src/review/labels-file.js'
import { run as runImport } from '../../src/cli/import-command.js'
import { historyRun } from '../reporters/fixtures.js'
import { finishRun } from '../../reporters/history-store.js'

/** The next matching fs call fails with this code (Node's own error shape: code, syscall, path). */
const refusal: { syscall?: string; code?: string; when?: (path: string) => boolean } = {}
const refuse = (syscall: string, code: string, when: (path: string) => boolean = () => true) => Object.assign(refusal, { syscall, code, when })
function check(syscall: string, path: unknown): void {
  if (refusal.syscall !== syscall || !refusal.code || !refusal.when?.(String(path))) return
  const error = Object.assign(new Error(`${refusal.code}: refused, ${syscall} '${String(path)}'`), { code: refusal.code, syscall, path: String(path), errno: -13 })
  throw error
}

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  return {
    ...fs,
    openSync: (path: string, ...rest: unknown[]) => (check('open', path), (fs.openSync as (...args: unknown[]) => number)(path, ...rest)),
    writeFileSync: (path: unknown, ...rest: unknown[]) => (check(typeof path === 'number' ? 'write' : 'open', path), (fs.writeFileSync as (...args: unknown[]) => void)(path, ...rest)),
    fsyncSync: (fd: number) => (check('fsync', fd), fs.fsyncSync(fd)),
    renameSync: (from: string, to: string) => (check('rename', from), fs.renameSync(from, to)),
    mkdirSync: (path: string, ...rest: unknown[]) => (check('mkdir', path), (fs.mkdirSync as (...args: unknown[]) => unknown)(path, ...rest)),
    readdirSync: (path: string, ...rest: unknown[]) => (check('scandir', path), (fs.readdirSync as (...args: unknown[]) => unknown)(path, ...rest)),
  }
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'write-errors-'))
})
afterEach(() => {
  for (const key of Object.keys(refusal)) delete refusal[key as keyof typeof refusal]
  rmSync(dir, { recursive: true, force: true })
})

function caught(action: () => unknown): FileWriteError {
  let error: unknown
  try {
    action()
  } catch (thrown) {
    error = thrown
  }
  expect(error).toBeInstanceOf(FileWriteError)
  return error as FileWriteError
}

describe('a refused write is a FileWriteError that says what, where and how, and loses nothing', () => {
  test('an unwritable cassettes folder: names the cassette, the folder, chmod and cassettes.dir; the old cassette stays, no temporary file', () => {
    const cassette = join(dir, '__cassettes__', 'bot.test.ts.cassette.json')
    writeFileAtomic(cassette, '{"old":true}')
    refuse('open', 'EACCES', (path) => path.endsWith('.tmp'))
    const error = caught(() => writeFileAtomic(cassette, '{"new":true}'))
    expect(error.message).toMatch(/^\[vitest-llm-evals\] Cannot write the cassette /)
    expect(error.message).toContain(`${cassette}: permission denied (EACCES) creating a new file in ${join(dir, '__cassettes__')}.`)
    expect(error.message).toContain(`\`chmod u+w ${join(dir, '__cassettes__')}\``)
    expect(error.message).toContain('cassettes: { dir:')
    expect(readFileSync(cassette, 'utf8')).toBe('{"old":true}')
    expect(readdirSync(join(dir, '__cassettes__'))).toEqual(['bot.test.ts.cassette.json'])
  })

  test('a folder that cannot be created: names the nearest folder there is', () => {
    const cassette = join(dir, 'evals', '__cassettes__', 'bot.test.ts.cassette.json')
    refuse('mkdir', 'EACCES')
    const error = caught(() => writeFileAtomic(cassette, '{}'))
    expect(error.message).toContain(`creating the folder ${join(dir, 'evals', '__cassettes__')}.`)
    expect(error.message).toContain(`\`chmod u+w ${dir}\``)
  })

  test('the lock cannot be created: names its lock file', () => {
    const history = join(dir, '.evals', 'history.jsonl')
    mkdirSync(join(dir, '.evals'))
    refuse('open', 'EACCES', (path) => path.endsWith('.lock'))
    const error = caught(() => withFileLock(history, () => 1))
    expect(error.message).toContain(`Cannot write the score history ${history}: permission denied (EACCES) creating its lock file ${history}.lock.`)
    expect(error.message).toContain('history: { file:')
  })

  test('an action that fails under the lock keeps its own error', () => {
    const mine = new Error('mine')
    expect(() => withFileLock(join(dir, 'a.json'), () => { throw mine })).toThrow(mine)
  })

  test('an unwritable usage-report folder: names the report and the cache folder to delete', () => {
    const report = join(dir, 'node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage', '0123456789abcdef.json')
    refuse('mkdir', 'EACCES')
    const error = caught(() => writeFileAtomic(report, '{}'))
    expect(error.message).toContain('Cannot write the cassette usage report')
    expect(error.message).toContain('node_modules/.cache/vitest-llm-evals')
  })

  test('an unreadable usage-report folder (stale temporary files cannot be listed): a FileWriteError naming it', () => {
    const report = join(dir, 'cassette-usage', 'a.json')
    writeFileAtomic(report, '{}')
    refuse('scandir', 'EACCES')
    const error = caught(() => removeStaleTemporaryFiles(report))
    expect(error.message).toContain(`listing the folder ${join(dir, 'cassette-usage')}`)
  })

  test('a symbolic link whose target folder is unwritable: names the link, its target, and the target folder', () => {
    mkdirSync(join(dir, 'shared'))
    mkdirSync(join(dir, '__cassettes__'))
    const target = join(dir, 'shared', 'bot.test.ts.cassette.json')
    writeFileSync(target, '{"old":true}')
    const link = join(dir, '__cassettes__', 'bot.test.ts.cassette.json')
    symlinkSync(target, link)
    refuse('open', 'EACCES', (path) => path.endsWith('.tmp'))
    const error = caught(() => writeFileAtomic(link, '{"new":true}'))
    expect(error.message).toContain(`Cannot write the cassette ${link} (a symbolic link to ${target}): permission denied (EACCES) creating a new file in ${join(dir, 'shared')}.`)
    expect(readFileSync(target, 'utf8')).toBe('{"old":true}')
    expect(readdirSync(join(dir, 'shared'))).toEqual(['bot.test.ts.cassette.json'])
  })

  test.each([
    ['EROFS', 'the file system is read-only', 'read-only mount'],
    ['ENOSPC', 'the disk is full', 'Free space on the disk'],
    ['EDQUOT', 'the disk quota is exceeded', 'Free space on the disk'],
  ])('%s while writing: says so and how to fix it; the old file stays, no temporary file', (code, said, fix) => {
    const file = join(dir, 'labels.jsonl')
    writeFileAtomic(file, 'old\n')
    refuse('write', code)
    const error = caught(() => writeFileAtomic(file, 'new\n'))
    expect(error.message).toContain(`${said} (${code})`)
    expect(error.message).toContain(fix)
    expect(readFileSync(file, 'utf8')).toBe('old\n')
    expect(readdirSync(dir)).toEqual(['labels.jsonl'])
  })

  test('a failed flush or rename in each writer: the old file stays and no temporary file is left', () => {
    const file = join(dir, 'history.jsonl')
    writeFileAtomic(file, 'old\n')
    refuse('fsync', 'ENOSPC')
    caught(() => writeFileAtomicStreamed(file, (write) => write(Buffer.from('new\n'))))
    refuse('rename', 'EACCES')
    const renamed = caught(() => rewriteFileAtomic(file, (_source, write) => write(Buffer.from('new\n'))))
    expect(renamed.message).toContain(`replacing ${file} with the new copy`)
    caught(() => updateFileAtomic(file, () => 'new\n'))
    expect(readFileSync(file, 'utf8')).toBe('old\n')
    expect(readdirSync(dir)).toEqual(['history.jsonl'])
  })
})

describe('a path in the way (real, whoever runs the tests)', () => {
  test('a folder where the file should be (EISDIR): says to move it', () => {
    const file = join(dir, 'summary.json')
    mkdirSync(file)
    const error = caught(() => writeFileAtomic(file, '{}'))
    expect(error.message).toContain(`Cannot write the report ${file}: a folder is in the way (EISDIR)`)
    expect(error.message).toContain(`Move or delete the folder ${file}`)
    expect(readdirSync(dir)).toEqual(['summary.json'])
  })

  test('a file where a folder should be (ENOTDIR): says which path', () => {
    writeFileSync(join(dir, '__cassettes__'), 'not a folder')
    const error = caught(() => writeFileAtomic(join(dir, '__cassettes__', 'a.test.ts.cassette.json'), '{}'))
    expect(error.message).toContain(`a file is in the way where a folder should be (ENOTDIR): ${join(dir, '__cassettes__')} is a file, not a folder.`)
    expect(error.message).toContain(`Move or delete the file ${join(dir, '__cassettes__')}`)
  })
})

describe('writers that append or write outside writeFileAtomic say the same', () => {
  test('a label that cannot be appended names the labels file and the labels option', () => {
    const file = join(dir, 'evals', 'labels.jsonl')
    mkdirSync(join(dir, 'evals'))
    refuse('open', 'EACCES', (path) => path === file)
    const error = caught(() => appendLabel(file, { caseId: 'q1', metric: 'factual', label: 'fail', by: 'ana' }))
    expect(error.message).toContain(`Cannot write the human labels file ${file}: permission denied (EACCES)`)
    expect(error.message).toContain('labels: { file:')
  })

  test('a history line that cannot be appended names the history and the history option; the history is as it was', () => {
    const file = join(dir, '.evals', 'history.jsonl')
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    const before = readFileSync(file, 'utf8')
    refuse('open', 'EROFS', (path) => path === file)
    const error = caught(() => appendRun(file, historyRun('r2', { rouge: 0.8 })))
    expect(error.message).toContain(`Cannot write the score history ${file}: the file system is read-only (EROFS)`)
    expect(error.message).toContain('history: { file:')
    expect(readFileSync(file, 'utf8')).toBe(before)
  })

  test('llm-evals import --force: a refused write keeps the file it would replace', async () => {
    const config = join(dir, 'promptfooconfig.yaml')
    writeFileSync(config, 'prompts: ["Answer: {{question}}"]\ntests:\n  - vars: { question: "2+2?" }\n    assert: [{ type: contains, value: "4" }]\n')
    writeFileSync(join(dir, 'imported.jsonl'), 'old\n')
    writeFileSync(join(dir, 'imported.eval.test.ts'), 'old\n')
    refuse('open', 'ENOSPC', (path) => path.endsWith('.tmp'))
    const error = await runImport(['promptfoo', config, '--out', dir, '--name', 'imported', '--force'], () => {}).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FileWriteError)
    expect((error as Error).message).toContain('the disk is full (ENOSPC)')
    expect(readFileSync(join(dir, 'imported.jsonl'), 'utf8')).toBe('old\n')
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  test('a GitHub step summary that cannot be appended to (a folder at its path, real): a FileWriteError naming it', () => {
    const stepSummary = join(dir, 'step.md')
    mkdirSync(stepSummary)
    const files = { root: dir, history: join(dir, 'h.jsonl'), baseline: join(dir, 'baseline.json'), retention: { caseScores: 10, caseDetails: 10 }, stepSummary }
    const error = caught(() => finishRun(historyRun('x', { rouge: 0.7 }), { time: new Date('2025-02-01T00:00:00Z'), vitestVersion: '5.1.2', env: {} }, files, { tolerance: 0.05, write: true }, { warn: () => {} }))
    expect(error.message).toContain(`Cannot write the GitHub step summary ($GITHUB_STEP_SUMMARY) ${stepSummary}: a folder is in the way (EISDIR)`)
  })

  test("a step summary append refused (EACCES): the fix turns the summary off, not a chmod of the runner's folder; code is the cause's", () => {
    const stepSummary = join(dir, 'step.md')
    writeFileSync(stepSummary, '')
    refuse('open', 'EACCES', (path) => path === stepSummary)
    const files = { root: dir, history: join(dir, 'h.jsonl'), baseline: join(dir, 'baseline.json'), retention: { caseScores: 10, caseDetails: 10 }, stepSummary }
    const error = caught(() => finishRun(historyRun('x', { rouge: 0.7 }), { time: new Date('2025-02-01T00:00:00Z'), vitestVersion: '5.1.2', env: {} }, files, { tolerance: 0.05, write: true }, { warn: () => {} }))
    expect(error.message).toContain('permission denied (EACCES)')
    expect(error.message).toContain('report: { stepSummary: false }')
    expect(error.message).not.toContain('chmod')
    expect(error.code).toBe('EACCES')
  })
})
