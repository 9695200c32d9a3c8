import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { buildReportData, trajectoryTemplates } from '../../reporters/report-model.js'
import { ROW_FLAGS } from '../../reporters/report-data.js'
import { fnv1a, rowKeys } from '../../reporters/report-key.js'
import { measureAgreement } from '../../reporters/run-agreement.js'
import { caseConversation, caseTrace } from '../../reporters/case-trajectory.js'
import { appendLabel } from '../../src/review/labels-file.js'
import { reportInput, runOf, score, SUITE } from './report-fixtures.js'
import { HOSTILE, refundConversation, refundTrace } from './trajectory-fixtures.js'

const dir = mkdtempSync(join(tmpdir(), 'report-model-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const flagsOf = (flags: number) => Object.entries(ROW_FLAGS).flatMap(([name, bit]) => (flags & bit ? [name] : []))

describe('rows and columns', () => {
  test('every variant lists its metrics in the same order (the suite\'s first-seen order), so the same metric lines up across variants', () => {
    const current = runOf('r1', [
      score('a', 'exact', 1, { variant: 'short' }),
      score('a', 'judge', 0.8, { variant: 'short' }),
      // The long variant's first case has no exact score (a scorer skipped it): its first metric seen is judge.
      score('a', 'judge', 1, { variant: 'long' }),
      score('b', 'exact', 1, { variant: 'long' }),
    ])
    const data = buildReportData(reportInput([], current))
    expect(data.suites[0]?.columns).toEqual([{ metric: 'exact', variant: 'short' }, { metric: 'judge', variant: 'short' }, { metric: 'exact', variant: 'long' }, { metric: 'judge', variant: 'long' }])
    expect(data.rows.map((row) => [row.id, row.cells.map((cell) => cell?.score ?? null)])).toEqual([
      ['a', [1, 0.8, null, 1]],
      ['b', [null, null, 1, null]],
    ])
  })

  test('one row per case with a cell per metric and variant, grouped by variant in first-seen order; null where not scored', () => {
    const current = runOf('r1', [
      score('a', 'exact', 1, { variant: 'short', output: 'Paris', input: 'Capital of France?', expected: 'Paris' }),
      score('a', 'judge', 0.8, { variant: 'short', output: 'Paris' }),
      score('a', 'exact', 0, { variant: 'long', output: 'It is Paris, of course' }),
      score('a', 'judge', 1, { variant: 'long', output: 'It is Paris, of course' }),
      score('b', 'exact', 1, { variant: 'short' }),
      score('b', 'exact', 1, { variant: 'long' }),
      score('x', 'rouge', 0.4, { suite: 'other.eval.ts' }),
    ])
    const data = buildReportData(reportInput([], current))
    expect(data.suites).toEqual([
      { name: SUITE, columns: [{ metric: 'exact', variant: 'short' }, { metric: 'judge', variant: 'short' }, { metric: 'exact', variant: 'long' }, { metric: 'judge', variant: 'long' }] },
      { name: 'other.eval.ts', columns: [{ metric: 'rouge' }] },
    ])
    expect(data.rows.map((row) => [row.suite, row.id, row.cells.map((cell) => cell?.score ?? null)])).toEqual([
      [0, 'a', [1, 0.8, 0, 1]],
      [0, 'b', [1, null, 1, null]],
      [1, 'x', [0.4]],
    ])
    const [a] = data.rows
    expect(a?.input).toBe('Capital of France?')
    expect(a?.expected).toBe('Paris')
    expect(a?.outputs).toEqual([
      { test: 'qa > a [short]', variant: 'short', output: 'Paris' },
      { test: 'qa > a [long]', variant: 'long', output: 'It is Paris, of course' },
    ])
    expect(flagsOf(a?.flags ?? 0)).toEqual(['failing'])
  })

  test('cells keep trials, passes, threshold, reasoning, judge and labels; scores to four decimals', () => {
    const judge = { provider: 'openai', model: 'gpt-4.1-mini', promptVersion: '3' }
    const current = runOf('r1', [score('a', 'factual', 2 / 3, { trials: 3, passes: 2, flaky: true, threshold: 0.7, reason: 'one claim unsupported', judge, humanLabel: 'pass' })])
    expect(buildReportData(reportInput([], current)).rows[0]?.cells[0]).toEqual({ score: 0.6667, pass: true, trials: 3, passes: 2, flaky: true, threshold: 0.7, reason: 'one claim unsupported', judge: 'openai/gpt-4.1-mini', humanLabel: 'pass' })
  })

  test('a run whose per-case detail was dropped has its suites and columns from the aggregates, no rows', () => {
    const current = runOf('r2', [score('a', 'exact', 1)])
    delete current.cases
    expect(buildReportData(reportInput([], current))).toEqual({ v: 1, suites: [{ name: SUITE, columns: [{ metric: 'exact' }] }], rows: [], detailDropped: true })
  })
})

describe('against the compared run', () => {
  const before = runOf('r1', [score('a', 'exact', 1, { output: 'Paris' }), score('b', 'exact', 0, { output: 'Lyon' }), score('c', 'exact', 1, { output: 'Rome' }), score('d', 'exact', 1)])
  const current = runOf('r2', [score('c', 'exact', 1, { output: 'Rome' }), score('b', 'exact', 1, { output: 'Paris' }), score('a', 'exact', 0, { output: 'Marseille' }), score('n', 'exact', 0), score('d', 'exact', 0.5)])

  test('before is the case score in the compared run; regressed, improved and failing flags; change; regressed first, worst first, then failing', () => {
    const data = buildReportData(reportInput([before], current))
    expect(data.rows.map((row) => [row.id, row.cells[0]?.before, row.change, flagsOf(row.flags)])).toEqual([
      ['a', 1, -1, ['failing', 'regressed']],
      ['d', 1, -0.5, ['regressed']],
      ['n', undefined, undefined, ['failing']],
      ['c', 1, 0, []],
      ['b', 0, 1, ['improved']],
    ])
  })

  test('a case a scorer could not score (trials 0) is failing, neither regressed nor improved, and not in the changes: the gate leaves it out', () => {
    const old = runOf('r1', [score('a', 'exact', 1), score('b', 'exact', 0, { trials: 0, error: 'scorer #1 (exact): judge: 500' }), score('c', 'exact', 1)])
    const now = runOf('r2', [score('a', 'exact', 0, { trials: 0, error: 'scorer #1 (exact): judge: 500' }), score('b', 'exact', 1), score('c', 'exact', 1)])
    const data = buildReportData(reportInput([old], now))
    expect(data.rows.map((row) => [row.id, row.cells[0]?.before, row.change, flagsOf(row.flags)])).toEqual([
      ['a', undefined, undefined, ['failing']],
      ['b', undefined, undefined, []],
      ['c', 1, 0, []],
    ])
  })

  test('change is the worst drop when a metric dropped, else the largest gain', () => {
    const old = runOf('r1', [score('a', 'exact', 0.2), score('a', 'judge', 0.9)])
    const now = runOf('r2', [score('a', 'exact', 1), score('a', 'judge', 0.7)])
    expect(buildReportData(reportInput([old], now)).rows[0]?.change).toBeCloseTo(-0.2, 9)
  })

  test('a change smaller than the page can show (four decimals) is no change: neither regressed nor improved', () => {
    const old = runOf('r1', [score('a', 'exact', 0.841470984), score('b', 'exact', 0.5)])
    const now = runOf('r2', [score('a', 'exact', 0.84147), score('b', 'exact', 0.4999)])
    const rows = buildReportData(reportInput([old], now)).rows
    expect(rows.map((row) => [row.id, row.cells[0]?.score, row.cells[0]?.before, flagsOf(row.flags)])).toEqual([
      ['b', 0.4999, 0.5, ['failing', 'regressed']],
      ['a', 0.8415, 0.8415, []],
    ])
  })

  test('the previous output only when it differs, named after the run it comes from', () => {
    const data = buildReportData(reportInput([before], current))
    const outputs = Object.fromEntries(data.rows.map((row) => [row.id, row.outputs[0]]))
    expect(outputs.a).toEqual({ test: 'qa > a', output: 'Marseille', previous: 'Paris', previousFrom: 'previous run 2026-12-01 10:00 r1cafe0' })
    expect(outputs.c).toEqual({ test: 'qa > c', output: 'Rome' })
    expect(outputs.n).toEqual({ test: 'qa > n' })
  })

  test('a baseline is the compared run; when it kept no per-case detail, before is unknown and the output comes from the previous run', () => {
    const baseline = runOf('r1', [score('a', 'exact', 0.9, { output: 'Paris (baseline)' })])
    const previous = runOf('r2', [score('a', 'exact', 0.1, { output: 'Paris (previous)' })])
    const now = runOf('r3', [score('a', 'exact', 0.5, { output: 'Paris' })])
    const row = buildReportData(reportInput([baseline, previous], now, { baseline })).rows[0]
    expect([row?.cells[0]?.before, flagsOf(row?.flags ?? 0), row?.outputs[0]?.previous, row?.outputs[0]?.previousFrom]).toEqual([0.9, ['regressed'], 'Paris (baseline)', 'baseline 2026-12-01 10:00 r1cafe0'])

    const dropped = { ...baseline, cases: undefined }
    const fallback = buildReportData(reportInput([dropped, previous], now, { baseline: dropped })).rows[0]
    expect([fallback?.cells[0]?.before, fallback?.flags, fallback?.outputs[0]?.previous, fallback?.outputs[0]?.previousFrom]).toEqual([undefined, 0, 'Paris (previous)', 'previous run 2026-12-02 10:00 r2cafe0'])
  })

  test('a baseline whose outputs retention dropped (scores kept) is still compared for scores, and the output diff comes from the previous run', () => {
    const baseline = runOf('r1', [score('a', 'exact', 0.9)])
    const previous = runOf('r2', [score('a', 'exact', 0.1, { output: 'Paris (previous)' })])
    const now = runOf('r3', [score('a', 'exact', 0.5, { output: 'Paris' })])
    const row = buildReportData(reportInput([baseline, previous], now, { baseline })).rows[0]
    expect([row?.cells[0]?.before, flagsOf(row?.flags ?? 0), row?.outputs[0]?.previous, row?.outputs[0]?.previousFrom]).toEqual([0.9, ['regressed'], 'Paris (previous)', 'previous run 2026-12-02 10:00 r2cafe0'])
  })

  test('a case awaiting its human label has no score, is neither failing nor changed, and is flagged awaiting', () => {
    const now = runOf('r2', [score('a', 'label:intent', 0, { pass: false, awaitingLabel: true, automatedLabel: 'refund' } as never), score('a', 'exact', 1)])
    const old = runOf('r1', [score('a', 'label:intent', 1, { automatedLabel: 'refund' }), score('a', 'exact', 1)])
    const row = buildReportData(reportInput([old], now)).rows[0]
    expect(row?.cells).toEqual([{ score: null, pass: false, trials: 1, automatedLabel: 'refund' }, { score: 1, pass: true, trials: 1, before: 1 }])
    expect(flagsOf(row?.flags ?? 0)).toEqual(['awaiting'])
  })
})

test('a case whose current human label contradicts its grader is flagged disagree (matched by case id and metric)', () => {
  const current = runOf('r1', [score('a', 'factual', 1), score('b', 'factual', 0), score('c', 'label:intent', 1, { automatedLabel: 'refund' })])
  const labelsFile = join(dir, 'labels.jsonl')
  appendLabel(labelsFile, { caseId: 'a', metric: 'factual', label: 'fail' })
  appendLabel(labelsFile, { caseId: 'b', metric: 'factual', label: 'fail' })
  appendLabel(labelsFile, { caseId: 'c', metric: 'intent', label: 'cancel' })
  const data = buildReportData(reportInput([], current, { agreement: measureAgreement(current.cases, labelsFile) }))
  expect(data.rows.map((row) => [row.id, row.cells.map((cell) => cell?.disagree ?? false), (row.flags & ROW_FLAGS.disagree) > 0])).toEqual([
    ['b', [false, false], false],
    ['a', [true, false], true],
    ['c', [false, true], true],
  ])
  // The labels from the file show on their cells (the review page's labels, not only the test's own humanLabel).
  expect(data.rows.map((row) => [row.id, row.cells.map((cell) => cell?.humanLabel)])).toEqual([
    ['b', ['fail', undefined]],
    ['a', ['fail', undefined]],
    ['c', [undefined, 'cancel']],
  ])
})

test("a label given on an older output says so; the file's label wins over the test's recorded one", () => {
  const current = runOf('r1', [score('a', 'factual', 1, { outputHash: 'new-hash', humanLabel: 'pass' }), score('b', 'factual', 1, { humanLabel: 'pass' })])
  const labelsFile = join(dir, 'stale-labels.jsonl')
  appendLabel(labelsFile, { caseId: 'a', metric: 'factual', label: 'fail', outputHash: 'old-hash' })
  appendLabel(labelsFile, { caseId: 'b', metric: 'factual', label: 'fail' })
  const data = buildReportData(reportInput([], current, { agreement: measureAgreement(current.cases, labelsFile) }))
  expect(Object.fromEntries(data.rows.map((row) => [row.id, row.cells[0]?.humanLabel]))).toEqual({ a: 'fail (on an older output)', b: 'fail' })
})

describe('keys', () => {
  test('a key is the FNV-1a hash of suite and case id, the same whatever the order of the cases', () => {
    const cases = [score('a', 'exact', 1), score('b', 'exact', 1), score('c', 'exact', 1)]
    const keys = (list: typeof cases) => Object.fromEntries(buildReportData(reportInput([], runOf('r1', list))).rows.map((row) => [row.id, row.key]))
    expect(keys(cases)).toEqual({ a: fnv1a(`${SUITE}\u0000a`), b: fnv1a(`${SUITE}\u0000b`), c: fnv1a(`${SUITE}\u0000c`) })
    expect(keys(cases.toReversed())).toEqual(keys(cases))
    expect(fnv1a('')).toBe('811c9dc5')
    expect(fnv1a('a')).toBe('e40c292c')
  })

  test('colliding hashes get a suffix in the order of their text, not of the run', () => {
    // 'S\0case-43681' and 'S\0case-282080' have the same FNV-1a hash.
    const rows = [{ suite: 'S', id: 'case-43681' }, { suite: 'S', id: 'case-282080' }]
    expect(rowKeys(rows)).toEqual(['f075bd3d-2', 'f075bd3d'])
    expect(rowKeys(rows.toReversed())).toEqual(['f075bd3d', 'f075bd3d-2'])
  })

  test('two rows whose suite and id join to the same text (a NUL in the suite) get distinct keys, whatever the order', () => {
    // 'a' + 'b\0c' and 'a\0b' + 'c' are both 'a\0b\0c': one hash, one name.
    const rows = [{ suite: 'a\u0000b', id: 'c' }, { suite: 'a', id: 'b\u0000c' }, { suite: 'qa', id: 'x' }]
    const keys = rowKeys(rows)
    expect(new Set(keys).size).toBe(3)
    expect(keys).toEqual([`${fnv1a('a\u0000b\u0000c')}-2`, fnv1a('a\u0000b\u0000c'), fnv1a('qa\u0000x')])
    expect(rowKeys(rows.toReversed())).toEqual(keys.toReversed())
    // Other collisions keep their keys.
    const three = [...rows, { suite: 'S', id: 'case-43681' }, { suite: 'S', id: 'case-282080' }]
    expect(rowKeys(three).slice(3)).toEqual(['f075bd3d-2', 'f075bd3d'])
  })
})

test('a test with a trace or conversation gets a trajectory template id, and trajectoryTemplates holds exactly those, escaped', () => {
  const current = runOf('r1', [
    score('plain', 'exact', 1),
    score('agent', 'tool-calls', 1, { trace: caseTrace(refundTrace(), 2000), conversation: caseConversation(refundConversation(), 2000) }),
    score('agent', 'task-completion', 0),
  ])
  const input = reportInput([], current)
  const ids = buildReportData(input).rows.flatMap((row) => row.outputs.map((output) => [row.id, output.trajectory]))
  expect(ids).toEqual([['agent', 'trajectory-1'], ['plain', undefined]])
  const html = trajectoryTemplates(input)
  expect(html.match(/<template id="[^"]+">/g)).toEqual(['<template id="trajectory-1">'])
  expect(html).toContain('<section class="trace"><h4>trace <span class="sub">3 steps · 3 tool calls</span></h4>')
  expect(html).toContain('<section class="conversation"><h4>conversation')
  expect(html).not.toContain(HOSTILE)
})

// Alone it takes ~80 ms (see the measurement in the report); the bound is loose because the test files run in
// parallel with headless Chromium on 2 cores. A scan of runs × cases or cases × cases would take seconds.
test('builds 5,000 cases × 3 metrics against a compared run in linear time', () => {
  const metrics = ['exact', 'factual', 'rouge']
  const make = (id: string, shift: number) =>
    runOf(id, Array.from({ length: 5000 }, (_, index) => metrics.map((metric) => score(`case-${index}`, metric, ((index * 7 + shift) % 10) / 10, { output: `answer ${index} ${shift}`, input: `question ${index}` }))).flat())
  const history = Array.from({ length: 3 }, (_, index) => make(`r${index + 1}`, index))
  const input = reportInput(history, make('r4', 5))
  buildReportData(input)
  const started = performance.now()
  const data = buildReportData(input)
  const elapsed = performance.now() - started
  expect(data.rows).toHaveLength(5000)
  expect(elapsed).toBeLessThan(1500)
})

test('the same case id in two suites: a label and its disagree flag belong to the suite it was given in only', () => {
  const other = 'other.test.ts > other'
  const current = runOf('r1', [score('a', 'factual', 1), score('a', 'factual', 1, { suite: other })])
  const labelsFile = join(dir, 'suite-labels.jsonl')
  appendLabel(labelsFile, { caseId: 'a', metric: 'factual', label: 'fail', suite: SUITE })
  const agreement = measureAgreement(current.cases, labelsFile)
  const data = buildReportData(reportInput([], current, { agreement }))
  const bySuite = data.rows.map((row) => [data.suites[row.suite]?.name, row.id, row.cells[0]?.humanLabel, row.cells[0]?.disagree ?? false, (row.flags & ROW_FLAGS.disagree) > 0])
  expect(bySuite).toEqual([
    [SUITE, 'a', 'fail', true, true],
    [other, 'a', undefined, false, false],
  ])
  expect(agreement.agreements[0]?.stats?.n).toBe(1)
  expect(agreement.disagreements).toEqual([expect.objectContaining({ suite: SUITE, caseId: 'a' })])
})

test('a legacy label (no suite) of a case id in two suites flags neither and is listed as ambiguous', () => {
  const other = 'other.test.ts > other'
  const current = runOf('r1', [score('a', 'factual', 1), score('a', 'factual', 1, { suite: other }), score('b', 'factual', 1)])
  const labelsFile = join(dir, 'legacy-labels.jsonl')
  appendLabel(labelsFile, { caseId: 'a', metric: 'factual', label: 'fail' })
  appendLabel(labelsFile, { caseId: 'b', metric: 'factual', label: 'fail' })
  const agreement = measureAgreement(current.cases, labelsFile)
  const data = buildReportData(reportInput([], current, { agreement }))
  expect(data.rows.map((row) => [row.id, row.cells[0]?.humanLabel, row.cells[0]?.disagree ?? false])).toEqual([
    ['a', undefined, false],
    ['b', 'fail', true],
    ['a', undefined, false],
  ])
  expect(agreement.ambiguousLegacy).toEqual([{ caseId: 'a', metric: 'factual', suites: [SUITE, other] }])
})
