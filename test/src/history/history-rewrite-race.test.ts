// Another writer gets in between the copy of the history and its rename (one whose lock was taken over, or
// a tool that writes without the lock): its line must survive. The flush of the copy to disk, the last step
// before the rename, is wrapped to make that moment exact.
import * as fs from 'node:fs'
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { appendRun, DEFAULT_RETENTION, formatRunLine, readHistory } from '../../../src/history/history-file.js'
import { historyRun } from '../../reporters/fixtures.js'

vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs')>()
  return { ...original, default: original, fsyncSync: vi.fn(original.fsyncSync) }
})
const { fsyncSync: realFsync, renameSync: realRename } = await vi.importActual<typeof import('node:fs')>('node:fs')

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-race-'))
  file = join(dir, 'history.jsonl')
})
afterEach(() => {
  vi.mocked(fs.fsyncSync).mockReset().mockImplementation(realFsync)
  rmSync(dir, { recursive: true, force: true })
})

/** Once the next copy of the history is written, and before it replaces the file, `other` writes the file. */
function beforeNextRename(other: () => void): void {
  vi.mocked(fs.fsyncSync).mockImplementationOnce((fd) => {
    realFsync(fd)
    other()
  })
}

describe('a run appended while another writer changes the history between its copy and its rename', () => {
  test("keeps the other writer's line when it was appended in place", () => {
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    beforeNextRename(() => appendFileSync(file, `${formatRunLine(historyRun('r2', { rouge: 0.8 }))}\n`))
    appendRun(file, historyRun('r3', { rouge: 0.7 }), DEFAULT_RETENTION, { rewrite: 'always' })
    expect(readHistory(file).map((run) => run.id)).toEqual(['r1', 'r2', 'r3'])
    expect(readdirSync(dir)).toEqual(['history.jsonl'])
  })

  test("keeps the other writer's line when it replaced the file (a rewrite of its own)", () => {
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    beforeNextRename(() => {
      const theirs = join(dir, 'theirs.tmp')
      fs.writeFileSync(theirs, `${fs.readFileSync(file, 'utf8')}${formatRunLine(historyRun('r2', { rouge: 0.8 }))}\n`)
      realRename(theirs, file)
    })
    appendRun(file, historyRun('r3', { rouge: 0.7 }), DEFAULT_RETENTION, { rewrite: 'always' })
    expect(readHistory(file).map((run) => run.id)).toEqual(['r1', 'r2', 'r3'])
  })
})
