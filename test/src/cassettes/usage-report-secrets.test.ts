// The usage report's free text (test names, URLs, refusal messages) is written to a file: it is scanned for secrets
// as the cassette's unrecorded marks are, and nothing unscanned is kept.
import { describe, expect, test } from 'vitest'
import { scanUsageReport, UNSCANNED_TEXT } from '../../../src/cassettes/usage-report-secrets.js'
import type { CassetteUsageReport } from '../../../src/cassettes/usage-report.js'

const TOKEN = 'ghp_' + 'Qm7'.repeat(12)
const report = (): CassetteUsageReport => ({
  cassette: '__cassettes__/a.test.ts.cassette.json',
  testFile: 'a.test.ts',
  mode: 'auto',
  at: '2026-12-07T09:00:00.000Z',
  complete: false,
  successful: false,
  notRun: { count: 1, names: [`skips ${TOKEN}`] },
  failed: { count: 2, names: [`deploys with ${TOKEN}`, 'plain'] },
  total: 0,
  refused: [{ test: `refuses ${TOKEN}`, message: `Refused to record a call of test "refuses ${TOKEN}"` }],
  unfinished: [
    { test: `deploys with ${TOKEN}`, key: 'k1', method: 'POST', url: 'https://api.openai.com/v1/chat/completions', reason: 'test-timeout' },
    { test: 'plain', key: 'k2', method: 'POST', url: `https://api.example.com/v1/chat?note=${TOKEN}`, reason: 'app-abort' },
  ],
  used: [{ test: 'plain', repeat: 0, call: 0 }],
  misses: [{ test: `misses ${TOKEN}`, method: 'POST', url: 'https://api.openai.com/v1/chat/completions' }],
})

describe('scanUsageReport', () => {
  test('passes when every secret in the free text is redacted, and drops the unfinished calls of tests whose names hold one', async () => {
    const scanned = await scanUsageReport(report())
    expect(JSON.stringify(scanned)).not.toContain(TOKEN)
    expect(scanned.failed).toEqual({ count: 2, names: ['deploys with [REDACTED]', 'plain'] })
    expect(scanned.notRun?.names).toEqual(['skips [REDACTED]'])
    expect(scanned.misses[0]?.test).toBe('misses [REDACTED]')
    expect(scanned.refused).toEqual([{ test: 'refuses [REDACTED]', message: 'Refused to record a call of test "refuses [REDACTED]"' }])
    expect(scanned.unfinished).toEqual([{ test: 'plain', key: 'k2', method: 'POST', url: 'https://api.example.com/v1/chat?note=[REDACTED]', reason: 'app-abort' }])
    expect(scanned.used).toEqual([{ test: 'plain', repeat: 0, call: 0 }])
  })

  test('keeps no unscanned text when the scan fails', async () => {
    const scanned = await scanUsageReport(report(), () => Promise.reject(new Error('rules failed to load')))
    expect(JSON.stringify(scanned)).not.toContain(TOKEN)
    expect(scanned.failed?.names).toEqual([UNSCANNED_TEXT, UNSCANNED_TEXT])
    expect(scanned.unfinished).toBeUndefined()
    expect(scanned.misses).toEqual([{ test: UNSCANNED_TEXT, method: 'POST', url: UNSCANNED_TEXT }])
  })

  test('does not scan a report with no free text (a replay whose tests all ran and passed)', async () => {
    const clean: CassetteUsageReport = { ...report(), notRun: { count: 0, names: [] }, failed: { count: 0, names: [] }, refused: [], misses: [] }
    delete clean.unfinished
    let scans = 0
    expect(await scanUsageReport(clean, async () => (scans++, []))).toBe(clean)
    expect(scans).toBe(0)
  })
})
