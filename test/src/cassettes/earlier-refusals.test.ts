import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { earlierRefusals, isFailedScanRefusal, isNotJsonRefusal } from '../../../src/cassettes/earlier-refusals.js'
import { refusedLines } from '../../../src/cassettes/miss-message.js'
import { usageReportFileName, type CassetteUsageReport } from '../../../src/cassettes/usage-report.js'
import { usageDir } from '../../../src/cassettes/worker-options.js'

const CASSETTE = '__cassettes__/bot.test.ts.cassette.json'

function rootWith(report: Partial<CassetteUsageReport> | string): string {
  const root = mkdtempSync(join(tmpdir(), 'refusals-'))
  mkdirSync(usageDir(root), { recursive: true })
  const full: CassetteUsageReport = { cassette: CASSETTE, testFile: 'bot.test.ts', mode: 'auto', at: '2026-12-07T01:00:00.000Z', complete: true, total: 0, used: [], misses: [], ...(typeof report === 'string' ? {} : report) }
  writeFileSync(join(usageDir(root), usageReportFileName(CASSETTE)), typeof report === 'string' ? report : JSON.stringify(full))
  return root
}

describe('earlierRefusals', () => {
  test("reads the last run's refusals of the cassette, with when and in which mode", () => {
    const root = rootWith({ refused: [{ test: 'bot > answers', message: 'Refused to write …' }] })
    expect(earlierRefusals(root, join(root, CASSETTE))).toEqual([{ test: 'bot > answers', message: 'Refused to write …', at: '2026-12-07T01:00:00.000Z', mode: 'auto' }])
  })

  test("with test.projects, only the running project's (a refusal that names none counts for every project)", () => {
    const root = rootWith({ refused: [{ test: 'a', message: 'm', project: 'mini' }, { test: 'b', message: 'm', project: 'big' }, { test: 'c', message: 'm' }] })
    expect(earlierRefusals(root, join(root, CASSETTE), 'mini').map((refusal) => refusal.test)).toEqual(['a', 'c'])
    expect(earlierRefusals(root, join(root, CASSETTE)).map((refusal) => refusal.test)).toEqual(['a', 'b', 'c'])
  })

  test("none from a report of another cassette (copied over this one's), nor from hostile JSON", () => {
    const other = rootWith({ cassette: 'other/__cassettes__/bot.test.ts.cassette.json', refused: [{ test: 'bot > answers', message: 'm' }] })
    expect(earlierRefusals(other, join(other, CASSETTE))).toEqual([])
    const hostile = rootWith(`{"__proto__":{"refused":[{"test":"bot > answers","message":"m"}]},"cassette":${JSON.stringify(CASSETTE)}}`)
    expect(earlierRefusals(hostile, join(hostile, CASSETTE))).toEqual([])
    expect(({} as { refused?: unknown }).refused).toBeUndefined()
  })

  test('none from a report of an older state of the cassette (pulled or re-recorded since): only the run that left it as it is, or a later one', () => {
    const cassette = '{"version":1,"entries":[]}\n'
    const fingerprint = createHash('sha256').update(cassette).digest('hex')
    const refused = [{ test: 'bot > answers', message: 'Refused to write …' }]
    const current = rootWith({ refused, fingerprint })
    mkdirSync(join(current, '__cassettes__'))
    writeFileSync(join(current, CASSETTE), cassette)
    expect(earlierRefusals(current, join(current, CASSETTE)).map((refusal) => refusal.test)).toEqual(['bot > answers'])
    writeFileSync(join(current, CASSETTE), cassette.replace('[]', '[ ]'))
    expect(earlierRefusals(current, join(current, CASSETTE))).toEqual([])
    // A report that left no cassette says nothing of one written since; one of a cassette since deleted, nothing of none.
    const unwritten = rootWith({ refused })
    mkdirSync(join(unwritten, '__cassettes__'))
    writeFileSync(join(unwritten, CASSETTE), cassette)
    expect(earlierRefusals(unwritten, join(unwritten, CASSETTE))).toEqual([])
    const deleted = rootWith({ refused, fingerprint })
    expect(earlierRefusals(deleted, join(deleted, CASSETTE))).toEqual([])
  })

  test('none without a report, or with one that cannot be read', () => {
    expect(earlierRefusals(mkdtempSync(join(tmpdir(), 'refusals-')), '/nowhere/x.cassette.json')).toEqual([])
    const root = rootWith('{ not json')
    expect(earlierRefusals(root, join(root, CASSETTE))).toEqual([])
  })
})

describe('a refusal of a test whose name reads like another kind of refusal', () => {
  // Eval suites name tests after what they check: "v2. rejects a reply that is not JSON" is a plausible name.
  const test_ = 'bot > v2. rejects a reply that is not JSON: the secret scan failed (no)'
  const leak = `[vitest-llm-evals] Refused to write /p/__cassettes__/bot.test.ts.cassette.json: it would contain the value of SERVICE_TOKEN (a recording of test "${test_}"). That recording was not stored.`
  const place = { mode: 'replay' as const, test: test_, repeat: 0, occurrence: 0, recordedOccurrences: 0, cassetteFile: '/p/__cassettes__/bot.test.ts.cassette.json', testFile: '/p/bot.test.ts', root: '/p' }

  test('is a refusal of a secret, told by how its message begins, not by its words', () => {
    expect(isNotJsonRefusal(leak)).toBe(false)
    expect(isFailedScanRefusal(leak)).toBe(false)
    expect(isNotJsonRefusal('Tool "search" returned a value that is not JSON, so it was not recorded: result is a Map (test "t"). Tools …')).toBe(true)
    expect(isFailedScanRefusal('[vitest-llm-evals] Refused to store a recording of test "t": the secret scan failed (boom). Nothing unscanned is stored; run the test again.')).toBe(true)
  })

  test('its miss says to keep the secret out, quoting the whole test name (". " in it does not end the sentence)', () => {
    const [why, what] = refusedLines(place, { test: test_, message: leak, at: '2026-12-07T01:00:00.000Z', mode: 'auto' })
    expect(why).toContain(`refused to store a recording of this test: Refused to write __cassettes__/bot.test.ts.cassette.json: it would contain the value of SERVICE_TOKEN (a recording of test "${test_}").`)
    expect(why).not.toContain('That recording was not stored')
    expect(what).toContain('The API key was there')
  })
})
