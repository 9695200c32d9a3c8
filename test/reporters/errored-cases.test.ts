import { describe, expect, test } from 'vitest'
import { DEFAULT_PRICES } from '../../reporters/pricing.js'
import { summarizeRun } from '../../reporters/summarize.js'
import { compareRuns } from '../../reporters/compare.js'
import { renderTerminal } from '../../reporters/render-terminal.js'
import { renderMarkdown } from '../../reporters/render-markdown.js'
import { formatRunSummary } from '../../reporters/run-summary-line.js'
import type { HistoryRun } from '../../src/history/run-record.js'
import { collected, record } from './fixtures.js'

const options = { pricing: DEFAULT_PRICES, maxTextChars: 200 }
const failed = (id: string, caseError: unknown, evals = [] as ReturnType<typeof record>[]) => collected(id, evals, { state: 'failed', meta: { evals, caseId: id, caseError } })

describe('summarizeRun with cases that could not be scored', () => {
  test('a case whose task failed scores 0 on each metric of its suite, over all its trials, as the suite gate counts it', () => {
    const summary = summarizeRun(
      [
        collected('a', [record('exact', 1, { caseId: 'a' }), record('rouge', 0.8, { caseId: 'a' })]),
        failed('b', { kind: 'task', message: 'Case "b" trial 2 of 2 timed out after 300 ms', trials: 2 }),
      ],
      options,
    )
    const rows = summary.cases?.filter((score) => score.caseId === 'b')
    expect(rows).toEqual([
      expect.objectContaining({ metric: 'exact', score: 0, pass: false, trials: 2, passes: 0, error: 'Case "b" trial 2 of 2 timed out after 300 ms' }),
      expect.objectContaining({ metric: 'rouge', score: 0, pass: false, trials: 2, passes: 0 }),
    ])
    expect(summary.groups.find((group) => group.metric === 'exact')).toMatchObject({ mean: 0.5, cases: 2, errors: 1, trials: 3 })
    expect(summary.totals.tests).toBe(2)
  })

  test('a case a scorer failed for is listed for the metrics it lacks, with no trial: left out of the mean, as the gate leaves it out', () => {
    const summary = summarizeRun(
      [
        collected('a', [record('exact', 1, { caseId: 'a' }), record('judged', 0.5, { caseId: 'a' })]),
        failed('b', { kind: 'scorer', message: 'scorer #2 (judged): judge: 500', trials: 1 }, [record('exact', 1, { caseId: 'b' })]),
      ],
      options,
    )
    expect(summary.cases?.filter((score) => score.caseId === 'b').map((score) => [score.metric, score.trials, score.error])).toEqual([
      ['exact', 1, undefined],
      ['judged', 0, 'scorer #2 (judged): judge: 500'],
    ])
    expect(summary.groups.find((group) => group.metric === 'judged')).toMatchObject({ mean: 0.5, cases: 1, errors: 1 })
  })

  test('a suite none of whose cases scored lists them under "(no score)", in no group; a case Vitest failed with no record is one too', () => {
    const summary = summarizeRun([failed('a', { kind: 'task', message: 'down', trials: 1 }), { ...failed('b', undefined), error: 'Test timed out in 500ms.\nmore' }], options)
    expect(summary.cases?.map((score) => [score.caseId, score.metric, score.error])).toEqual([
      ['a', '(no score)', 'down'],
      ['b', '(no score)', 'Test timed out in 500ms.'],
    ])
    expect(summary.groups).toEqual([])
  })

  test('a task that failed on a later run of its test (vitest --repeats) adds failed trials to the earlier runs\' scores, with no "(no score)" row', () => {
    const earlier = [record('exact', 1, { caseId: 'b', attempt: { retry: 0, repeat: 0 } }), record('exact', 0.25, { caseId: 'b', attempt: { retry: 0, repeat: 1 } })]
    const summary = summarizeRun([collected('a', [record('exact', 1, { caseId: 'a' })]), failed('b', { kind: 'task', message: 'down', trials: 1 }, earlier)], options)
    const [b, ...others] = summary.cases?.filter((score) => score.caseId === 'b') ?? []
    expect(others).toEqual([])
    expect(b).toMatchObject({ metric: 'exact', pass: false, trials: 3, passes: 1, min: 0, flaky: true, error: 'down' })
    expect(b?.score).toBeCloseTo(1.25 / 3)
    // Population variance of 1, 0.25, 0.
    expect(b?.variance).toBeCloseTo(1.0625 / 3 - (1.25 / 3) ** 2)
    expect(summary.groups).toEqual([expect.objectContaining({ metric: 'exact', cases: 2, trials: 4, errors: 1 })])
    expect(summary.groups[0]?.mean).toBeCloseTo((1 + 1.25 / 3) / 2)
  })

  test('a passed test, and a failed one that is no dataset case, are not listed as errored', () => {
    const summary = summarizeRun([collected('a', [record('exact', 1)]), collected('plain', [], { state: 'failed' }), collected('retried', [record('exact', 1)], { meta: { caseError: { kind: 'task', message: 'x', trials: 1 } } })], options)
    expect(summary.cases?.some((score) => score.error !== undefined)).toBe(false)
  })
})

describe('renderTerminal with errored cases', () => {
  const run = (cases: ReturnType<typeof failed>[]): HistoryRun => ({ v: 1, id: 'r1', time: '2025-01-01T10:00:00.000Z', versions: { node: '22' }, ...summarizeRun(cases, options) })

  test('lists the first five by name and error (controls escaped), then how many more', () => {
    const now = run([collected('a', [record('exact', 1, { caseId: 'a' })]), ...['b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => failed(id, { kind: 'task', message: `down\u001b[2K ${id}`, trials: 1 }))])
    const lines = renderTerminal(now, compareRuns(now, [], undefined, { tolerance: 0.05, recent: 12 }), { color: false })
    expect(lines.filter((line) => line.startsWith(' errored: '))).toEqual([
      ' errored: bot > b: down\\u001b[2K b',
      ' errored: bot > c: down\\u001b[2K c',
      ' errored: bot > d: down\\u001b[2K d',
      ' errored: bot > e: down\\u001b[2K e',
      ' errored: bot > f: down\\u001b[2K f',
      ' errored: … and 2 more cases (all are in the report)',
    ])
    // The table counts them as the gate does: 8 cases, mean 1/8.
    expect(lines.find((line) => line.includes('exact'))).toMatch(/exact\s+0\.125 .* 8$/)
  })

  test('a case name is shown on one line, controls escaped, as its error is', () => {
    const now = run([collected('a', [record('exact', 1, { caseId: 'a' })]), failed('b', { kind: 'task', message: 'down', trials: 1 })].map((each, at) => (at === 1 ? { ...each, test: 'bot > b\u001b[2K\nok' } : each)))
    const lines = renderTerminal(now, compareRuns(now, [], undefined, { tolerance: 0.05, recent: 12 }), { color: false })
    expect(lines.filter((line) => line.startsWith(' errored: '))).toEqual([' errored: bot > b\\u001b[2K\\nok: down'])
  })
})

describe('the run summary line with errored cases', () => {
  test('names only scores below their threshold, as it counts them: errored cases are listed apart', () => {
    const summary = summarizeRun([collected('a', [record('exact', 0.25, { caseId: 'a' })]), collected('c', [record('exact', 1, { caseId: 'c' })]), failed('b', { kind: 'task', message: 'down', trials: 1 }), failed('d', { kind: 'scorer', message: 'scorer #1: 500', trials: 1 })], options)
    expect(formatRunSummary(summary.totals, 'replay', undefined, summary.cases)).toContain('2 scores (1 below threshold: bot > a · exact 0.25)')
  })
})

describe('the Markdown summary (GitHub step summary) with cases that could not be scored', () => {
  test('lists the first five with their error on one escaped line, then how many more', () => {
    const cases = [collected('a', [record('exact', 1, { caseId: 'a' })])]
    for (let index = 0; index < 7; index++) cases.push(failed(`b${index}`, { kind: 'task', message: index === 0 ? 'down <img src=x onerror=alert(1)> | \u001b[31mred\nnext' : 'down', trials: 1 }))
    const summary = summarizeRun(cases, options)
    const markdown = renderMarkdown(summary, compareRuns(summary, [], undefined, { tolerance: 0.05, recent: 12 }), [])
    const section = markdown.slice(markdown.indexOf('**Cases that could not be scored (7):**'))
    const items = section.split('\n').filter((line) => line.startsWith('- '))
    expect(items).toHaveLength(6)
    expect(items[5]).toBe('- … and 2 more (all are in the report)')
    expect(items[0]).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(items[0]).toContain('\\|')
    expect(items[0]).toContain('\\u001b')
    expect(items[0]).not.toMatch(/[\u001b<]/)
    expect(items[0]).toContain('red next')
  })

  test('says nothing when every case scored', () => {
    const summary = summarizeRun([collected('a', [record('exact', 1, { caseId: 'a' })])], options)
    expect(renderMarkdown(summary, compareRuns(summary, [], undefined, { tolerance: 0.05, recent: 12 }), [])).not.toContain('could not be scored')
  })
})
