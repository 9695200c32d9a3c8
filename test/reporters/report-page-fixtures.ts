// Hand-built ReportData for the page's browser tests (independent of the report model), and a synthetic
// report of many cases for size and speed.
import { reportDataJson } from '../support/report-html.js'
import { compareRuns } from '../../reporters/compare.js'
import type { HtmlReportInput } from '../../reporters/render-html.js'
import { ROW_FLAGS, type ReportCell, type ReportData, type ReportRow } from '../../reporters/report-data.js'
import { historyRun } from './fixtures.js'

/** A page's embedded case data (`#report-data`), parsed. */
export function embeddedData(html: string): ReportData {
  const json = reportDataJson(html)
  if (json === undefined) throw new Error('no embedded report data in the page')
  return JSON.parse(json) as ReportData
}

/** Model text that must stay text wherever the page shows it. */
export const HOSTILE_OUTPUT = '<script>window.hacked = true</script><img src=x onerror="window.hacked = true"></script>'

/** A one-run input for `renderReportPage` (its header and agreement parts). */
export function pageInput(): HtmlReportInput {
  const previous = historyRun('r1', { rouge: 0.9 })
  const run = historyRun('r2', { rouge: 0.5 }, { git: { branch: 'main', commit: 'abcdef1234567' } })
  return { runs: [previous, run], comparison: compareRuns(run, [previous], undefined, { tolerance: 0.05, recent: 12 }), gateFailures: [] }
}

const cell = (score: number | null, extra: Partial<ReportCell> = {}): ReportCell => ({ score, pass: score !== null && score >= 0.5, trials: 1, threshold: 0.5, ...extra })

/**
 * Two suites: `qa` (metrics factuality and relevance, variants gpt and claude side by side) and `chat`
 * (tone only). Rows: regressed `capital` (with a previous output to diff), improved `river`, flaky `math`,
 * disagreeing `hostile` (hostile output and reason), awaiting `greet`.
 */
export function pageData(): ReportData {
  const columns = [
    { metric: 'factuality', variant: 'gpt' },
    { metric: 'relevance', variant: 'gpt' },
    { metric: 'factuality', variant: 'claude' },
    { metric: 'relevance', variant: 'claude' },
  ]
  const rows: ReportRow[] = [
    {
      key: 'qa:capital',
      suite: 0,
      id: 'capital',
      cells: [cell(0.2, { before: 0.9, reason: 'Says Lyon is the capital.', judge: 'openai/gpt-4.1-mini' }), cell(0.8), cell(0.9), cell(1)],
      flags: ROW_FLAGS.failing | ROW_FLAGS.regressed,
      change: -0.7,
      input: 'What is the capital of France?',
      expected: 'Paris',
      outputs: [
        { variant: 'gpt', test: 'qa > capital [gpt]', output: 'The capital of France is Lyon.', previous: 'The capital of France is Paris.', previousFrom: 'previous run 2025-01-01 10:00' },
        { variant: 'claude', test: 'qa > capital [claude]', output: 'Paris.' },
      ],
    },
    { key: 'qa:river', suite: 0, id: 'river', cells: [cell(0.9, { before: 0.4 }), cell(0.9), cell(0.9), cell(0.9)], flags: ROW_FLAGS.improved, change: 0.5, input: 'Longest river?', outputs: [{ variant: 'gpt', test: 'qa > river [gpt]', output: 'The Nile.' }, { variant: 'claude', test: 'qa > river [claude]', output: 'Nile' }] },
    { key: 'qa:math', suite: 0, id: 'math', cells: [cell(0.67, { trials: 3, passes: 2, flaky: true }), null, cell(1), null], flags: ROW_FLAGS.flaky, input: '2 + 2', outputs: [{ variant: 'gpt', test: 'qa > math [gpt]', output: '4' }] },
    { key: 'chat:hostile', suite: 1, id: 'hostile', cells: [cell(0, { reason: '<b>not bold</b>', humanLabel: 'pass', automatedLabel: 'fail', disagree: true })], flags: ROW_FLAGS.failing | ROW_FLAGS.disagree, input: 'Say something', outputs: [{ test: 'chat > hostile', output: HOSTILE_OUTPUT }] },
    { key: 'chat:greet', suite: 1, id: 'greet', cells: [cell(null, { pass: false, automatedLabel: 'pass' })], flags: ROW_FLAGS.awaiting, input: 'Hello', outputs: [{ test: 'chat > greet', output: 'Hi there, zebra-unicorn!' }] },
  ]
  return { v: 1, suites: [{ name: 'qa.eval.ts > qa', columns }, { name: 'chat.eval.ts > chat', columns: [{ metric: 'tone' }] }], rows }
}

/** `count` cases of 3 metrics in one suite, every 10th failing and every 7th regressed with a previous output. */
export function manyCases(count: number): ReportData {
  const metrics = ['factuality', 'relevance', 'tone']
  const rows: ReportRow[] = Array.from({ length: count }, (_, index) => {
    const failing = index % 10 === 0
    const regressed = index % 7 === 0
    const output = `Answer ${index}: ${'the model said something reasonably long about the topic. '.repeat(6)}`
    return {
      key: `big:case-${index}`,
      suite: 0,
      id: `case-${index}`,
      cells: metrics.map((_, at) => cell(failing && at === 0 ? 0.3 : 0.8, regressed ? { before: 0.95, reason: 'fine' } : { reason: 'fine' })),
      flags: (failing ? ROW_FLAGS.failing : 0) | (regressed ? ROW_FLAGS.regressed : 0),
      input: `Question number ${index} about item ${index * 31}`,
      outputs: [{ test: `big > case-${index}`, output, ...(regressed ? { previous: output.replace('reasonably', 'very'), previousFrom: 'previous run' } : {}) }],
    }
  })
  return { v: 1, suites: [{ name: 'big.eval.ts > big', columns: metrics.map((metric) => ({ metric })) }], rows }
}
