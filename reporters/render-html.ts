import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { RunAgreement } from './run-agreement.js'
import type { HistoryRun } from '../src/history/run-record.js'
import { agreementN, headlineKappa } from '../src/review/agreement-report.js'
import type { RunComparison } from './compare.js'
import { formatAccuracy } from './render-agreement.js'
import type { ReportData } from './report-data.js'
import { buildReportData, trajectoryTemplates } from './report-model.js'
import { REPORT_CSS, REPORT_SCRIPT } from './report-page.js'
import { CHART_CSS, renderCharts } from './report-charts.js'
import { renderOverview } from './report-overview.js'

import { escapeHtml } from './escape-html.js'

export { escapeHtml }

/** Input of {@link renderHtml}. */
export interface HtmlReportInput {
  /** History, oldest first, ending with the current run. */
  runs: readonly HistoryRun[]
  comparison: RunComparison
  gateFailures: readonly string[]
  /** Most runs drawn in the charts (default 100). */
  chartRuns?: number
  /** Judge-human agreement of the current run, and its disagreements. */
  agreement?: RunAgreement
}

const fixed = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toFixed(3))

function agreementSection(agreement: RunAgreement | undefined): string {
  const counted = (agreement?.agreements ?? []).filter((each) => agreementN(each) > 0)
  if (!agreement || counted.length === 0) return ''
  const rows = counted
    .map((each) => {
      const matrix = each.stats && each.stats.n > 0 ? `<table class="matrix"><tr><th>human \\ grader</th>${each.stats.confusion.labels.map((label) => `<th>${escapeHtml(label)}</th>`).join('')}</tr>${each.stats.confusion.counts.map((row, index) => `<tr><th>${escapeHtml(each.stats?.confusion.labels[index])}</th>${row.map((count) => `<td class="num">${count}</td>`).join('')}</tr>`).join('')}</table>` : ''
      const ranks = each.ranks ? `<div class="sub">spearman ${fixed(each.ranks.spearman)} · kendall tau-b ${fixed(each.ranks.kendallTauB)}</div>` : ''
      const kappa = headlineKappa(each)
      return `<tr><td>${escapeHtml(each.grader)}</td><td>${escapeHtml(each.metric)}</td><td class="num">${agreementN(each)}</td><td class="num">${escapeHtml(formatAccuracy(each))}</td><td class="num">${fixed(kappa)}${each.ordinal && kappa !== undefined ? ' (weighted)' : ''}</td><td class="num">${fixed(each.stats?.failures?.failureRecall)}</td><td class="num">${fixed(each.stats?.failures?.falseFailureRate)}</td><td>${matrix}${ranks}</td></tr>`
    })
    .join('')
  const disagreements = agreement.disagreements
    .map((example) => `<tr class="disagreement"><td>${escapeHtml(example.caseId)}</td><td>${escapeHtml(example.metric)}</td><td>${escapeHtml(example.graderLabel)}</td><td>${escapeHtml(example.humanLabel)}${example.note ? `<div class="sub">${escapeHtml(example.note)}</div>` : ''}</td><td>${example.output === undefined ? '' : `<pre>${escapeHtml(example.output)}</pre>`}</td></tr>`)
    .join('')
  return `<section><h2>Judge-human agreement</h2><div class="table-scroll"><table id="agreement"><thead><tr><th>grader</th><th>metric</th><th>n</th><th>accuracy [95% CI]</th><th>kappa</th><th>fail recall</th><th>false fail</th><th>confusion</th></tr></thead><tbody>${rows}</tbody></table></div>
<h2>Disagreements</h2>${disagreements ? `<div class="table-scroll"><table id="disagreements"><thead><tr><th>case</th><th>metric</th><th>automated</th><th>human</th><th>output</th></tr></thead><tbody>${disagreements}</tbody></table></div>` : '<p class="meta">The graders agree with every current human label.</p>'}</section>`
}

const FILTERS = ['all', 'failing', 'regressed', 'improved', 'flaky', 'disagree', 'awaiting'] as const
const KEYS = 'Keys: j / k or arrows move · Enter or o open · / search · a all · x failing · r regressed · y flaky · d disagree · Esc close'

let diffLibrary: string | undefined
/** jsdiff's browser build (defines `window.Diff`), read once; the page computes word diffs with it when a diff is opened. */
function diffScript(): string {
  diffLibrary ??= readFileSync(join(dirname(createRequire(import.meta.url).resolve('diff/package.json')), 'dist', 'diff.min.js'), 'utf8').replace(/<\/(script)/gi, '<\\/$1')
  return diffLibrary
}

/**
 * The data as a script element's text: JSON, gzipped, in base64. A report of 5,000 cases is a tenth of its
 * size (outputs and reasons repeat words), and base64 has no `<`: model text can never close the element.
 */
function embedData(data: ReportData): string {
  // Level 1: at the end of a 5,000-case run ~4 ms against ~12 ms for the default 6, for ~5 % more bytes.
  return gzipSync(JSON.stringify(data), { level: 1 }).toString('base64')
}

const options = (values: readonly string[], all: string) => `<option value="">${all}</option>${values.map((value) => `<option value="${escapeHtml(value)}">${escapeHtml(value)}</option>`).join('')}`

function casesSection(data: ReportData): string {
  const metrics = [...new Set(data.suites.flatMap((suite) => suite.columns.map((column) => column.metric)))]
  const filters = FILTERS.map((filter) => `<button type="button" data-filter="${filter}" aria-pressed="${filter === 'all'}">${filter}<span class="count"></span></button>`).join('')
  return `<section id="cases-section"><h2>Cases</h2>
<div class="controls">${filters}
<select id="suite" aria-label="suite">${options(data.suites.map((suite) => suite.name), 'all suites')}</select>
<select id="metric" aria-label="metric">${options(metrics, 'all metrics')}</select>
<input id="search" type="search" placeholder="search ids, inputs, outputs" aria-label="search cases"><span id="shown"></span></div>
<button type="button" id="earlier" hidden></button><div id="cases"></div>
<p id="empty" class="meta" hidden>No case matches these filters.</p><button type="button" id="more" hidden></button>
</section>`
}

/**
 * The self-contained HTML report (no network, no external assets; a CSP forbids both): the verdict and what
 * changed first, every case of the current run as a matrix (metrics × variants) drawn by the page script from
 * embedded JSON with filters, search, URL hash state, keyboard, outputs, reasoning, word diffs and traces;
 * score over time as small multiples; judge-human agreement. Model, tool and user text is never parsed as HTML.
 *
 * @example
 * writeFileSync('.evals/report.html', renderHtml({ runs, comparison, gateFailures: [] }))
 */
export function renderHtml(input: HtmlReportInput): string {
  return renderReportPage(input, buildReportData(input), trajectoryTemplates(input))
}

/**
 * The report page for given case data and trajectory `<template>` HTML (what {@link renderHtml} builds from
 * the runs); tests and the benchmark feed it synthetic data.
 *
 * @example
 * const html = renderReportPage(input, buildReportData(input), trajectoryTemplates(input))
 */
export function renderReportPage(input: HtmlReportInput, data: ReportData, templates = ''): string {
  const run = input.runs.at(-1)
  if (!run) throw new Error('renderHtml needs at least one run')
  const nonce = randomBytes(12).toString('base64')
  const { baselineRun } = input.comparison
  const charts = renderCharts(input.runs.slice(-(input.chartRuns ?? 100)), baselineRun ? { baselineRunId: baselineRun.id } : {})
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LLM eval report</title>
<style>${REPORT_CSS}${CHART_CSS}</style></head><body><main>
<header><h1>LLM eval report</h1></header>
${renderOverview(input, data)}
${casesSection(data)}
${charts ? `<section id="charts"><h2>Score over time</h2><div class="charts">${charts}</div></section>` : ''}
${agreementSection(input.agreement)}
<footer id="keys">${KEYS}</footer>
</main>
<script type="application/octet-stream" id="report-data" data-encoding="gzip+base64">${embedData(data)}</script>
${templates}
<script nonce="${nonce}">${diffScript()}</script>
<script nonce="${nonce}">${REPORT_SCRIPT}</script>
</body></html>
`
}
