// Review of preloadHistory (4df4dce): the end of the run reuses the scan when the file's identity (dev, ino,
// size, mtimeNs, ctimeNs) is unchanged. File times tick coarsely on many systems (a kernel tick of 1-4 ms before
// Linux 6.13's fine-grained timestamps; 1 s on HFS+ and ext3, 2 s on FAT; NFS): a same-size rewrite in place in
// the tick of the previous change leaves the whole identity as it was read. Simulated here with 1-second times.
import type * as fs from 'node:fs'
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { formatRunLine, readHistory } from '../../src/history/history-file.js'
import { preloadHistory } from '../../src/history/history-scan.js'
import { historyRun } from '../reporters/fixtures.js'

vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof fs>()
  const coarse = (stats: fs.BigIntStats) => Object.assign(stats, { mtimeNs: (stats.mtimeNs / 1_000_000_000n) * 1_000_000_000n, ctimeNs: (stats.ctimeNs / 1_000_000_000n) * 1_000_000_000n })
  const fstatSync = ((fd: number, options?: fs.StatOptions) => {
    const stats = original.fstatSync(fd, options as never)
    return options?.bigint ? coarse(stats as unknown as fs.BigIntStats) : stats
  }) as typeof fs.fstatSync
  return { ...original, fstatSync, default: { ...original, fstatSync } }
})

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-race-'))
  file = join(dir, 'history.jsonl')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const line = (id: string) => `${formatRunLine(historyRun(id, { rouge: 0.5 }, {}, 3))}\n`

describe('preloadHistory on a file system with coarse file times', () => {
  test('a same-size rewrite in place right after the preload is read, not the preloaded lines', () => {
    writeFileSync(file, line('old-a'))
    preloadHistory(file)
    // Another process rewrites the run in place (an edit, a redaction, rsync --inplace): same size, same inode.
    const fd = openSync(file, 'r+')
    writeSync(fd, line('new-b'), 0)
    closeSync(fd)
    expect(readHistory(file).map((run) => run.id)).toEqual(['new-b'])
  })
})
