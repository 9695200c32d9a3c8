import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { buildReportData } from '../../reporters/report-model.js'
import { formatLatency, renderOverview } from '../../reporters/report-overview.js'
import { shortSuiteName } from '../../reporters/report-changes.js'
import type { HtmlReportInput } from '../../reporters/render-html.js'
import { escapeHtml } from '../../reporters/escape-html.js'
import { measureAgreement } from '../../reporters/run-agreement.js'
import { noTokens, type HistoryRun } from '../../src/history/run-record.js'
import { appendLabel } from '../../src/review/labels-file.js'
import { reportInput, runOf, score, SUITE } from './report-fixtures.js'

const dir = mkdtempSync(join(tmpdir(), 'report-overview-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const overview = (input: HtmlReportInput) => renderOverview(input, buildReportData(input))
/** The page's text without tags, as a reader sees it. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
const section = (html: string, id: string) => html.match(new RegExp(`<section id="${id}"[^>]*>.*?</section>`))?.[0] ?? ''

const before = runOf('r1', [score('a', 'exact', 1, { output: 'Paris' }), score('b', 'exact', 0), score('c', 'exact', 1), score('a', 'judge', 0.9)])
const current = runOf('r2', [score('a', 'exact', 0, { output: 'Lyon' }), score('b', 'exact', 1), score('c', 'exact', 0.5, { flaky: true, trials: 3, passes: 2 }), score('a', 'judge', 0.9)], {
  totals: { tests: 3, scores: 4, failedScores: 1, replayed: 6, recorded: 2, tokens: { ...noTokens(), app: { input: 1200, output: 300 }, judge: { input: 400, output: 100 }, replayed: 1500, live: 500 }, costUsd: 0.0123 },
  suites: [{ suite: SUITE, tests: 3, tokens: { ...noTokens(), app: { input: 1200, output: 300 }, judge: { input: 400, output: 100 } }, costUsd: 0.0123, latencyMs: 2450, replayedLatencyMs: 1800 }],
})

describe('the verdict', () => {
  test('headline numbers: cases, failing, pass rate, regressed, flaky, cost, tokens, model time (recorded when replayed), calls', () => {
    const html = section(overview(reportInput([before], current)), 'verdict')
    expect(text(html.match(/<dl class="headline">.*?<\/dl>/)?.[0] ?? '')).toBe(
      ' cases 3 failing cases 1 scores passing 75% regressed cases 2 flaky cases 1 cost $0.01 tokens 2,000 (1,500 replayed) model time (partly as recorded) 2.5 s model calls 6 replayed · 2 recorded ',
    )
    expect(html).toContain('<div class="stat stat-bad"><dt>failing cases</dt><dd>1</dd></div>')
    // Without model calls (scorers only), no model time and no calls.
    const scorersOnly = overview(reportInput([before], runOf('r2', current.cases ?? [])))
    expect(text(scorersOnly.match(/<dl class="headline">.*?<\/dl>/)?.[0] ?? '')).toMatch(/cost \$0 tokens 0 $/)
  })

  test('a comparison by mean without the cases that could not be scored (a reference of 0.1.0) says so, as the terminal and step summary do', () => {
    const old = { ...runOf('r1', [score('a', 'exact', 1), score('b', 'exact', 1)]), cases: undefined, versions: { node: '22.0.0', library: '0.1.0' } }
    const errored = runOf('r2', [score('a', 'exact', 1), score('b', 'exact', 0, { error: 'task threw: Error: <boom>' })])
    errored.groups = errored.groups.map((group) => ({ ...group, errors: 1 }))
    const html = section(overview(reportInput([old], errored)), 'verdict')
    expect(html).toContain('<details class="gate-notes"><summary>1 suite metric compared by mean without the cases that could not be scored</summary>')
    expect(text(html)).toContain('qa.eval.ts &#62; qa · exact: 1 case that could not be scored left out of the comparison by mean with the previous run r1')
  })

  test('gate failures are the verdict, listed', () => {
    const html = overview(reportInput([before], current, { gateFailures: ['qa · exact: dropped 0.333'] }))
    expect(html).toContain('<section id="verdict" class="verdict verdict-failed"><h2 class="verdict-line">Gate failed</h2><ul class="gate-failures"><li>qa · exact: dropped 0.333</li></ul>')
  })

  test('a regression the gate did not fail on is named; no regression against a reference says so; a first run says so', () => {
    // Without per-case scores in the previous run, the drop is judged by means: a regression, which the gate (not configured) let through.
    const html = section(overview(reportInput([{ ...before, cases: undefined }], current)), 'verdict')
    expect(text(html)).toContain('1 suite metric regressed (the gate does not fail on it) qa.eval.ts &#62; qa · exact: 0.500 vs 0.667 (previous)')
    expect(html).toContain('class="verdict verdict-regressed"')
    // With them, 3 paired cases are too few to tell a drop from noise: not a regression, and the note says why.
    // The verdict is not green over dropped and failing cases, and the drops the gate did not count are folded apart.
    const mixed = section(overview(reportInput([before], current)), 'verdict')
    expect(text(mixed)).toMatch(/^ No suite regressed; 2 cases scored lower, 1 case failing 1 drop not counted by the gate \(too few cases, or within noise\) qa\.eval\.ts &#62; qa · exact: dropped 0\.167, but only 3 paired cases \(5 needed\)/)
    expect(mixed).toContain('class="verdict verdict-mixed"')
    expect(mixed).toContain('<details class="gate-notes"><summary>1 drop not counted by the gate')
    const steady = runOf('r2', before.cases ?? [])
    expect(overview(reportInput([before], steady))).toContain('<h2 class="verdict-line">No suite regressed; 1 case failing</h2>')
    const passing = (cases: typeof before.cases) => (cases ?? []).map((score) => ({ ...score, pass: true }))
    expect(overview(reportInput([runOf('r1', passing(before.cases))], runOf('r2', passing(before.cases))))).toContain('<section id="verdict" class="verdict verdict-passed"><h2 class="verdict-line">No regressions</h2>')
    expect(overview(reportInput([], current))).toContain('<h2 class="verdict-line">First run</h2>')
  })

  test('a per-suite table (#summary): the suite name once, a row per metric with mean, pass rate, deltas, reference, interval, cases, flaky; usage per suite', () => {
    const html = overview(reportInput([before], current))
    const table = html.match(/<table id="summary".*?<\/table>/)?.[0] ?? ''
    expect(table.split(escapeHtml(SUITE)).length - 1).toBe(1)
    expect(table).toContain(`<tr class="suite-head"><th colspan="9" scope="rowgroup">${escapeHtml(SUITE)} <span class="suite-usage">$0.01 · 2,000 tokens · 2.5 s</span></th></tr>`)
    expect(text(table)).toContain('exact 0.500 67% -0.167 — previous — 3 1 judge 0.900 100% = — previous — 1 0')
    expect(table).toContain('<td class="num delta down">-0.167</td>')
  })

  test('judge-human agreement, one line per grader and metric', () => {
    const labelsFile = join(dir, 'labels.jsonl')
    appendLabel(labelsFile, { caseId: 'a', metric: 'exact', label: 'pass' })
    appendLabel(labelsFile, { caseId: 'b', metric: 'exact', label: 'pass' })
    const html = overview(reportInput([before], current, { agreement: measureAgreement(current.cases, labelsFile) }))
    expect(text(html.match(/<div class="agreement-headline">.*?<\/div>/)?.[0] ?? '')).toMatch(/^ Judge-human agreement code · exact: accuracy 0\.500 \[0\.\d+, 0\.\d+\], kappa .+, n = 2 $/)
    expect(html).toContain('<dt>disagree with a human</dt><dd>1</dd>')
  })

  test('a run whose cases all await a human label says how to label them; a run without per-case detail says it was dropped', () => {
    const awaiting = runOf('r1', [score('a', 'label:intent', 0, { awaitingLabel: true } as never)])
    expect(overview(reportInput([], awaiting))).toContain('No scores yet: the cases of this run await a human label (see Cases). Label them with <code>npx llm-evals review</code>.')
    const dropped: HistoryRun = { ...current, cases: undefined }
    const html = overview(reportInput([before], dropped))
    expect(html).toContain('<p class="verdict-note">Per-case detail of this run was dropped by the history retention.</p>')
    expect(html).toContain('<div class="stat"><dt>tests</dt><dd>3</dd></div>')
    expect(section(html, 'changes')).toContain('Per-case detail of this run was dropped by the history retention')
  })
})

describe('what changed', () => {
  test('the cases that dropped and rose, before → after, with a link to the case (and its diff when the output changed)', () => {
    const input = reportInput([before], current)
    const data = buildReportData(input)
    const key = (id: string) => data.rows.find((row) => row.id === id)?.key ?? ''
    const html = section(renderOverview(input, data), 'changes')
    expect(html).toContain(
      `<div class="change-list regressed"><h3>Regressed most <span class="count">(2 cases)</span></h3><ol><li class="change"><span class="change-suite" title="${escapeHtml(SUITE)}">qa</span> <a class="change-case" href="#case=${key('a')}&amp;diff=1" data-case="${key('a')}">a</a> <span class="change-metric">exact</span> <span class="change-scores">1.00 → 0.00</span> <span class="delta down">-1.000</span> <a class="change-open" href="#case=${key('a')}&amp;diff=1" data-case="${key('a')}">diff</a></li><li class="change">`,
    )
    expect(html).toContain(`<a class="change-case" href="#case=${key('b')}" data-case="${key('b')}">b</a> <span class="change-metric">exact</span> <span class="change-scores">0.00 → 1.00</span> <span class="delta up">+1.000</span> <a class="change-open" href="#case=${key('b')}" data-case="${key('b')}">open</a>`)
  })

  test('at most 8 per direction, worst first, with how many there are', () => {
    const many = (id: string, shift: number) => runOf(id, Array.from({ length: 12 }, (_, index) => score(`c${index}`, 'exact', shift ? 1 - index / 20 : 1)))
    const html = section(overview(reportInput([many('r1', 0)], many('r2', 1))), 'changes')
    expect(html).toContain('<h3>Regressed most <span class="count">(8 of 11 cases)</span></h3>')
    expect([...html.matchAll(/<a class="change-case"[^>]*>(\w+)<\/a>/g)].map((match) => match[1])).toEqual(['c11', 'c10', 'c9', 'c8', 'c7', 'c6', 'c5', 'c4'])
  })

  test('one line when there is nothing to compare with, nothing changed, or the compared run kept no per-case scores', () => {
    expect(section(overview(reportInput([], current)), 'changes')).toContain('<p class="changes-none">Nothing to compare with yet: no earlier run scored these suites.</p>')
    expect(section(overview(reportInput([before], runOf('r2', before.cases ?? []))), 'changes')).toContain('No case changed its score')
    expect(section(overview(reportInput([{ ...before, cases: undefined }], current)), 'changes')).toContain('kept no per-case scores')
  })
})

test('hostile suite names, case ids, metrics and gate failures are escaped', () => {
  const hostile = '<script>alert(1)</script>'
  const old = runOf('r1', [score(hostile, hostile, 1, { suite: hostile })])
  const now = runOf('r2', [score(hostile, hostile, 0, { suite: hostile, variant: `"${hostile}` })])
  now.cases?.push(score(hostile, hostile, 0, { suite: hostile }))
  const html = overview(reportInput([old], runOf('r2', now.cases ?? []), { gateFailures: [`${hostile} dropped`] }))
  expect(html).not.toMatch(/<script|<\/script/i)
  expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; dropped')
  expect(html).toMatch(/<a class="change-case" href="#case=[\w-]+" data-case="[\w-]+">&#60;script&#62;/)
})

test('formatLatency and shortSuiteName', () => {
  expect([formatLatency(850.4), formatLatency(12_449), formatLatency(1_234_000)]).toEqual(['850 ms', '12.4 s', '1,234 s'])
  expect([shortSuiteName('evals/qa.eval.ts > qa'), shortSuiteName('evals/qa.eval.ts'), shortSuiteName('a > b > c')]).toEqual(['qa', 'qa.eval.ts', 'c'])
})

describe('history lines edited by hand (history is read loosely)', () => {
  test('an interval without numbers shows as unknown instead of failing the whole report', () => {
    const odd = runOf('r2', [score('a', 'exact', 0.5)])
    for (const interval of [{}, { low: 'x', high: 1 }, { low: 0.1 }]) {
      const group = { ...(odd.groups[0] as HistoryRun['groups'][number]), interval } as never
      const html = overview(reportInput([before], { ...odd, groups: [group] }))
      expect(text(section(html, 'suites')), JSON.stringify(interval)).toContain('—')
    }
  })
})
