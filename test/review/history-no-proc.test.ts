// Review of fb4880f (preloadHistory reads this process's lock identity from /proc while the tests run): where there
// is no /proc (macOS, Windows), the read fails, and must neither throw out of the preload (a timer callback: it would
// end the run) nor keep the preload or the append from working. Simulated by failing every /proc read.
import type * as fs from 'node:fs'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { appendRun, formatRunLine, readHistory } from '../../src/history/history-file.js'
import { preloadHistory } from '../../src/history/history-scan.js'
import { ownIdentity } from '../../src/process-identity.js'
import { historyRun } from '../reporters/fixtures.js'

const procReads = vi.hoisted(() => ({ count: 0 }))
vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof fs>()
  const noProc = <T extends (...args: never[]) => unknown>(call: T) =>
    ((path: fs.PathOrFileDescriptor, ...rest: never[]) => {
      if (String(path).startsWith('/proc/')) {
        procReads.count++
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${String(path)}'`), { code: 'ENOENT' })
      }
      return call(path as never, ...rest)
    }) as unknown as T
  const readFileSync = noProc(original.readFileSync)
  const readlinkSync = noProc(original.readlinkSync)
  return { ...original, readFileSync, readlinkSync, default: { ...original, readFileSync, readlinkSync } }
})

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-no-proc-'))
  file = join(dir, 'history.jsonl')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('preloadHistory without /proc', () => {
  test('returns, reads /proc once for the whole process, and the end of the run reads and appends as usual', () => {
    writeFileSync(file, `${formatRunLine(historyRun('r1', { rouge: 0.5 }, {}, 2))}\n`)
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 5_000 })
    try {
      expect(() => preloadHistory(file)).not.toThrow()
    } finally {
      vi.useRealTimers()
    }
    const reads = procReads.count
    expect(ownIdentity()).toEqual({ machine: { host: expect.any(String) }, start: undefined })
    expect(readHistory(file).map((run) => run.id)).toEqual(['r1'])
    appendRun(file, historyRun('r2', { rouge: 0.6 }, {}, 2))
    preloadHistory(file)
    expect(procReads.count).toBe(reads)
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2)
  })
})
