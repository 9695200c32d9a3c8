import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { cassetteWrites, usageReportsOf, writeUsageReports } from '../../reporters/cassette-usage.js'
import { formatRunSummary } from '../../reporters/score-history-reporter.js'
import { USAGE_META_KEY, type CassetteUsageReport } from '../../src/cassettes/usage-report.js'
import { usageDir } from '../../src/cassettes/worker-options.js'
import { noTokens } from '../../src/history/run-record.js'

const none = { count: 0, names: [] }
function report(extra: Partial<CassetteUsageReport> = {}): CassetteUsageReport {
  return {
    cassette: '__cassettes__/bot.test.ts.cassette.json', testFile: 'bot.test.ts', mode: 'replay', at: '2026-01-01T00:00:00.000Z',
    complete: true, successful: true, notRun: none, failed: none, total: 2, written: 0, refused: [], used: [], misses: [], fingerprint: 'f', ...extra,
  }
}
const moduleWith = (meta: object) => ({ meta: () => meta })

describe('usageReportsOf', () => {
  test('reads the report each test module carries, and skips modules without one or with something else there', () => {
    const one = report()
    expect(usageReportsOf([moduleWith({ [USAGE_META_KEY]: one }), moduleWith({}), moduleWith({ [USAGE_META_KEY]: { cassette: 1 } })])).toEqual([one])
  })

  test('one cassette run by two projects gets one report: used by either, complete and successful only if both were', () => {
    const a = report({ used: [{ test: 'a', repeat: 0, call: 0 }], written: 1, misses: [{ test: 'a', method: 'POST', url: 'u' }] })
    const b = report({ at: '2026-01-02T00:00:00.000Z', complete: false, notRun: { count: 1, names: ['b'] }, used: [{ test: 'a', repeat: 0, call: 0 }, { test: 'b', repeat: 0, call: 0 }], written: 2 })
    const [merged] = usageReportsOf([moduleWith({ [USAGE_META_KEY]: a }), moduleWith({ [USAGE_META_KEY]: b })])
    expect(merged).toMatchObject({ at: b.at, complete: false, successful: true, notRun: { count: 1, names: ['b'] }, written: 3, misses: a.misses })
    expect(merged?.used.map((slot) => slot.test).sort()).toEqual(['a', 'b'])
  })
})

describe('cassetteWrites and writeUsageReports', () => {
  test('sums what was written and refused over the files', () => {
    const refusal = { test: 'echo', message: 'Refused' }
    expect(cassetteWrites([report({ written: 2 }), report({ written: 3, refused: [refusal] }), report({ written: undefined })])).toEqual({ written: 5, refused: [refusal] })
  })

  test('writes one file per cassette into the usage folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'usage-'))
    writeUsageReports(root, [report(), report({ cassette: 'other.cassette.json' })])
    const files = readdirSync(usageDir(root))
    expect(files).toHaveLength(2)
    expect(files.map((name) => (JSON.parse(readFileSync(join(usageDir(root), name), 'utf8')) as CassetteUsageReport).cassette).sort()).toEqual(['__cassettes__/bot.test.ts.cassette.json', 'other.cassette.json'])
  })
})

describe('formatRunSummary', () => {
  const totals = (extra = {}) => ({ tests: 1, scores: 0, failedScores: 0, replayed: 3, recorded: 7, tokens: noTokens(), costUsd: 0, ...extra })

  test('"recorded" is what the cassettes stored, when they reported it', () => {
    expect(formatRunSummary(totals(), 'auto', { written: 2, refused: [] })).toBe('LLM evals: 0 scores (0 below threshold) · cassettes [auto]: 3 replayed, 2 recorded — commit the __cassettes__ changes')
    expect(formatRunSummary(totals(), 'auto')).toContain('3 replayed, 7 recorded')
  })

  test('refused recordings are counted, with the first line of the first message, also when no test has cassette counts', () => {
    const refused = [{ test: 'echo', message: '[vitest-llm-evals] Refused to write a.json: it would contain the value of OPENAI_API_KEY.\nAdd a redact rule.' }, { test: 'b', message: 'x' }]
    expect(formatRunSummary(totals({ tests: 0, replayed: 0 }), 'auto', { written: 0, refused })).toBe(
      'LLM evals: 0 scores (0 below threshold) · cassettes [auto]: 0 replayed, 0 recorded, 2 refused (first: [vitest-llm-evals] Refused to write a.json: it would contain the value of OPENAI_API_KEY.)',
    )
    expect(formatRunSummary(totals({ tests: 0 }), 'replay', { written: 0, refused: [] })).toBeUndefined()
  })
})
