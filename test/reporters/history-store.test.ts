import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { SecretLeakError } from '../../src/errors/index.js'
import { finishRun } from '../../reporters/history-store.js'
import { selectBaseline, writePinnedBaseline } from '../../src/history/baseline.js'
import { appendRun, applyRetention, readHistory, type HistoryWarning } from '../../src/history/history-file.js'
import { historyRun } from './fixtures.js'
import { embeddedData } from './report-page-fixtures.js'
import { ROW_FLAGS } from '../../reporters/report-data.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('history file', () => {
  test('appends one JSON line per run and reads them back oldest first', () => {
    const file = join(dir, '.evals', 'history.jsonl')
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    appendRun(file, historyRun('r2', { rouge: 0.8 }))
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3)
    expect(readHistory(file).map((run) => run.id)).toEqual(['r1', 'r2'])
    expect(readdirSync(join(dir, '.evals'))).toEqual(['history.jsonl'])
  })

  test("a group's interval is kept across the round trip, and a line written before intervals existed reads without one", () => {
    const withInterval = historyRun('r2', { rouge: 0.8 })
    withInterval.groups[0]!.interval = { low: 0.7, high: 0.9 }
    appendRun(join(dir, 'h.jsonl'), historyRun('r1', { rouge: 0.9 }))
    appendRun(join(dir, 'h.jsonl'), withInterval)
    const [old, current] = readHistory(join(dir, 'h.jsonl'))
    expect(old?.groups[0]).not.toHaveProperty('interval')
    expect(current?.groups[0]?.interval).toEqual({ low: 0.7, high: 0.9 })
  })

  test('a broken line in an old file is skipped with a warning naming file and line, and kept verbatim on append', () => {
    const file = join(dir, 'history.jsonl')
    writeFileSync(file, `${JSON.stringify(historyRun('r1', { rouge: 0.9 }))}\n{"v":1,"id":"half-writ\n{"unrelated":true}\n`)
    const warnings: HistoryWarning[] = []
    expect(readHistory(file, (warning) => warnings.push(warning)).map((run) => run.id)).toEqual(['r1'])
    expect(warnings).toEqual([
      { file, line: 2, message: 'not valid JSON (a write cut short: a killed run?); the line is skipped and kept as is' },
      { file, line: 3, message: 'not a history run (v: Invalid input: expected number, received undefined); skipped and kept as is' },
    ])
    appendRun(file, historyRun('r2', { rouge: 0.8 }))
    const lines = readFileSync(file, 'utf8').split('\n')
    expect(lines[1]).toBe('{"v":1,"id":"half-writ')
    expect(lines[2]).toBe('{"unrelated":true}')
    expect(readHistory(file).map((run) => run.id)).toEqual(['r1', 'r2'])
  })

  test('a failed write leaves the old file intact', () => {
    const file = join(dir, 'history.jsonl')
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    const before = readFileSync(file, 'utf8')
    const unserialisable = { ...historyRun('r2', { rouge: 0.8 }), loop: 1n } as never
    expect(() => appendRun(file, unserialisable)).toThrow(/BigInt/)
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect(readdirSync(dir)).toEqual(['history.jsonl'])
  })

  test('retention drops per-case detail, then per-case scores, of old runs; aggregates stay', () => {
    const run = historyRun('r1', { rouge: 0.9 })
    run.cases = run.cases?.map((score) => ({ ...score, output: 'long output', reason: 'why' }))
    const retention = { caseScores: 3, caseDetails: 1 }
    expect(applyRetention(run, 0, retention)).toBeUndefined()
    expect(applyRetention(run, 1, retention)?.cases?.[0]).not.toHaveProperty('output')
    expect(applyRetention(run, 3, retention)).not.toHaveProperty('cases')
    const file = join(dir, 'history.jsonl')
    for (const id of ['r1', 'r2', 'r3', 'r4']) appendRun(file, { ...run, id }, retention)
    const runs = readHistory(file)
    expect(runs.map((each) => [each.id, each.cases?.length ?? 0, each.cases?.[0]?.output ?? null, each.groups.length])).toEqual([
      ['r1', 0, null, 1],
      ['r2', 1, null, 1],
      ['r3', 1, null, 1],
      ['r4', 1, 'long output', 1],
    ])
  })

  test('an errored case\'s error text is detail too: kept keepCaseDetails runs like outputs, not keepCaseScores runs; its score stays', () => {
    const run = historyRun('r1', { rouge: 0.5 }, {}, 2)
    run.cases = run.cases?.map((score, index) => (index === 0 ? { ...score, score: 0, pass: false, error: 'task threw: TypeError: x is undefined' } : score))
    const retention = { caseScores: 200, caseDetails: 2 }
    expect(applyRetention(run, 1, retention)).toBeUndefined()
    expect(applyRetention(run, 2, retention)?.cases?.[0]).toEqual({ suite: 'bot.test.ts > bot', test: 'bot > a', caseId: 'a', metric: 'rouge', score: 0, pass: false, trials: 1 })
    const file = join(dir, 'errors.jsonl')
    for (const id of ['r1', 'r2', 'r3', 'r4']) appendRun(file, { ...run, id }, retention)
    expect(readHistory(file).map((each) => [each.id, each.cases?.[0]?.score, each.cases?.[0]?.error ?? null])).toEqual([
      ['r1', 0, null],
      ['r2', 0, null],
      ['r3', 0, 'task threw: TypeError: x is undefined'],
      ['r4', 0, 'task threw: TypeError: x is undefined'],
    ])
  })

  test('the expected answer is detail too: dropped with it, also from a run that kept nothing else', () => {
    const run = historyRun('r1', { rouge: 0.9 })
    run.cases = run.cases?.map((score) => ({ ...score, expected: 'Paris' }))
    expect(applyRetention(run, 1, { caseScores: 3, caseDetails: 1 })?.cases?.[0]).not.toHaveProperty('expected')
    const file = join(dir, 'expected.jsonl')
    for (const id of ['r1', 'r2', 'r3']) appendRun(file, { ...run, id }, { caseScores: 3, caseDetails: 1 })
    expect(readHistory(file).map((each) => [each.id, each.cases?.[0]?.expected ?? null])).toEqual([['r1', null], ['r2', null], ['r3', 'Paris']])
  })
})

describe('baseline', () => {
  test('a pinned run wins; else the newest run on the named branch; else none', () => {
    const runs = [historyRun('r1', { rouge: 1 }, { git: { branch: 'main' } }), historyRun('r2', { rouge: 1 }, { git: { branch: 'main' } }), historyRun('r3', { rouge: 1 }, { git: { branch: 'feature' } })]
    expect(selectBaseline(runs, { runId: 'r1', branch: 'main' })?.id).toBe('r1')
    expect(selectBaseline(runs, { branch: 'main' })?.id).toBe('r2')
    expect(selectBaseline(runs, {})).toBeUndefined()
  })
})

describe('finishRun', () => {
  const files = () => ({ root: dir, history: join(dir, 'h.jsonl'), baseline: join(dir, 'baseline.json'), retention: { caseScores: 10, caseDetails: 10 }, html: join(dir, 'report.html'), json: join(dir, 'summary.json'), stepSummary: join(dir, 'step.md') })
  const identity = { time: new Date('2025-02-01T00:00:00Z'), vitestVersion: '5.1.2', env: {} }
  const warn = () => {}

  test('compares with the pinned baseline, appends the run and writes every report', () => {
    appendRun(files().history, historyRun('r1', { rouge: 0.9 }, {}, 6))
    appendRun(files().history, historyRun('r2', { rouge: 0.6 }, {}, 6))
    writePinnedBaseline(files().baseline, historyRun('r1', { rouge: 0.9 }, {}, 6))
    const finished = finishRun(historyRun('x', { rouge: 0.7 }, {}, 6), identity, files(), { gate: { failOnRegression: true, tolerance: 0.05, confidence: 0.95 }, tolerance: 0.05, write: true }, { warn })
    expect(finished.comparison.rows[0]).toMatchObject({ previous: 0.6, baseline: 0.9, regressed: true })
    expect(finished.gateFailures[0]).toContain('dropped 0.200 (6 paired cases, 95% CI of the change −0.200…−0.200) vs the baseline r1 (mean score 0.900 → 0.700)')
    expect(readHistory(files().history).map((run) => run.time)).toEqual(['2025-01-01T10:00:00.000Z', '2025-01-02T10:00:00.000Z', '2025-02-01T00:00:00.000Z'])
    expect(finished.run.versions).toMatchObject({ vitest: '5.1.2', library: '0.1.0' })
    // A later run tells this line from one of 0.1.0, whose means left cases that could not be scored out.
    expect(readHistory(files().history).at(-1)?.errorsCounted).toBe(true)
    expect(finished.written).toEqual([files().history, files().html, files().json, files().stepSummary])
    expect(JSON.parse(readFileSync(files().json, 'utf8'))).toMatchObject({ comparison: { baselineRunId: 'r1', previousRunId: 'r2', rows: [{ metric: 'rouge', previousRunId: 'r2', reference: { kind: 'baseline', runId: 'r1', mean: 0.9 } }] }, gateFailures: [expect.stringContaining('rouge')] })
    expect(readFileSync(files().stepSummary, 'utf8')).toContain('**Gate failed:**')
  })

  test('a partial merge: the line is marked, and the report and step summary say what it lacks', () => {
    const missing = finishRun(historyRun('x', { rouge: 0.7 }), identity, files(), { tolerance: 0.05, write: true, shards: { count: 3, merged: [1, 2], missing: [3] } }, { warn })
    expect(missing.run.partial).toEqual({ shardCount: 3, missingShards: [3] })
    expect(readFileSync(files().html!, 'utf8')).toContain('Partial run: merged 2 of 3 shards (missing: 3/3); the suites of the missing shards are not in this report.')
    expect(readFileSync(files().stepSummary, 'utf8')).toContain('**Partial run: merged 2 of 3 shards: shard 3/3 missing.**')
    expect(readFileSync(files().stepSummary, 'utf8')).toContain('This summary and the history line (marked partial) hold only what the merged blob reports do.')
    const mixed = finishRun(historyRun('y', { rouge: 0.7 }), identity, files(), { tolerance: 0.05, write: true, shards: { count: 3, merged: [1, 2, 3], missing: [], counts: [2, 3] } }, { warn })
    expect(mixed.run.partial).toEqual({ shardCount: 3, missingShards: [], shardCounts: [2, 3] })
    expect(readFileSync(files().html!, 'utf8')).toContain('Partial run: merged 3 of 3 shards; its blob reports came from runs split differently (…/2 and …/3).')
    expect(readHistory(files().history).map((run) => run.partial?.missingShards)).toEqual([[3], []])
    // Blob reports of two commits, one test file in two of them.
    const twice = finishRun(historyRun('z', { rouge: 0.7 }), identity, files(), { tolerance: 0.05, write: true, shards: { count: 2, merged: [1, 2], missing: [], duplicated: 1, commits: ['1111111', '2222222'] } }, { warn })
    expect(twice.run.partial).toEqual({ shardCount: 2, missingShards: [], duplicatedFiles: 1, commits: ['1111111', '2222222'] })
    expect(readFileSync(files().html!, 'utf8')).toContain('Partial run: merged 2 of 2 shards; its blob reports came from runs of different commits (1111111 and 2222222); 1 test file was in two blob reports, its cases counted twice.')
    // A shard that ran no test file without saying which (2/4 or 4/4): one of the two is missing, which is not known.
    const unknown = finishRun(historyRun('w', { rouge: 0.7 }), identity, files(), { tolerance: 0.05, write: true, shards: { count: 4, merged: [1, 3], missing: [2, 4], ranEmpty: 1 } }, { warn })
    expect(unknown.run.partial).toEqual({ shardCount: 4, missingShards: [2, 4], ranEmpty: 1 })
    expect(readHistory(files().history).at(-1)?.partial).toEqual({ shardCount: 4, missingShards: [2, 4], ranEmpty: 1 })
    expect(readFileSync(files().html!, 'utf8')).toContain('Partial run: merged 2 of 4 shards (missing: 1 of 2/4, 4/4, the other ran no test file); the suites of the missing shards are not in this report.')
    expect(readFileSync(files().stepSummary, 'utf8')).toContain('**Partial run: merged 2 of 4 shards: 1 of shards 2/4, 4/4 missing, one ran no test file (its blob report is there, without saying which shard it was).**')
  })

  test('writes nothing when asked not to (shard runs) or when the run has no scores', () => {
    finishRun(historyRun('x', { rouge: 0.7 }), identity, files(), { tolerance: 0.05, write: false }, { warn })
    finishRun(historyRun('y', {}), identity, files(), { tolerance: 0.05, write: true }, { warn })
    expect(readdirSync(dir)).toEqual([])
  })

  test('writes a run whose only cases await a human label (no score yet), so the review page can list them', () => {
    const awaiting = historyRun('x', {})
    awaiting.cases = [{ suite: 'bot.test.ts > bot', test: 'bot > a', caseId: 'a', metric: 'label:intent', score: 0, pass: true, trials: 1, awaitingLabel: true, automatedLabel: 'refund' }]
    const finished = finishRun(awaiting, identity, files(), { tolerance: 0.05, write: true }, { warn })
    expect(finished.written).toEqual([files().history, files().html, files().json, files().stepSummary])
    expect(readHistory(files().history).map((run) => [run.groups, run.cases?.map((score) => [score.caseId, score.awaitingLabel])])).toEqual([[[], [['a', true]]]])
    expect(embeddedData(readFileSync(files().html, 'utf8')).rows).toMatchObject([{ id: 'a', flags: ROW_FLAGS.awaiting, cells: [{ score: null, automatedLabel: 'refund' }] }])
    expect(readFileSync(files().stepSummary, 'utf8')).toContain('**Awaiting a human label** (label them with `npx llm-evals review`):\n\n- bot.test.ts &gt; bot · label:intent: 1 case')
  })

  test("the GitHub step summary is appended through the same guard: a live key is refused and the summary stays as it was", () => {
    const stepSummary = join(dir, 'step.md')
    writeFileSync(stepSummary, '# earlier step\n')
    vi.stubEnv('SUMMARY_TEST_TOKEN', 'live-summary-token-0123')
    try {
      const leaking = historyRun('x', { 'metric-live-summary-token-0123': 0.7 })
      expect(() => finishRun(leaking, identity, { root: dir, baseline: join(dir, 'baseline.json'), retention: files().retention, stepSummary }, { tolerance: 0.05, write: true }, { warn })).toThrowError(SecretLeakError)
    } finally {
      vi.unstubAllEnvs()
    }
    expect(readFileSync(stepSummary, 'utf8')).toBe('# earlier step\n')
  })

  test('a pinned run missing from history is a warning, and the previous run is the reference', () => {
    appendRun(files().history, historyRun('r1', { rouge: 0.9 }))
    writeFileSync(files().baseline, JSON.stringify({ runId: 'gone' }))
    const warnings: string[] = []
    const finished = finishRun(historyRun('x', { rouge: 0.9 }), identity, files(), { tolerance: 0.05, write: false }, { warn: (message) => warnings.push(message) })
    expect(warnings).toEqual(['[vitest-llm-evals] The pinned baseline run gone (baseline.json) is not in the history any more; comparing with the previous run. Pin another with `llm-evals baseline set`.'])
    expect(finished.comparison.previousRun?.id).toBe('r1')
  })
})

describe('reading a large history', () => {
  test('keeps per-case scores only of the runs a comparison uses: the newest and the baseline', async () => {
    const { casesForComparison } = await import('../../reporters/history-store.js')
    const file = join(dir, 'history.jsonl')
    for (const [id, branch] of [['r1', 'main'], ['r2', 'main'], ['r3', 'feature'], ['r4', 'feature']] as const) appendRun(file, historyRun(id, { rouge: 0.5 }, { git: { branch } }))
    const withCases = (runs: { id: string; cases?: unknown }[]) => runs.filter((run) => run.cases).map((run) => run.id)
    expect(withCases(readHistory(file, undefined, casesForComparison(undefined, 'main')))).toEqual(['r2', 'r4'])
    expect(withCases(readHistory(file, undefined, casesForComparison('r1', 'main')))).toEqual(['r1', 'r4'])
    expect(withCases(readHistory(file))).toEqual(['r1', 'r2', 'r3', 'r4'])
    expect(readHistory(file, undefined, () => false).map((run) => run.groups.length)).toEqual([1, 1, 1, 1])
    // A run of the history itself compared (`llm-evals report --run r3`): it, the run before it, the baseline.
    expect(withCases(readHistory(file, undefined, casesForComparison(undefined, 'main', (run) => run.id === 'r3')))).toEqual(['r2', 'r3'])
    expect(withCases(readHistory(file, undefined, casesForComparison('r1', undefined, (run) => run.id === 'r3')))).toEqual(['r1', 'r2', 'r3'])
    expect(withCases(readHistory(file, undefined, casesForComparison(undefined, 'feature', (_run, newer) => newer === 0)))).toEqual(['r3', 'r4'])
  })

  test("also keeps the per-case scores of each suite metric's own previous run, when the run before this one did not score it", async () => {
    const { casesForComparison } = await import('../../reporters/history-store.js')
    const file = join(dir, 'history.jsonl')
    appendRun(file, historyRun('r1', { rouge: 0.5, bleu: 1 }))
    appendRun(file, historyRun('r2', { rouge: 0.5 }))
    appendRun(file, historyRun('r3', { rouge: 0.5 }))
    const withCases = (runs: { id: string; cases?: unknown }[]) => runs.filter((run) => run.cases).map((run) => run.id)
    expect(withCases(readHistory(file, undefined, casesForComparison(undefined, undefined, undefined, historyRun('x', { rouge: 0.5, bleu: 0.5 }).groups)))).toEqual(['r1', 'r3'])
    expect(withCases(readHistory(file, undefined, casesForComparison('r2', undefined, undefined, historyRun('x', { rouge: 0.5 }).groups)))).toEqual(['r2', 'r3'])
  })

  test('with a baseline branch: the newest run on it that scored each suite metric, not a newer one without scores', async () => {
    const { casesForComparison } = await import('../../reporters/history-store.js')
    const file = join(dir, 'history.jsonl')
    appendRun(file, historyRun('r1', { rouge: 0.5, bleu: 1 }, { git: { branch: 'main' } }))
    appendRun(file, historyRun('r2', { rouge: 0.5 }, { git: { branch: 'main' } }))
    appendRun(file, historyRun('r3', {}, { git: { branch: 'main' }, cases: [{ suite: 's', test: 't', metric: 'label', score: 0, pass: false, trials: 1 }] }))
    appendRun(file, historyRun('r4', { rouge: 0.5, bleu: 1 }, { git: { branch: 'feature' } }))
    const withCases = (runs: { id: string; cases?: unknown }[]) => runs.filter((run) => run.cases).map((run) => run.id)
    expect(withCases(readHistory(file, undefined, casesForComparison(undefined, 'main', undefined, historyRun('x', { rouge: 0.5, bleu: 0.5 }).groups)))).toEqual(['r1', 'r2', 'r4'])
    expect(withCases(readHistory(file, undefined, casesForComparison(undefined, 'main')))).toEqual(['r2', 'r4'])
  })
})
