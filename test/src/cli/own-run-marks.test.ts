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

test('a mark written by the very run the report describes (an app-aborted call in a passing auto run) is not stale: check lists it, prune keeps it', async () => {
  const mark = { test: 'kept', repeat: 0, key: 'k1', occurrence: 1, method: 'POST', path: '/v1/chat/completions', reason: 'app-abort' as const, at: '2026-11-28T09:59:00.000Z', mode: 'auto' }
  writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0)], unrecorded: [mark] }))
  // What fileUsageReport writes for that run: its fingerprint is taken after the mark is written, and `unfinished` names the call.
  writeUsage({ mode: 'auto', used: [{ test: 'kept', repeat: 0, call: 0 }], unfinished: [{ test: 'kept', key: 'k1', method: 'POST', url: 'https://api.openai.com/v1/chat/completions', reason: 'app-abort' }] })
  const checked = await capture((print) => runCheck(options(), print))
  expect(checked.text).not.toContain('stale:')
  expect(checked.text).toContain('not stored when recorded: POST /v1/chat/completions (test "kept"): the app under test cancelled it')
  await capture((print) => runPrune(options(), print))
  expect(JSON.parse(readFileSync(cassette(), 'utf8'))).toMatchObject({ unrecorded: [mark] })
})
