// The history read while the tests run (preloadHistory) is what the end of the run reads and appends after,
// unless the file changed in between: then it is read again, and nothing another run wrote is missed.
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { appendRun, formatRunLine, readHistory, type HistoryWarning } from '../../../src/history/history-file.js'
import { casesOfLine, forEachLine } from '../../../src/history/history-lines.js'
import { preloadHistory } from '../../../src/history/history-scan.js'
import { historyRun } from '../../reporters/fixtures.js'

vi.mock('../../../src/history/history-lines.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/history/history-lines.js')>()
  return { ...original, forEachLine: vi.fn(original.forEachLine), casesOfLine: vi.fn(original.casesOfLine) }
})
const passes = vi.mocked(forEachLine)
const caseReads = vi.mocked(casesOfLine)

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-scan-'))
  file = join(dir, 'history.jsonl')
  passes.mockClear()
  caseReads.mockClear()
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const line = (id: string, mean: number) => formatRunLine(historyRun(id, { rouge: mean }, {}, 3))
// Runs with cases, a blank line, a broken line, a line of a newer format, and a line still being written.
const CONTENT = `${line('r1', 0.5)}\n\n{"v":1,"id":\n${line('r2', 0.6)}\n{"v":99,"id":"future"}\n${line('r3', 0.7)}\n{"v":1,"id":"half`

/**
 * Preloads as a run does that starts a few seconds after the file's last change: a file changed just before
 * is read again at the end (its times could not tell a same-size rewrite in place; test/review).
 */
function preloadLater(path: string) {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 5_000 })
  try {
    preloadHistory(path)
  } finally {
    vi.useRealTimers()
  }
}

function read() {
  const warnings: HistoryWarning[] = []
  const runs = readHistory(file, (warning) => warnings.push(warning))
  return { runs, warnings }
}

describe('preloadHistory', () => {
  test('readHistory after a preload gives what it reads without one: runs, cases, warnings', () => {
    writeFileSync(file, CONTENT)
    const fresh = read()
    expect(fresh.runs.map((run) => run.id)).toEqual(['r1', 'r2', 'r3'])
    expect(fresh.warnings.map((warning) => warning.line)).toEqual([3, 5])
    preloadLater(file)
    expect(read()).toEqual(fresh)
  })

  test('the end of the run reads the file no more after a preload: the read and the append use it', () => {
    writeFileSync(file, CONTENT)
    preloadLater(file)
    expect(passes).toHaveBeenCalledTimes(1)
    expect(read().runs).toHaveLength(3)
    appendRun(file, historyRun('r4', { rouge: 0.8 }))
    expect(passes).toHaveBeenCalledTimes(1)
    // The line cut short is ended before the new one, as without a preload.
    expect(readHistory(file).map((run) => run.id)).toEqual(['r1', 'r2', 'r3', 'r4'])
    expect(readFileSync(file, 'utf8')).toContain('"id":"half\n{"v":1,"id":"r4"')
  })

  test('the newest run\'s cases are read by the preload, not at the end of the run; given out once', () => {
    writeFileSync(file, CONTENT)
    const fresh = readHistory(file, () => {}, (_run, newer) => newer === 0)
    expect(fresh.at(-1)?.cases?.length).toBeGreaterThan(0)
    preloadLater(file)
    caseReads.mockClear()
    const newestOnly = readHistory(file, () => {}, (_run, newer) => newer === 0)
    expect(caseReads).not.toHaveBeenCalled()
    expect(newestOnly).toEqual(fresh)
    newestOnly.at(-1)!.cases!.length = 0
    expect(readHistory(file).at(-1)?.cases).toEqual(fresh.at(-1)?.cases)
  })

  test('a second read after the preloaded one gets its own runs (the preload gives each run out once)', () => {
    writeFileSync(file, CONTENT)
    preloadLater(file)
    const first = read()
    first.runs[0]!.groups.length = 0
    expect(read().runs[0]!.groups).toHaveLength(1)
  })

  test('a line another run appended after the preload is read', () => {
    writeFileSync(file, `${line('r1', 0.5)}\n`)
    preloadLater(file)
    appendFileSync(file, `${line('r2', 0.6)}\n`)
    expect(read().runs.map((run) => run.id)).toEqual(['r1', 'r2'])
  })

  test('a file rewritten (renamed over) after the preload, even to the same size, is read again', () => {
    writeFileSync(file, `${line('r1', 0.5)}\n`)
    preloadLater(file)
    writeFileSync(`${file}.tmp`, `${line('r2', 0.5)}\n`)
    renameSync(`${file}.tmp`, file)
    expect(read().runs.map((run) => run.id)).toEqual(['r2'])
  })

  test('a file changed in place to the same size after the preload is read again', () => {
    writeFileSync(file, `${line('r1', 0.5)}\n`)
    preloadLater(file)
    writeFileSync(file, `${line('r2', 0.5)}\n`)
    expect(read().runs.map((run) => run.id)).toEqual(['r2'])
  })

  test('the preloaded newest cases are not used once the file changed: an append, a same-size rewrite of a score', () => {
    const scores = (runs: ReturnType<typeof readHistory>) => runs.map((run) => [run.id, run.cases?.map((each) => each.score)])
    writeFileSync(file, `${line('r1', 0.5)}\n${line('r2', 0.6)}\n`)
    preloadLater(file)
    appendFileSync(file, `${line('r3', 0.7)}\n`)
    expect(scores(read().runs)).toEqual([['r1', [0.5, 0.5, 0.5]], ['r2', [0.6, 0.6, 0.6]], ['r3', [0.7, 0.7, 0.7]]])
    writeFileSync(file, `${line('r1', 0.5)}\n`)
    preloadLater(file)
    writeFileSync(file, `${line('r1', 0.9)}\n`)
    expect(scores(read().runs)).toEqual([['r1', [0.9, 0.9, 0.9]]])
  })

  test('a history replaced after the preload by a symlink to another file, rotated away or truncated is read as it is then', () => {
    const other = join(dir, 'other.jsonl')
    writeFileSync(other, `${line('o1', 0.9)}\n`)
    writeFileSync(file, `${line('r1', 0.5)}\n`)
    preloadLater(file)
    rmSync(file)
    symlinkSync(other, file)
    expect(read().runs.map((run) => [run.id, run.cases?.[0]?.score])).toEqual([['o1', 0.9]])
    rmSync(file)
    writeFileSync(file, `${line('r1', 0.5)}\n`)
    preloadLater(file)
    renameSync(file, `${file}.1`)
    writeFileSync(file, '')
    expect(read().runs).toEqual([])
    writeFileSync(file, `${line('r1', 0.5)}\n${line('r2', 0.6)}\n`)
    preloadLater(file)
    truncateSync(file, 0)
    expect(read().runs).toEqual([])
  })

  test('run after run in one process (watch mode): each end compares with the run the one before appended', () => {
    writeFileSync(file, `${line('r1', 0.5)}\n`)
    for (const [id, mean] of [['r2', 0.6], ['r3', 0.7]] as const) {
      preloadLater(file)
      const newest = readHistory(file, () => {}, (_run, newer) => newer === 0).at(-1)
      expect(newest?.cases?.map((each) => each.score)).toEqual(Array(3).fill(id === 'r2' ? 0.5 : 0.6))
      appendRun(file, historyRun(id, { rouge: mean }, {}, 3))
    }
    // A read with nothing preloaded for it (the preload given out, or none since) reads the file.
    expect(readHistory(file, () => {}, (_run, newer) => newer === 0).at(-1)?.cases?.map((each) => each.score)).toEqual([0.7, 0.7, 0.7])
  })

  test('retention after a preload rewrites the file exactly as without one', () => {
    const retention = { caseScores: 2, caseDetails: 1 }
    const build = (preload: boolean) => {
      writeFileSync(file, '')
      for (const id of ['r1', 'r2', 'r3', 'r4']) {
        if (preload) preloadLater(file)
        appendRun(file, historyRun(id, { rouge: 0.5 }, {}, 2), retention)
      }
      return readFileSync(file, 'utf8')
    }
    expect(build(true)).toBe(build(false))
  })

  test('a FIFO is never opened (opening one blocks until a writer comes)', () => {
    const fifo = join(dir, 'fifo.jsonl')
    execFileSync('mkfifo', [fifo])
    // In a child process: were it opened, the open would block the whole thread (no test timeout could fire).
    const source = new URL('../../../src/history/history-scan.ts', import.meta.url).href
    const specifiers = new URL('../../support/ts-specifiers.ts', import.meta.url).href
    const script = `await import(${JSON.stringify(specifiers)}); const { preloadHistory } = await import(${JSON.stringify(source)}); preloadHistory(${JSON.stringify(fifo)}); console.log('returned')`
    const output = execFileSync(process.execPath, ['--experimental-transform-types', '--no-warnings', '--input-type=module', '-e', script], { timeout: 10_000, encoding: 'utf8' })
    expect(output.trim()).toBe('returned')
  })

  test('a history path that is a FIFO or a directory is a ConfigError for the read and the append, not a hang', () => {
    const fifo = join(dir, 'fifo.jsonl')
    execFileSync('mkfifo', [fifo])
    expect(() => readHistory(fifo)).toThrow(/The history file .*fifo\.jsonl is not a regular file \(a FIFO, socket or device\)/)
    expect(() => appendRun(fifo, historyRun('r1', { rouge: 1 }))).toThrow(/not a regular file/)
    expect(() => readHistory(dir)).toThrow(/is not a regular file \(a directory\)/)
  })

  test('with nanosecond file times, a history the previous run appended 50 ms before is used (back-to-back runs)', async () => {
    writeFileSync(file, CONTENT)
    await new Promise((resolve) => setTimeout(resolve, 50))
    passes.mockClear()
    preloadHistory(file)
    read()
    expect(passes).toHaveBeenCalledTimes(1)
  })

  test('a missing file, or one larger than maxBytes, is left to the end of the run', () => {
    preloadHistory(file)
    expect(read().runs).toEqual([])
    writeFileSync(file, CONTENT)
    preloadHistory(file, { maxBytes: 10 })
    passes.mockClear()
    read()
    expect(passes).toHaveBeenCalledTimes(1)
  })
})
