import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, expect, test } from 'vitest'
import { serializeCassette } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { usageDir, type CassetteUsageReport } from '../../../src/cassettes/worker.js'
import { runCheck, type CassettesCommandOptions } from '../../../src/cli/cassettes-command.js'
import { runPrune } from '../../../src/cli/prune-command.js'

let root: string
const cassette = () => join(root, 'test', '__cassettes__', 'bot.test.ts.cassette.json')

function entry(test: string, call: number, recordedAt = new Date().toISOString(), content = 'hi'): CassetteEntry {
  return {
    test,
    repeat: 0,
    call,
    role: 'app',
    request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { content } },
    response: { status: 200, headers: {}, json: { ok: true } },
    meta: { recordedAt, latencyMs: 3 },
  }
}

/** The report of a complete, successful run over the cassette as it is now, with `report`'s changes. */
function writeUsage(report: Partial<CassetteUsageReport>, name = 'a.json'): void {
  mkdirSync(usageDir(root), { recursive: true })
  const none = { count: 0, names: [] }
  const fingerprint = createHash('sha256').update(readFileSync(cassette(), 'utf8')).digest('hex')
  const full: CassetteUsageReport = {
    cassette: 'test/__cassettes__/bot.test.ts.cassette.json', testFile: 'test/bot.test.ts', mode: 'replay', at: '2026-11-28T10:00:00.000Z',
    complete: true, successful: true, notRun: none, failed: none, total: 3, written: 0, refused: [], used: [], misses: [], fingerprint, ...report,
  }
  writeFileSync(join(usageDir(root), name), JSON.stringify(full))
}

const options = (extra: Partial<CassettesCommandOptions> = {}): CassettesCommandOptions => ({ root, maxAgeDays: 180, maxEntryBytes: 256 * 1024, strict: false, dryRun: false, env: {}, ...extra })

async function capture(fn: (print: (line: string) => void) => Promise<number>): Promise<{ code: number; text: string }> {
  const lines: string[] = []
  const code = await fn((line) => lines.push(line))
  return { code, text: lines.join('\n') }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-'))
  mkdirSync(join(root, 'test', '__cassettes__'), { recursive: true })
  writeFileSync(join(root, 'test', 'bot.test.ts'), '')
})


const tag = (e: CassetteEntry, project?: string) => (project === undefined ? e : { ...e, project })

test('prune: a mark of a project the last run did not run (run under another config) is kept by prune', async () => {
  const mark = { test: 'kept', repeat: 0, key: 'k1', occurrence: 1, method: 'POST', path: '/v1/chat/completions', reason: 'test-timeout' as const, at: '2026-11-28T09:59:00.000Z', mode: 'record', project: 'B' }
  writeFileSync(cassette(), serializeCassette({ version: 1, entries: [tag(entry('kept', 0), 'A'), tag(entry('kept', 1), 'B')], unrecorded: [mark] } as never))
  // A run under another config that defines project A only: B's entry is kept, as the merged branch intends.
  writeUsage({ mode: 'replay', config: 'vitest.a.config.ts', projects: ['A'], used: [{ test: 'kept', repeat: 0, call: 0 }] } as never)
  await capture((print) => runCheck(options(), print))
  
  await capture((print) => runPrune(options(), print))

  const after = JSON.parse(readFileSync(cassette(), 'utf8'))
  expect(after.entries.map((e: CassetteEntry) => e.project)).toEqual(['A', 'B'])
  expect(after.unrecorded ?? []).toEqual([mark])
})

test('prune: untagged entries (recorded under a config without projects) after a run under a config with projects', async () => {
  writeFileSync(cassette(), serializeCassette({ version: 1, entries: [tag(entry('kept', 0), 'A'), entry('plain', 0)] }))
  writeUsage({ mode: 'replay', config: 'vitest.projects.config.ts', projects: ['A'], used: [{ test: 'kept', repeat: 0, call: 0 }] } as never)
  await capture((print) => runPrune(options(), print))

  const after = JSON.parse(readFileSync(cassette(), 'utf8'))
  expect(after.entries.map((e: CassetteEntry) => e.test)).toEqual(['kept', 'plain'])
})

test('prune: a --project A run; project B has only a mark (its one call timed out while recorded)', async () => {
  const mark = { test: 'kept', repeat: 0, key: 'k1', occurrence: 1, method: 'POST', path: '/v1/chat/completions', reason: 'test-timeout' as const, at: '2026-11-28T09:59:00.000Z', mode: 'record', project: 'B' }
  writeFileSync(cassette(), serializeCassette({ version: 1, entries: [tag(entry('kept', 0), 'A')], unrecorded: [mark] } as never))
  writeUsage({ mode: 'replay', projects: ['A'], projectFilter: true, used: [{ test: 'kept', repeat: 0, call: 0 }] } as never)
  await capture((print) => runPrune(options(), print))

  expect(JSON.parse(readFileSync(cassette(), 'utf8')).unrecorded ?? []).toEqual([mark])
})
