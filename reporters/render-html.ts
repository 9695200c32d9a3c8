import { randomBytes } from 'node:crypto'
import type { RunAgreement } from './run-agreement.js'
import { caseKey, groupKey, testKey, trajectoriesByTest, type CaseScore, type CaseTrajectory, type HistoryRun } from '../src/history/run-record.js'
import { agreementN, headlineKappa } from '../src/review/agreement-report.js'
import type { RunComparison } from './compare.js'
import { formatAccuracy } from './render-agreement.js'
import { formatCost, formatDelta, referenceLabel, tokenCount } from './render-terminal.js'
import { conversationHtml, conversationSummary, traceHtml, traceSummary } from './render-trajectory.js'
import type { SummarizedCase } from './summarize.js'
import { groupThousands } from '../src/format-number.js'

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

/** A history line's interval when it is two numbers in 0..1 (lines are read loosely: a hand-edited one may hold anything). */
function validInterval(interval: unknown): { low: number; high: number } | undefined {
  const { low, high } = (interval ?? {}) as { low?: unknown; high?: unknown }
  return typeof low === 'number' && typeof high === 'number' && low >= 0 && high <= 1 && low <= high ? { low, high } : undefined
}

function charts(runs: readonly HistoryRun[]): string {
  const labels = runs.map((run) => `${run.time.slice(0, 16).replace('T', ' ')}${run.git?.commit ? ` ${run.git.commit.slice(0, 7)}` : ''}`)
  const current = runs.at(-1)
  if (!current) return ''
  const suites = [...new Set(current.groups.map((group) => group.suite))]
  return suites
    .map((suite) => {
      const groups = current.groups.filter((group) => group.suite === suite)
      const series = groups.map((group) => {
        const key = groupKey(group)
        const found = runs.map((run) => run.groups.find((each) => groupKey(each) === key))
        return { name: `${group.metric}${group.variant ? ` [${group.variant}]` : ''}`, points: found.map((each) => each?.mean), bands: found.map((each) => validInterval(each?.interval)) }
      })
      return lineChart(suite, series, labels)
    })
    .join('')
}

function variantTable(run: HistoryRun): string {
  const variants = [...new Set(run.groups.flatMap((group) => (group.variant === undefined ? [] : [group.variant])))]
  if (variants.length < 2) return ''
  const rows = new Map<string, Map<string, number>>()
  for (const group of run.groups) {
    if (group.variant === undefined) continue
    const key = `${group.suite}\u0000${group.metric}`
    rows.set(key, (rows.get(key) ?? new Map()).set(group.variant, group.mean))
  }
  const body = [...rows]
    .map(([key, means]) => {
      const [suite, metric] = key.split('\u0000')
      const best = Math.max(...means.values())
      const cells = variants.map((variant) => {
        const value = means.get(variant)
        return `<td class="num${value === best ? ' best' : ''}">${value === undefined ? '—' : value.toFixed(3)}</td>`
      })
      return `<tr><td>${escapeHtml(suite)}</td><td>${escapeHtml(metric)}</td>${cells.join('')}</tr>`
    })
    .join('')
  return `<section><h2>Variants</h2><table id="variants"><thead><tr><th>suite</th><th>metric</th>${variants.map((variant) => `<th>${escapeHtml(variant)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></section>`
}

/** Per case, its score in the run its suite metric was compared with (see `GroupComparison.reference`). */
function referenceScores(comparison: RunComparison): Map<string, number> {
  const scores = new Map<string, number>()
  const references = new Map(comparison.rows.flatMap((row) => (row.reference ? [[groupKey(row.group), row.reference.run] as const] : [])))
  for (const run of new Set(references.values())) {
    for (const score of run.cases ?? []) if (references.get(groupKey(score)) === run) scores.set(caseKey(score), score.score)
  }
  return scores
}

/** The expandable trace and conversation of a row; their content is in one template per test (rows of a test share it). */
function trajectoryDetails(trajectory: CaseTrajectory | undefined, id: string): string {
  if (!trajectory) return ''
  const { trace, conversation } = trajectory
  return [
    trace ? `<details class="trace" data-template="${id}-trace"><summary>trace <span class="sub">${escapeHtml(traceSummary(trace))}</span></summary></details>` : '',
    conversation ? `<details class="conversation" data-template="${id}-conversation"><summary>conversation <span class="sub">${escapeHtml(conversationSummary(conversation))}</span></summary></details>` : '',
  ].join('')
}

function trajectoryTemplates(trajectories: ReadonlyMap<string, CaseTrajectory>, ids: ReadonlyMap<string, string>): string {
  return [...trajectories]
    .map(([key, { trace, conversation }]) => {
      const id = ids.get(key) as string
      return `${trace ? `<template id="${id}-trace">${traceHtml(trace)}</template>` : ''}${conversation ? `<template id="${id}-conversation">${conversationHtml(conversation)}</template>` : ''}`
    })
    .join('')
}

function caseRows(run: HistoryRun, comparison: RunComparison): { rows: string; templates: string } {
  const before = referenceScores(comparison)
  const trajectories = trajectoriesByTest(run.cases ?? [])
  const ids = new Map([...trajectories.keys()].map((key, index) => [key, `trajectory-${index + 1}`]))
  const rows = (run.cases ?? [])
    .map((score: CaseScore) => {
      const previous = before.get(caseKey(score))
      // Graded before any human label: no score yet, so neither a regression nor a failure.
      const awaiting = (score as SummarizedCase).awaitingLabel === true
      const regressed = !awaiting && previous !== undefined && score.score < previous - 1e-9
      const details = [
        score.input === undefined ? '' : `<details><summary>input</summary><pre>${escapeHtml(score.input)}</pre></details>`,
        score.output === undefined ? '' : `<details class="output"><summary>output</summary><pre>${escapeHtml(score.output)}</pre></details>`,
        score.reason === undefined ? '' : `<details><summary>reasoning</summary><pre>${escapeHtml(score.reason)}</pre></details>`,
        trajectoryDetails(trajectories.get(testKey(score)), ids.get(testKey(score)) ?? ''),
      ].join('')
      const flags = `${awaiting ? '<span class="tag">awaiting label</span>' : ''}${score.pass ? '' : '<span class="tag fail">fail</span>'}${regressed ? '<span class="tag reg">regressed</span>' : ''}${score.flaky ? '<span class="tag flaky">flaky</span>' : ''}`
      return `<tr class="case" data-failing="${!score.pass}" data-regressed="${regressed}" data-flaky="${!!score.flaky}"><td>${escapeHtml(score.suite)}</td><td>${escapeHtml(score.caseId ?? score.test)}<div class="sub">${escapeHtml(score.test)}</div></td><td>${escapeHtml(score.metric)}${score.variant === undefined ? '' : ` <span class="sub">[${escapeHtml(score.variant)}]</span>`}</td><td class="num">${awaiting ? '—' : score.score.toFixed(3)}</td><td class="num">${awaiting ? '' : formatDelta(score.score, previous)}</td><td>${flags}</td><td>${score.humanLabel === undefined ? '' : escapeHtml(score.humanLabel)}</td><td>${details}</td></tr>`
    })
    .join('')
  return { rows, templates: trajectoryTemplates(trajectories, ids) }
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

/**
 * A self-contained HTML report (no network, no external assets; a CSP forbids both): score over time
 * per suite as SVG line charts, variants side by side, and every case of the current run with
 * filters, its output, judge reasoning, human label, and an agent's trace and conversation; judge-human
 * agreement and the disagreements when cases are labelled. All model, tool and user text is escaped.
 *
 * @example
 * writeFileSync('.evals/report.html', renderHtml({ runs, comparison, gateFailures: [] }))
 */
export function renderHtml(input: HtmlReportInput): string {
  const run = input.runs.at(-1)
  if (!run) throw new Error('renderHtml needs at least one run')
  const nonce = randomBytes(12).toString('base64')
  const cases = caseRows(run, input.comparison)
  const chartRuns = input.runs.slice(-(input.chartRuns ?? 100))
  const { previousRun, baselineRun } = input.comparison
  const summaryRows = input.comparison.rows
    .map((row) => `<tr${row.regressed ? ' class="regressed"' : ''}><td>${escapeHtml(row.group.suite)}</td><td>${escapeHtml(row.group.metric)}${row.group.variant ? ` [${escapeHtml(row.group.variant)}]` : ''}</td><td class="num">${row.group.mean.toFixed(3)}</td><td class="num">${formatDelta(row.group.mean, row.previous)}</td><td class="num">${formatDelta(row.group.mean, row.baseline)}</td><td${row.reference ? ` title="run ${escapeHtml(row.reference.run.id)}"` : ''}>${escapeHtml(referenceLabel(row, input.comparison))}</td><td class="num">${Math.round(row.group.passRate * 100)}%</td><td class="num">${row.group.cases}</td><td class="num">${row.group.flaky}</td></tr>`)
    .join('')
  const gate = input.gateFailures.length ? `<section class="gate"><h2>Gate failed</h2><ul>${input.gateFailures.map((failure) => `<li>${escapeHtml(failure)}</li>`).join('')}</ul></section>` : ''
  const meta = [run.time, run.git?.branch, run.git?.commit?.slice(0, 7), `${groupThousands(tokenCount(run.totals.tokens))} tokens`, formatCost(run.totals.costUsd), previousRun ? `previous run ${previousRun.time}` : 'first run', baselineRun ? `baseline ${baselineRun.time}` : '']
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LLM eval report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111;background:#fff}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums}.sub{color:#6b7280;font-size:12px}.meta{color:#4b5563}
tr.regressed td{color:#b91c1c}.best{font-weight:600}.gate{border:1px solid #fca5a5;background:#fef2f2;padding:8px 16px}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{margin:0;border:1px solid #e5e7eb;padding:8px}.chart svg text{font-size:10px;fill:#6b7280}
.grid{stroke:#e5e7eb}.legend{display:flex;flex-wrap:wrap;gap:10px;font-size:12px}.key i{display:inline-block;width:10px;height:10px;margin-right:4px}
.matrix{width:auto}.matrix th,.matrix td{padding:1px 6px}
.tag{font-size:11px;border-radius:3px;padding:0 4px;margin-right:4px}.fail{background:#fee2e2}.reg{background:#ffedd5}.flaky{background:#fef9c3}
pre{white-space:pre-wrap;max-width:60ch;max-height:240px;overflow:auto;background:#f9fafb;padding:6px}
.steps,.turns,.calls{margin:4px 0;padding-left:20px}.step,.turn{margin-bottom:8px}.step-head,.who{font-size:12px;font-weight:600;color:#374151}
.calls pre,.turns pre{margin:2px 0;max-height:160px}.tool{font-weight:600}.ended{font-size:12px;color:#374151}pre.error{background:#fef2f2}.filters button[aria-pressed=true]{font-weight:700}
</style></head><body>
<h1>LLM eval report</h1>
<p class="meta">${meta.filter(Boolean).map(escapeHtml).join(' · ')}</p>
${gate}
<section><h2>Score over time</h2><div class="charts">${charts(chartRuns)}</div></section>
<section><h2>Suites</h2><table id="summary"><thead><tr><th>suite</th><th>metric</th><th>score</th><th>Δ prev</th><th>Δ base</th><th>vs</th><th>pass</th><th>cases</th><th>flaky</th></tr></thead><tbody>${summaryRows}</tbody></table>${summaryRows ? '' : '<p class="meta">No scores yet: the cases of this run await a human label (see Cases). Label them with <code>npx llm-evals review</code>.</p>'}</section>
${variantTable(run)}
${agreementSection(input.agreement)}
<section><h2>Cases</h2>
<div class="filters"><button data-filter="all" aria-pressed="true">all</button> <button data-filter="failing">failing</button> <button data-filter="regressed">regressed</button> <button data-filter="flaky">flaky</button> <input id="search" type="search" placeholder="search cases"> <span id="shown"></span></div>
<table id="cases"><thead><tr><th>suite</th><th>case</th><th>metric</th><th>score</th><th>Δ</th><th></th><th>human label</th><th>details</th></tr></thead><tbody>${cases.rows}</tbody></table>${cases.templates}
${run.cases ? '' : '<p class="meta">Per-case detail of this run was dropped by the history retention.</p>'}
</section>
<script nonce="${nonce}">
(() => {
  let filter = 'all'
  const rows = [...document.querySelectorAll('#cases tr.case')]
  const search = document.getElementById('search')
  const apply = () => {
    const needle = search.value.toLowerCase()
    let shown = 0
    for (const row of rows) {
      const visible = (filter === 'all' || row.dataset[filter] === 'true') && (!needle || row.textContent.toLowerCase().includes(needle))
      row.hidden = !visible
      if (visible) shown++
    }
    document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' cases'
  }
  for (const button of document.querySelectorAll('.filters button')) {
    button.addEventListener('click', () => {
      filter = button.dataset.filter
      for (const other of document.querySelectorAll('.filters button')) other.setAttribute('aria-pressed', String(other === button))
      apply()
    })
  }
  search.addEventListener('input', apply)
  // A test's trace and conversation are stored once, in a template, and copied into a row when it is opened.
  for (const details of document.querySelectorAll('#cases details[data-template]')) {
    details.addEventListener('toggle', () => {
      const template = document.getElementById(details.dataset.template)
      if (!details.open || details.dataset.filled || !template) return
      details.dataset.filled = 'true'
      details.append(template.content.cloneNode(true))
    })
  }
  apply()
})()
</script>
</body></html>
`
}
