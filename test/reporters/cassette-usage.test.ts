import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { cassetteWrites, usageReportsOf, writeUsageReports } from '../../reporters/cassette-usage.js'
import { formatRunSummary } from '../../reporters/score-history-reporter.js'
import { USAGE_META_KEY, type CassetteUsageReport } from '../../src/cassettes/usage-report.js'
import { UNSCANNED_TEXT } from '../../src/cassettes/usage-report-secrets.js'
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
    // A field this version does not know is kept (a newer worker may add one).
    expect(usageReportsOf([moduleWith({ [USAGE_META_KEY]: { ...one, later: 1 } })])).toEqual([{ ...one, later: 1 }])
  })

  test('one cassette run by two projects gets one report: used by either, complete and successful only if both were', () => {
    const a = report({ used: [{ test: 'a', repeat: 0, call: 0 }], written: 1, misses: [{ test: 'a', method: 'POST', url: 'u' }] })
    const b = report({ at: '2026-01-02T00:00:00.000Z', complete: false, notRun: { count: 1, names: ['b'] }, used: [{ test: 'a', repeat: 0, call: 0 }, { test: 'b', repeat: 0, call: 0 }], written: 2 })
    const [merged] = usageReportsOf([moduleWith({ [USAGE_META_KEY]: a }), moduleWith({ [USAGE_META_KEY]: b })])
    expect(merged).toMatchObject({ at: b.at, complete: false, successful: true, notRun: { count: 1, names: ['b'] }, written: 3, misses: a.misses })
    expect(merged?.used.map((slot) => slot.test).sort()).toEqual(['a', 'b'])
    const [withProjects] = usageReportsOf([{ ...moduleWith({ [USAGE_META_KEY]: a }), project: { name: 'mini' } }, { ...moduleWith({ [USAGE_META_KEY]: b }), project: { name: 'big' } }])
    expect(withProjects?.projects).toEqual(['mini', 'big'])
  })

  test("two reports of one cassette keep the earlier run start (prune keeps what another process recorded after it), or none when neither has one", () => {
    // Each report's fields are the later one's, but not its start: b ended later and started later.
    const a = report({ at: '2026-01-01T12:00:00.000Z', startedAt: '2026-01-01T10:00:00.000Z' })
    const b = report({ at: '2026-01-02T00:00:00.000Z', startedAt: '2026-01-01T11:00:00.000Z' })
    expect(usageReportsOf([moduleWith({ [USAGE_META_KEY]: a }), moduleWith({ [USAGE_META_KEY]: b })])[0]?.startedAt).toBe('2026-01-01T10:00:00.000Z')
    expect(usageReportsOf([moduleWith({ [USAGE_META_KEY]: b }), moduleWith({ [USAGE_META_KEY]: a })])[0]?.startedAt).toBe('2026-01-01T10:00:00.000Z')
    expect(usageReportsOf([moduleWith({ [USAGE_META_KEY]: report() }), moduleWith({ [USAGE_META_KEY]: report() })])[0]).not.toHaveProperty('startedAt')
  })

  test('tool records (recordTool) used by either project are used; reports that know no tools stay without the field', () => {
    const a = report({ usedTools: [{ test: 'a', repeat: 0, call: 0 }], tools: 2 })
    const b = report({ usedTools: [{ test: 'a', repeat: 0, call: 0 }, { test: 'b', repeat: 0, call: 0 }], tools: 2 })
    const [merged] = usageReportsOf([moduleWith({ [USAGE_META_KEY]: a }), moduleWith({ [USAGE_META_KEY]: b })])
    expect(merged?.usedTools?.map((slot) => slot.test).sort()).toEqual(['a', 'b'])
    const [plain] = usageReportsOf([moduleWith({ [USAGE_META_KEY]: report() }), moduleWith({ [USAGE_META_KEY]: report() })])
    expect(plain).not.toHaveProperty('usedTools')
  })
})

describe('usageReportsOf: requests that missed while a file was collected', () => {
  const url = 'https://api.openai.com/v1/chat/completions'
  const missText = `[vitest-llm-evals] No recording for POST ${url} (cassette mode: replay).\n  Test:     (file)\n  Cassette: __cassettes__/collect.test.ts.cassette.json\n  Nothing was recorded for POST /v1/chat/completions in this cassette.`
  const collected = (errors: unknown[], meta: object = {}) => ({ meta: () => meta, moduleId: '/project/collect.test.ts', project: { name: '' }, errors: () => errors })

  test('a module with no report whose errors hold a cassette miss (no hook ran) gets a report with that miss, not complete and not successful', () => {
    const [report] = usageReportsOf([collected([{ message: `400 ${missText}` }])], '/project')
    expect(report).toMatchObject({
      cassette: '__cassettes__/collect.test.ts.cassette.json', testFile: 'collect.test.ts', mode: 'replay', complete: false, successful: false,
      used: [], refused: [], misses: [{ test: '(file)', method: 'POST', url }],
    })
  })

  test("a module the worker left no report on (a file-level afterAll threw first) gets one from its tests' errors", () => {
    const testMiss = missText.replace('(file)', 'one')
    const module = { ...collected([{ message: 'db.close() failed' }]), children: { allTests: () => [{ result: () => ({ errors: [{ message: `400 ${testMiss}` }] }) }, { result: () => ({}) }] } }
    expect(usageReportsOf([module], '/project')[0]?.misses).toEqual([{ test: 'one', method: 'POST', url }])
  })

  test('the miss may be the cause of the error (an SDK that wraps it); errors without a miss, and modules with a report, are left alone', () => {
    expect(usageReportsOf([collected([{ message: 'Connection error.', cause: { message: missText } }])], '/project')[0]?.misses).toEqual([{ test: '(file)', method: 'POST', url }])
    expect(usageReportsOf([collected([{ message: 'SyntaxError: Unexpected token' }])], '/project')).toEqual([])
    const own = report()
    expect(usageReportsOf([collected([{ message: missText }], { [USAGE_META_KEY]: own })], '/project')).toEqual([{ ...own, projects: [''] }])
  })

  test("a secret in the test's name or the URL of a miss read from errors is redacted before the report is written, as in a worker's report", () => {
    const token = 'ghp_' + 'Qm7'.repeat(12)
    const leaky = missText.replace('(file)', `deploys with ${token}`).replace(url, `${url}?note=${token}`)
    const [report] = usageReportsOf([collected([{ message: `400 ${leaky}` }])], '/project')
    expect(JSON.stringify(report)).not.toContain(token)
    expect(report?.misses).toEqual([{ test: 'deploys with [REDACTED]', method: 'POST', url: `${url}?note=[REDACTED]` }])
  })

  test('when the secret scan fails, the miss keeps no text of the errors', () => {
    const failing = () => {
      throw new Error('no scanner')
    }
    const [report] = usageReportsOf([collected([{ message: missText }])], '/project', failing)
    expect(report?.misses).toEqual([{ test: UNSCANNED_TEXT, method: 'POST', url: UNSCANNED_TEXT }])
  })
})

describe('cassetteWrites and writeUsageReports', () => {
  test('sums what was written, refused and missed over the files', () => {
    const refusal = { test: 'echo', message: 'Refused' }
    const miss = { test: 'a', method: 'POST', url: 'https://api.openai.com/v1/chat/completions' }
    expect(cassetteWrites([report({ written: 2 }), report({ written: 3, refused: [refusal], misses: [miss, miss] }), report({ written: undefined, misses: [miss] })])).toEqual({ written: 5, refused: [refusal], missed: 3 })
  })

  test('sums the recordings another process stored first, also over two projects of one cassette', () => {
    const mini = report({ written: 1 })
    const big = report({ written: 0, alreadyRecorded: { entries: 1, tools: 1 } })
    const merged = usageReportsOf([{ ...moduleWith({ [USAGE_META_KEY]: mini }), project: { name: 'mini' } }, { ...moduleWith({ [USAGE_META_KEY]: big }), project: { name: 'big' } }])
    expect(merged).toHaveLength(1)
    expect(cassetteWrites(merged)).toEqual({ written: 1, refused: [], missed: 0, alreadyRecorded: { entries: 1, tools: 1 } })
    expect(cassetteWrites([mini])).not.toHaveProperty('alreadyRecorded')
  })

  test('sums the recordings `auto` made in place of ones whose sidecar was gone, and the summary line says so', () => {
    const writes = cassetteWrites([report({ written: 1, restoredSidecars: 1 }), report({ written: 1, restoredSidecars: 1 }), report({ written: 0 })])
    expect(writes.restoredSidecars).toBe(2)
    expect(cassetteWrites([report()])).not.toHaveProperty('restoredSidecars')
    const totals = { tests: 2, scores: 0, failedScores: 0, replayed: 0, recorded: 2 } as Parameters<typeof formatRunSummary>[0]
    expect(formatRunSummary(totals, 'auto', writes, undefined, [])).toContain('cassettes [auto]: 0 replayed, 2 recorded (2 in place of a recording whose sidecar file was missing or damaged)')
  })

  test("two projects of one cassette: each project's calls discarded on a retry are summed in the one report, whichever ran last", () => {
    const mini = report({ at: '2026-01-01T00:00:00.000Z', discardedOnRetry: { entries: 1, tools: 0 } })
    const big = report({ at: '2026-01-02T00:00:00.000Z', discardedOnRetry: { entries: 2, tools: 1 } })
    const merge = (...reports: CassetteUsageReport[]) => usageReportsOf(reports.map((each, index) => ({ ...moduleWith({ [USAGE_META_KEY]: each }), project: { name: `p${index}` } })))[0]
    expect(merge(mini, big)?.discardedOnRetry).toEqual({ entries: 3, tools: 1 })
    expect(merge(mini, report({ at: '2026-01-02T00:00:00.000Z' }))?.discardedOnRetry).toEqual({ entries: 1, tools: 0 })
    expect(merge(report(), report())).not.toHaveProperty('discardedOnRetry')
  })

  test('a run limited to some projects (--project), over a report on the same cassette naming others: not complete, names the project that did not run it, and keeps what that run used', () => {
    const root = mkdtempSync(join(tmpdir(), 'usage-'))
    const read = () => readdirSync(usageDir(root)).map((name) => JSON.parse(readFileSync(join(usageDir(root), name), 'utf8')) as CassetteUsageReport)
    const slot = (test: string) => ({ test, repeat: 0, call: 0 })
    writeUsageReports(root, [report({ projects: ['mini', 'big'], used: [slot('mini'), slot('big')] })])
    writeUsageReports(root, [report({ at: '2026-01-02T00:00:00.000Z', projects: ['mini'], used: [slot('mini')] })], { someProjects: true })
    expect(read()).toEqual([expect.objectContaining({ at: '2026-01-02T00:00:00.000Z', complete: false, projects: ['mini'], projectsNotRun: ['big'], used: [slot('mini'), slot('big')] })])
    // Again only mini: big is still owed a run.
    writeUsageReports(root, [report({ at: '2026-01-03T00:00:00.000Z', projects: ['mini'], used: [slot('mini')] })], { someProjects: true })
    expect(read()[0]).toMatchObject({ complete: false, projectsNotRun: ['big'] })
    // A run of every project is the whole truth again, also when a project no longer runs the file.
    writeUsageReports(root, [report({ at: '2026-01-04T00:00:00.000Z', projects: ['mini'], used: [slot('mini')] })])
    expect(read()[0]).toMatchObject({ complete: true, projects: ['mini'], used: [slot('mini')] })
    expect(read()[0]).not.toHaveProperty('projectsNotRun')
    // --project naming every project that ran it before: complete.
    writeUsageReports(root, [report({ at: '2026-01-05T00:00:00.000Z', projects: ['mini'] })], { someProjects: true })
    expect(read()[0]).toMatchObject({ complete: true })
  })

  test("a run of one project (--project) keeps what another project's last run missed or could not store, until that project runs again", () => {
    const root = mkdtempSync(join(tmpdir(), 'usage-'))
    const read = () => readdirSync(usageDir(root)).map((name) => JSON.parse(readFileSync(join(usageDir(root), name), 'utf8')) as CassetteUsageReport)[0]
    const [big] = usageReportsOf([{ meta: () => ({ [USAGE_META_KEY]: report({ successful: false, misses: [{ test: 'q1', method: 'POST', url: 'u' }], refused: [{ test: 'q2', message: 'Refused' }] }) }), project: { name: 'big' } }])
    expect(big).toMatchObject({ misses: [{ test: 'q1', project: 'big' }], refused: [{ test: 'q2', project: 'big' }] })
    writeUsageReports(root, [big!], { someProjects: true })
    const [mini] = usageReportsOf([{ meta: () => ({ [USAGE_META_KEY]: report({ at: '2026-01-02T00:00:00.000Z' }) }), project: { name: 'mini' } }])
    writeUsageReports(root, [mini!], { someProjects: true })
    expect(read()).toMatchObject({ projects: ['mini'], projectsNotRun: ['big'], successful: false, misses: [{ test: 'q1', project: 'big' }], refused: [{ test: 'q2', project: 'big' }] })
    const [bigAgain] = usageReportsOf([{ meta: () => ({ [USAGE_META_KEY]: report({ at: '2026-01-03T00:00:00.000Z' }) }), project: { name: 'big' } }])
    writeUsageReports(root, [bigAgain!], { someProjects: true })
    expect(read()).toMatchObject({ projects: ['big'], projectsNotRun: ['mini'], successful: true, misses: [], refused: [] })
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

  test('a run whose only model calls were made at file level (beforeAll, module top level) still has its line (found by a tester)', () => {
    expect(formatRunSummary(totals({ tests: 0, replayed: 0, recorded: 0 }), 'replay', { written: 0, refused: [], replayedOutsideTests: 2 })).toBe('LLM evals: 0 scores (0 below threshold) · cassettes [replay]: 2 replayed, 0 recorded')
    expect(formatRunSummary(totals({ tests: 0, replayed: 0, recorded: 0 }), 'auto', { written: 0, refused: [], alreadyRecorded: { entries: 1, tools: 0 } })).toBe(
      'LLM evals: 0 scores (0 below threshold) · cassettes [auto]: 0 replayed, 0 recorded, 1 sent live but already recorded by another process',
    )
  })

  test('the first refusal never prints a live secret or a key-shaped value it may hold (a test name built from a dataset row, found by a new user)', () => {
    const secrets = [{ name: 'SERVICE_TOKEN', value: 'svc9f8e7d6c5b4a3928' }]
    const refused = [{ test: 'x', message: '[vitest-llm-evals] Refused to write a.json: a recording of test "answers for token svc9f8e7d6c5b4a3928 sk-proj-abcdefghijklmnop0123456789".' }]
    const line = formatRunSummary(totals({ tests: 0, replayed: 0 }), 'auto', { written: 0, refused }, undefined, secrets) ?? ''
    expect(line).toContain('answers for token [REDACTED SERVICE_TOKEN] ')
    expect(line).not.toContain('svc9f8e7d6c5b4a3928')
    expect(line).not.toContain('sk-proj-abcdefghijklmnop0123456789')
  })

  test('requests and tool calls that missed their recordings are counted, with where to see them, also in a run with no score (found by a new user)', () => {
    expect(formatRunSummary(totals({ tests: 0, replayed: 0 }), 'replay', { written: 0, refused: [], missed: 3 })).toBe(
      'LLM evals: 0 scores (0 below threshold) · cassettes [replay]: 0 replayed, 0 recorded, 3 missing (`npx llm-evals cassettes check` lists them)',
    )
    expect(formatRunSummary(totals({ replayed: 4, recorded: 0 }), 'replay', { written: 0, refused: [], missed: 1 })).toContain('4 replayed, 0 recorded, 1 missing (')
    expect(formatRunSummary(totals({ replayed: 4, recorded: 0 }), 'replay', { written: 0, refused: [], missed: 0 })).not.toContain('missing')
  })

  test('names the scores below threshold (tests can pass with some), the three lowest and how many more', () => {
    const score = (caseId: string, metric: string, value: number, pass: boolean, extra = {}) => ({ suite: 'qa.test.ts', test: `qa > ${caseId}`, caseId, metric, score: value, pass, trials: 1, ...extra })
    const cases = [score('a', 'factuality', 0.9, true), score('b', 'factuality', 0.41, false), score('c', 'rouge', 0.2, false, { variant: 'short' }), score('d', 'label:tone', 0, false, { awaitingLabel: true }), score('e', 'rouge', 0.1, false), score('f', 'rouge', 0, false)]
    expect(formatRunSummary(totals({ scores: 5, failedScores: 4 }), 'replay', undefined, cases)).toBe(
      'LLM evals: 5 scores (4 below threshold: qa > f · rouge 0.00, qa > e · rouge 0.10, qa > c · rouge [short] 0.20, +1 more in the report) · cassettes [replay]: 3 replayed, 7 recorded — commit the __cassettes__ changes',
    )
    expect(formatRunSummary(totals({ scores: 1, failedScores: 1 }), 'replay', undefined, [score('b', 'factuality', 0.41, false)])).toContain('(1 below threshold: qa > b · factuality 0.41)')
    expect(formatRunSummary(totals({ scores: 1 }), 'replay', undefined, [score('a', 'factuality', 0.9, true)])).toContain('(0 below threshold)')
  })

  test('two suites sharing case names stay apart: each case is named by its describe chain, and its file when the run has several', () => {
    const score = (suite: string, test: string, caseId: string | undefined, value: number, extra = {}) => ({ suite, test, ...(caseId === undefined ? {} : { caseId }), metric: 'brevity', score: value, pass: false, trials: 1, ...extra })
    // Two describeEval blocks of one file, same rows.
    const oneFile = [score('bot.test.ts > support bot', 'support bot > greeting', 'greeting', 0), score('bot.test.ts > sales bot', 'sales bot > greeting', 'greeting', 0.1)]
    expect(formatRunSummary(totals({ scores: 2, failedScores: 2 }), 'replay', undefined, oneFile)).toContain('(2 below threshold: support bot > greeting · brevity 0.00, sales bot > greeting · brevity 0.10) ·')
    // Nested describes, a name template that adds the row's text (the case id stands for it), a variant (after the metric), a test without a case id.
    const nested = [
      score('bot.test.ts > bots', 'bots > support bot > greeting: Hello there', 'greeting', 0),
      score('bot.test.ts > prompts', 'prompts > zero-shot > greeting', 'greeting', 0.1, { variant: 'zero-shot' }),
      score('bot.test.ts', 'says hello', undefined, 0.2),
    ]
    expect(formatRunSummary(totals({ scores: 3, failedScores: 3 }), 'replay', undefined, nested)).toContain(
      '(3 below threshold: bots > support bot > greeting · brevity 0.00, prompts > greeting · brevity [zero-shot] 0.10, says hello · brevity 0.20) ·',
    )
    // Several files: the file name first; its path when two files share a name.
    const files = [score('evals/support/bot.test.ts > support bot', 'support bot > greeting', 'greeting', 0), score('evals/sales.test.ts > sales bot', 'sales bot > greeting', 'greeting', 0.1), { ...score('evals/sales.test.ts', 'x', undefined, 1), pass: true }]
    expect(formatRunSummary(totals({ scores: 3, failedScores: 2 }), 'replay', undefined, files)).toContain('(2 below threshold: bot.test.ts > support bot > greeting · brevity 0.00, sales.test.ts > sales bot > greeting · brevity 0.10) ·')
    const sameName = [score('evals/support/bot.test.ts > support bot', 'support bot > greeting', 'greeting', 0), score('evals/sales/bot.test.ts > sales bot', 'sales bot > greeting', 'greeting', 0.1)]
    expect(formatRunSummary(totals({ scores: 2, failedScores: 2 }), 'replay', undefined, sameName)).toContain(
      '(2 below threshold: evals/support/bot.test.ts > support bot > greeting · brevity 0.00, evals/sales/bot.test.ts > sales bot > greeting · brevity 0.10) ·',
    )
  })

  test('"more in the report" counts the cases the report lists, not the failing trials and repeated calls of a named case', () => {
    const score = (caseId: string, value: number, trials: number) => ({ suite: 'qa.test.ts', test: `qa > ${caseId}`, caseId, metric: 'rouge', score: value, pass: false, trials })
    // One case, three trials, each below threshold: three failing scores, one case, nothing more to see.
    expect(formatRunSummary(totals({ scores: 3, failedScores: 3 }), 'replay', undefined, [score('a', 0.2, 3)])).toContain('(3 below threshold in 1 case: qa > a · rouge 0.20) ·')
    const five = ['a', 'b', 'c', 'd', 'e'].map((id, at) => score(id, at / 10, 2))
    expect(formatRunSummary(totals({ scores: 10, failedScores: 10 }), 'replay', undefined, five)).toContain('(10 below threshold in 5 cases: qa > a · rouge 0.00, qa > b · rouge 0.10, qa > c · rouge 0.20, +2 more in the report) ·')
    // Two cases with two failing metrics each, two trials: 8 scores, 4 named entries, 2 cases (found by a new user).
    const two = ['late', 'refund'].flatMap((id) => [score(id, 0, 2), { ...score(id, 0.2, 2), metric: 'scorer-3' }])
    expect(formatRunSummary(totals({ scores: 8, failedScores: 8 }), 'replay', undefined, two)).toContain('(8 below threshold in 2 cases: qa > late · rouge 0.00, qa > refund · rouge 0.00, qa > late · scorer-3 0.20, +1 more in the report) ·')
  })
})

describe('writeUsageReports with --project', () => {
  test("what it carries forward from the earlier report (another project's misses and refusals, maybe written by an older version) is secret-scanned too", () => {
    const root = mkdtempSync(join(tmpdir(), 'usage-carried-'))
    const token = 'ghp_' + 'Qm7'.repeat(12)
    // An earlier report as a version before the scan wrote it: the other project's miss and refusal hold a token.
    writeUsageReports(root, [report({ projects: ['mini', 'big'], misses: [{ test: `orders ${token}`, method: 'POST', url: `https://api.example.com/v1?note=${token}`, project: 'big' }], refused: [{ test: 'b', message: `refused ${token}`, project: 'big' } as never], successful: false })])
    writeUsageReports(root, [report({ at: '2026-01-02T00:00:00.000Z', projects: ['mini'] })], { someProjects: true })
    const [name] = readdirSync(usageDir(root))
    const text = readFileSync(join(usageDir(root), name as string), 'utf8')
    expect(text).not.toContain(token)
    const stored = JSON.parse(text) as CassetteUsageReport
    expect(stored.projectsNotRun).toEqual(['big'])
    expect(stored.misses).toHaveLength(1)
    expect(stored.misses[0]?.url).toContain('[REDACTED]')
  })
})

