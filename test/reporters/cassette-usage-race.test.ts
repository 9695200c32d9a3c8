// Two runs limited to different projects (`--project`) finish together and write the usage report of one
// cassette: the later write merges with the report the other run just wrote, never with an older copy. The
// flush of the new report, the last step before its rename, is wrapped to let the other run write first.
import * as fs from 'node:fs'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, vi } from 'vitest'
import { writeUsageReports } from '../../reporters/cassette-usage.js'
import type { CassetteUsageReport } from '../../src/cassettes/usage-report.js'
import { usageDir } from '../../src/cassettes/worker-options.js'

vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs')>()
  return { ...original, default: original, fsyncSync: vi.fn(original.fsyncSync) }
})
const { fsyncSync: realFsync } = await vi.importActual<typeof import('node:fs')>('node:fs')

const none = { count: 0, names: [] }
const slot = (test: string) => ({ test, repeat: 0, call: 0 })
function report(extra: Partial<CassetteUsageReport>): CassetteUsageReport {
  return {
    cassette: '__cassettes__/bot.test.ts.cassette.json', testFile: 'bot.test.ts', mode: 'replay', at: '2026-01-01T00:00:00.000Z',
    complete: true, successful: true, notRun: none, failed: none, total: 2, written: 0, refused: [], used: [], misses: [], fingerprint: 'f', ...extra,
  }
}

test("a report written by another run between this run's read and its rename is merged, not overwritten", () => {
  const root = mkdtempSync(join(tmpdir(), 'usage-race-'))
  writeUsageReports(root, [report({ projects: ['mini', 'big'], used: [slot('mini-old'), slot('big-old')] })])
  vi.mocked(fs.fsyncSync).mockImplementationOnce((fd) => {
    realFsync(fd)
    writeUsageReports(root, [report({ at: '2026-01-02T00:00:00.000Z', projects: ['big'], used: [slot('big-new')] })], { someProjects: true })
  })
  writeUsageReports(root, [report({ at: '2026-01-03T00:00:00.000Z', projects: ['mini'], used: [slot('mini-new')] })], { someProjects: true })
  const [name, ...others] = readdirSync(usageDir(root))
  expect(others).toEqual([])
  const stored = JSON.parse(readFileSync(join(usageDir(root), name as string), 'utf8')) as CassetteUsageReport
  expect(stored).toMatchObject({ at: '2026-01-03T00:00:00.000Z', complete: false, projects: ['mini'], projectsNotRun: ['big'] })
  expect(stored.used.map((each) => each.test).sort()).toEqual(['big-new', 'big-old', 'mini-new', 'mini-old'])
})
