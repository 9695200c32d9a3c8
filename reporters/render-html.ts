import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { RunAgreement } from './run-agreement.js'
import type { HistoryRun } from '../src/history/run-record.js'
import { agreementN, headlineKappa } from '../src/review/agreement-report.js'
import type { RunComparison } from './compare.js'
import { formatAccuracy } from './render-agreement.js'
import type { ReportData } from './report-data.js'
import { interimReportData } from './report-page-interim.js'
import { REPORT_CSS, REPORT_SCRIPT } from './report-page.js'
import { renderCharts } from './report-charts.js'
import { renderOverview } from './report-overview.js'

import { escapeHtml } from './escape-html.js'

export { escapeHtml }

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777']

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

/** One line of a chart: a value per run (undefined where the run has none) and, optionally, each run's interval. */
export interface ChartSeries {
  name: string
  points: (number | undefined)[]
  bands?: ({ low: number; high: number } | undefined)[]
}

/** Runs of consecutive indexes that have a band (a run without an interval breaks the band). */
function bandSegments(bands: readonly ({ low: number; high: number } | undefined)[]): { at: number; low: number; high: number }[][] {
  const segments: { at: number; low: number; high: number }[][] = [[]]
  bands.forEach((band, at) => {
    if (band) segments.at(-1)?.push({ at, ...band })
    else if (segments.at(-1)?.length) segments.push([])
  })
  return segments.filter((segment) => segment.length > 0)
}

/**
 * An SVG line chart of mean score over runs, one line per metric/variant of a suite (0..1 axis), each
 * with a shaded band of its runs' 95% intervals where the runs kept one.
 *
 * @example
 * lineChart('qa', [{ name: 'factuality', points: [0.8, 0.82], bands: [{ low: 0.74, high: 0.86 }, undefined] }], ['run 1', 'run 2'])
 */
export function lineChart(title: string, series: readonly ChartSeries[], labels: readonly string[]): string {
  const width = 640
  const height = 220
  const left = 40
  const right = 12
  const top = 12
  const bottom = 28
  const count = Math.max(labels.length, 1)
  const x = (index: number) => left + (count === 1 ? (width - left - right) / 2 : (index * (width - left - right)) / (count - 1))
  const y = (value: number) => top + (1 - value) * (height - top - bottom)
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((tick) => `<line x1="${left}" x2="${width - right}" y1="${y(tick)}" y2="${y(tick)}" class="grid"/><text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick.toFixed(2)}</text>`)
    .join('')
  const lines = series
    .map((line, index) => {
      const color = COLORS[index % COLORS.length]
      // A lone run's band is drawn as a short vertical bar, so it still shows.
      const band = bandSegments(line.bands ?? [])
        .map((segment) => {
          const edge = (value: number, at: number) => `${x(at).toFixed(1)},${y(value).toFixed(1)}`
          const outline = [...segment.map((point) => edge(point.high, point.at)), ...segment.toReversed().map((point) => edge(point.low, point.at))]
          return segment.length === 1
            ? `<line class="band" x1="${x(segment[0]!.at).toFixed(1)}" x2="${x(segment[0]!.at).toFixed(1)}" y1="${y(segment[0]!.high).toFixed(1)}" y2="${y(segment[0]!.low).toFixed(1)}" stroke="${color}" stroke-opacity="0.3" stroke-width="6"/>`
            : `<polygon class="band" fill="${color}" fill-opacity="0.15" points="${outline.join(' ')}"/>`
        })
        .join('')
      const points = line.points.flatMap((value, at) => (value === undefined ? [] : [`${x(at).toFixed(1)},${y(value).toFixed(1)}`]))
      const dots = line.points
        .map((value, at) => (value === undefined ? '' : `<circle cx="${x(at).toFixed(1)}" cy="${y(value).toFixed(1)}" r="2.5" fill="${color}"><title>${escapeHtml(`${line.name} · ${labels[at] ?? ''}: ${value.toFixed(3)}${line.bands?.[at] ? ` (95% CI ${line.bands[at].low.toFixed(2)}–${line.bands[at].high.toFixed(2)})` : ''}`)}</title></circle>`))
        .join('')
      return `${band}<polyline class="series" data-series="${escapeHtml(line.name)}" fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>${dots}`
    })
    .join('')
  const legend = series.map((line, index) => `<span class="key"><i style="background:${COLORS[index % COLORS.length]}"></i>${escapeHtml(line.name)}</span>`).join('')
  return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption><svg role="img" aria-label="${escapeHtml(`Score over time: ${title}`)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${grid}${lines}<text x="${left}" y="${height - 8}">${escapeHtml(labels[0] ?? '')}</text><text x="${width - right}" y="${height - 8}" text-anchor="end">${escapeHtml(labels.at(-1) ?? '')}</text></svg><div class="legend">${legend}</div></figure>`
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
  return `<section><h2>Judge-human agreement</h2><table id="agreement"><thead><tr><th>grader</th><th>metric</th><th>n</th><th>accuracy [95% CI]</th><th>kappa</th><th>fail recall</th><th>false fail</th><th>confusion</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Disagreements</h2>${disagreements ? `<table id="disagreements"><thead><tr><th>case</th><th>metric</th><th>automated</th><th>human</th><th>output</th></tr></thead><tbody>${disagreements}</tbody></table>` : '<p class="meta">The graders agree with every current human label.</p>'}</section>`
}

const FILTERS = ['all', 'failing', 'regressed', 'improved', 'flaky', 'disagree', 'awaiting'] as const
const KEYS = 'Keys: j / k or arrows move · Enter or o open · / search · a all · x failing · r regressed · y flaky · d disagree · Esc close'

let diffLibrary: string | undefined
/** jsdiff's browser build (defines `window.Diff`), read once; the page computes word diffs with it when a diff is opened. */
function diffScript(): string {
  diffLibrary ??= readFileSync(join(dirname(createRequire(import.meta.url).resolve('diff/package.json')), 'dist', 'diff.min.js'), 'utf8').replace(/<\/(script)/gi, '<\\/$1')
  return diffLibrary
}

/** The data as a JSON script element's text: no `<` (so no `</script>`), no line separators JavaScript once rejected. */
function embedJson(data: ReportData): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

const runLabel = (run: HistoryRun) => `${run.time.slice(0, 16).replace('T', ' ')}${run.git?.commit ? ` ${run.git.commit.slice(0, 7)}` : ''}`
const options = (values: readonly string[], all: string) => `<option value="">${all}</option>${values.map((value) => `<option value="${escapeHtml(value)}">${escapeHtml(value)}</option>`).join('')}`

function casesSection(data: ReportData): string {
  const metrics = [...new Set(data.suites.flatMap((suite) => suite.columns.map((column) => column.metric)))]
  const filters = FILTERS.map((filter) => `<button type="button" data-filter="${filter}" aria-pressed="${filter === 'all'}">${filter}<span class="count"></span></button>`).join('')
  const dropped = data.detailDropped ? '<p class="meta">Per-case detail of this run was dropped by the history retention.</p>' : ''
  return `<section id="cases-section"><h2>Cases</h2>
<div class="controls">${filters}
<select id="suite" aria-label="suite">${options(data.suites.map((suite) => suite.name), 'all suites')}</select>
<select id="metric" aria-label="metric">${options(metrics, 'all metrics')}</select>
<input id="search" type="search" placeholder="search ids, inputs, outputs" aria-label="search cases"><span id="shown"></span></div>
<div id="cases"></div>
<p id="empty" class="meta" hidden>No case matches these filters.</p><button type="button" id="more" hidden></button>${dropped}
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
  // Until the report model lands: the interim builder (the integrator swaps in buildReportData + trajectoryTemplates).
  const { data, templates } = interimReportData(input)
  return renderReportPage(input, data, templates)
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
  const { previousRun, baselineRun } = input.comparison
  const meta = [run.time.slice(0, 16).replace('T', ' '), run.git?.branch, run.git?.commit?.slice(0, 7), previousRun ? `previous run ${runLabel(previousRun)}` : 'first run', baselineRun ? `baseline ${runLabel(baselineRun)}` : '']
  const charts = renderCharts(input.runs.slice(-(input.chartRuns ?? 100)), baselineRun ? { baselineRunId: baselineRun.id } : {})
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LLM eval report</title>
<style>${REPORT_CSS}</style></head><body><main>
<header><h1>LLM eval report</h1><p class="meta">${meta.filter(Boolean).map((part) => escapeHtml(part)).join(' · ')}</p></header>
${renderOverview(input, data)}
${casesSection(data)}
${charts ? `<section id="charts"><h2>Score over time</h2><div class="charts">${charts}</div></section>` : ''}
${agreementSection(input.agreement)}
<footer id="keys">${KEYS}</footer>
</main>
<script type="application/json" id="report-data">${embedJson(data)}</script>
${templates}
<script nonce="${nonce}">${diffScript()}</script>
<script nonce="${nonce}">${REPORT_SCRIPT}</script>
</body></html>
`
}
