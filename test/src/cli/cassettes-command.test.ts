import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import { serializeCassette } from '../../../src/cassettes/cassette-file.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { usageDir, type CassetteUsageReport } from '../../../src/cassettes/worker.js'
import { runCheck, runPrune, type CassettesCommandOptions } from '../../../src/cli/cassettes-command.js'

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

function writeUsage(report: Partial<CassetteUsageReport>): void {
  mkdirSync(usageDir(root), { recursive: true })
  const full: CassetteUsageReport = { cassette: 'test/__cassettes__/bot.test.ts.cassette.json', testFile: 'test/bot.test.ts', mode: 'replay', at: '2026-11-28T10:00:00.000Z', complete: true, total: 3, used: [], misses: [], ...report }
  writeFileSync(join(usageDir(root), 'a.json'), JSON.stringify(full))
}

const options = (extra: Partial<CassettesCommandOptions> = {}): CassettesCommandOptions => ({ root, maxAgeDays: 180, maxEntryBytes: 256 * 1024, strict: false, dryRun: false, env: {}, ...extra })

function capture(fn: (print: (line: string) => void) => number): { code: number; text: string } {
  const lines: string[] = []
  const code = fn((line) => lines.push(line))
  return { code, text: lines.join('\n') }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-'))
  mkdirSync(join(root, 'test', '__cassettes__'), { recursive: true })
  writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('kept', 0), entry('unused', 0), entry('old', 0, '2020-01-01T00:00:00.000Z')] }))
})

describe('llm-evals cassettes check', () => {
  test('lists unused and stale entries from the last complete run', () => {
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }, { test: 'old', repeat: 0, call: 0 }] })
    const { code, text } = capture((print) => runCheck(options(), print))
    expect(code).toBe(0)
    expect(text).toContain('✓ test/__cassettes__/bot.test.ts.cassette.json: 3 entries')
    expect(text).toContain('last run 2026-11-28T10:00:00.000Z (replay)')
    expect(text).toContain('unused: 1 entries ("unused")')
    expect(text).toContain('stale: 1 entries recorded more than 180 days ago ("old")')
  })

  test('does not call anything unused after a filtered run', () => {
    writeUsage({ complete: false, used: [] })
    const { text } = capture((print) => runCheck(options(), print))
    expect(text).toContain('(replay, filtered)')
    expect(text).not.toContain('unused:')
  })

  test('a missing recording exits 1 in CI or with --strict, and 0 otherwise', () => {
    writeUsage({ misses: [{ test: 'new test', method: 'POST', url: 'https://api.openai.com/v1/chat/completions' }] })
    const local = capture((print) => runCheck(options(), print))
    expect(local.code).toBe(0)
    expect(local.text).toContain('missing recording: POST https://api.openai.com/v1/chat/completions (test "new test")')
    expect(capture((print) => runCheck(options({ env: { CI: 'true' } }), print)).code).toBe(1)
    expect(capture((print) => runCheck(options({ strict: true }), print)).code).toBe(1)
  })

  test('flags oversized entries, damaged cassettes and text that looks like a key', () => {
    writeFileSync(cassette(), serializeCassette({ version: 1, entries: [entry('big', 0, undefined, 'x'.repeat(3000))] }))
    const big = capture((print) => runCheck(options({ maxEntryBytes: 1024 }), print))
    expect(big.text).toMatch(/oversized: "big" call 0 is 3 KB/)
    writeFileSync(cassette(), readFileSync(cassette(), 'utf8').replace('"x', '"sk-abcdefghijklmnopqrstuvwxyz x'))
    const leaked = capture((print) => runCheck(options(), print))
    expect(leaked.code).toBe(1)
    expect(leaked.text).toContain('looks like an API key')
    writeFileSync(cassette(), '{ broken')
    const damaged = capture((print) => runCheck(options(), print))
    expect(damaged.code).toBe(1)
    expect(damaged.text).toContain('it is not valid JSON')
  })
})

describe('llm-evals cassettes prune', () => {
  test('removes only what the last complete run did not use; --dry-run changes nothing', () => {
    writeUsage({ used: [{ test: 'kept', repeat: 0, call: 0 }] })
    const before = readFileSync(cassette(), 'utf8')
    expect(capture((print) => runPrune(options({ dryRun: true }), print)).text).toContain('2 unused entries (dry run)')
    expect(readFileSync(cassette(), 'utf8')).toBe(before)
    expect(capture((print) => runPrune(options(), print)).text).toContain('Removed 2 entries.')
    expect((JSON.parse(readFileSync(cassette(), 'utf8')) as { entries: CassetteEntry[] }).entries.map((e) => e.test)).toEqual(['kept'])
  })

  test('skips a cassette whose last run was filtered', () => {
    writeUsage({ complete: false })
    const before = readFileSync(cassette(), 'utf8')
    expect(capture((print) => runPrune(options(), print)).text).toContain('skipped (no complete, unfiltered run recorded')
    expect(readFileSync(cassette(), 'utf8')).toBe(before)
  })
})

describe('the llm-evals bin', () => {
  const bin = join(import.meta.dirname, '../../../dist/src/cli/bin.js')

  test('runs cassettes check and explains unknown commands', () => {
    const check = spawnSync(process.execPath, [bin, 'cassettes', 'check', '--root', root], { encoding: 'utf8' })
    expect(check.status).toBe(0)
    expect(check.stdout).toContain('bot.test.ts.cassette.json: 3 entries')
    const unknown = spawnSync(process.execPath, [bin, 'casettes', 'check'], { encoding: 'utf8' })
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain('[vitest-llm-evals] Unknown command "casettes check".')
    const bad = spawnSync(process.execPath, [bin, 'cassettes', 'check', '--max-age', 'soon'], { encoding: 'utf8' })
    expect(bad.stderr).toContain('--max-age needs a positive number, got "soon"')
  })
})
