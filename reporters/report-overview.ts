// The report's first screen: is the run good (the verdict, headline numbers, every suite metric against its
// previous run and the baseline) and which cases to look at (`report-changes.ts`). Server-rendered, every
// name and text escaped; class names only (the page's stylesheet styles them).
import { groupThousands } from '../src/format-number.js'
import type { HistoryRun, SuiteUsage } from '../src/history/run-record.js'
import { agreementN, headlineKappa } from '../src/review/agreement-report.js'
import { erroredNotes, gateNotes, type GroupComparison } from './compare.js'
import { escapeHtml } from './escape-html.js'
import { formatAccuracy } from './render-agreement.js'
import type { HtmlReportInput } from './render-html.js'
import { describeRun, formatCost, formatDelta, formatInterval, referenceLabel, tokenCount } from './render-terminal.js'
import { renderChanges } from './report-changes.js'
import { ROW_FLAGS, type ReportData } from './report-data.js'

const list = (className: string, items: readonly string[]) => (items.length ? `<ul class="${className}">${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>` : '')
const plural = (count: number, word: string) => `${groupThousands(count)} ${word}${count === 1 ? '' : 's'}`
const name = (group: { metric: string; variant?: string }) => `${group.metric}${group.variant === undefined ? '' : ` [${group.variant}]`}`

/**
 * Model time as people read it: `850 ms`, `12.4 s`, `1,234 s`.
 *
 * @example
 * formatLatency(12_449) // '12.4 s'
 */
export function formatLatency(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  return ms < 100_000 ? `${(ms / 1000).toFixed(1)} s` : `${groupThousands(Math.round(ms / 1000))} s`
}

/** The verdict line and its class: the gate's failures, regressions the gate let through, or that nothing regressed. */
function verdictLine(input: HtmlReportInput, data: ReportData, awaitingOnly: boolean): { className: string; title: string; detail: string } {
  const { rows } = input.comparison
  if (input.gateFailures.length) return { className: 'verdict-failed', title: 'Gate failed', detail: list('gate-failures', input.gateFailures) }
  if (awaitingOnly) {
    return { className: 'verdict-pending', title: 'No scores yet', detail: '<p class="verdict-note">No scores yet: the cases of this run await a human label (see Cases). Label them with <code>npx llm-evals review</code>.</p>' }
  }
  const regressed = rows.filter((row) => row.regressed)
  if (regressed.length) {
    const names = regressed.map((row) => `${row.group.suite} · ${name(row.group)}: ${row.group.mean.toFixed(3)} vs ${row.reference?.mean.toFixed(3) ?? '—'} (${referenceLabel(row, input.comparison)})`)
    return { className: 'verdict-regressed', title: `${plural(regressed.length, 'suite metric')} regressed (the gate does not fail on it)`, detail: list('regressions', names) }
  }
  if (rows.some((row) => row.reference)) {
    // No suite metric regressed, but a reader must not see a green verdict over failing or dropped cases.
    const failing = data.rows.filter((row) => row.flags & ROW_FLAGS.failing).length
    const dropped = data.rows.filter((row) => row.flags & ROW_FLAGS.regressed).length
    const caveats = [dropped ? `${plural(dropped, 'case')} scored lower` : '', failing ? `${plural(failing, 'case')} failing` : ''].filter(Boolean)
    return caveats.length ? { className: 'verdict-mixed', title: `No suite regressed; ${caveats.join(', ')}`, detail: '' } : { className: 'verdict-passed', title: 'No regressions', detail: '' }
  }
  return { className: 'verdict-first', title: 'First run', detail: '<p class="verdict-note">Nothing to compare with yet: the next run shows its changes against this one.</p>' }
}

/** What a partial merge lacks (see `HistoryRun.partial`). */
function partialRunNote(partial: NonNullable<HistoryRun['partial']>): string {
  const missing = partial.missingShards.map((index) => `${index}/${partial.shardCount}`).join(', ')
  const mixed = partial.shardCounts ? `; its blob reports came from runs split differently (${partial.shardCounts.map((count) => `…/${count}`).join(' and ')})` : ''
  const twice = partial.duplicatedFiles ? `; ${partial.duplicatedFiles} test file${partial.duplicatedFiles === 1 ? ' was' : 's were'} in two blob reports, ${partial.duplicatedFiles === 1 ? 'its' : 'their'} cases counted twice` : ''
  const commits = partial.commits ? `; its blob reports came from runs of different commits (${partial.commits.join(' and ')})` : ''
  if (partial.unsharded) return `Partial run: merged ${partial.blobReports ?? 'several'} blob reports of runs without --shard${twice}.`
  const ranEmpty = partial.ranEmpty ?? 0
  // Shards that ran no test file are among `missingShards`, unnamed (see `HistoryRun.partial`): how many are missing.
  const lacking = !missing ? '' : ranEmpty ? ` (missing: ${partial.missingShards.length - ranEmpty} of ${missing}, the other${ranEmpty === 1 ? '' : 's'} ran no test file); the suites of the missing shards are not in this report` : ` (missing: ${missing}); the suites of the missing shards are not in this report`
  return `Partial run: merged ${partial.shardCount - partial.missingShards.length} of ${partial.shardCount} shards${lacking}${mixed}${commits}${twice}.`
}

/** The run's identity and what it is compared with. */
function runMeta(run: HistoryRun, input: HtmlReportInput): string {
  const { previousRun, baselineRun } = input.comparison
  const parts = [describeRun(run), run.git?.branch, previousRun ? `previous run ${describeRun(previousRun)}` : 'no previous run', baselineRun ? `baseline ${describeRun(baselineRun)}` : 'no baseline']
  return `<p class="run-meta">${parts.filter(Boolean).map(escapeHtml).join(' · ')}</p>`
}

/** The headline numbers as a definition list; `stat-bad` marks a count a reviewer should look at. */
function headline(run: HistoryRun, data: ReportData): string {
  // Rows per flag, counted in one pass (a pass per flag over 5,000 rows cost several ms at the end of a run, cold).
  const counts = new Map<number, number>()
  for (const row of data.rows) counts.set(row.flags, (counts.get(row.flags) ?? 0) + 1)
  const count = (flag: number) => {
    let sum = 0
    for (const [flags, rows] of counts) if (flags & flag) sum += rows
    return sum
  }
  const trials = run.groups.reduce((sum, group) => sum + group.trials, 0)
  const passing = run.groups.reduce((sum, group) => sum + group.passRate * group.trials, 0)
  const latency = run.suites.reduce((sum, suite) => sum + (suite.latencyMs ?? 0), 0)
  const replayedLatency = run.suites.reduce((sum, suite) => sum + (suite.replayedLatencyMs ?? 0), 0)
  const stat = (label: string, value: string, bad = false) => `<div class="stat${bad ? ' stat-bad' : ''}"><dt>${label}</dt><dd>${escapeHtml(value)}</dd></div>`
  const detail = !!run.cases
  const failing = count(ROW_FLAGS.failing)
  const flaky = detail ? count(ROW_FLAGS.flaky) : run.groups.reduce((sum, group) => sum + group.flaky, 0)
  const stats = [
    detail ? stat('cases', groupThousands(data.rows.length)) : stat('tests', groupThousands(run.totals.tests)),
    detail ? stat('failing cases', groupThousands(failing), failing > 0) : '',
    stat('scores passing', trials ? `${Math.round((passing / trials) * 100)}%` : '—'),
    detail ? stat('regressed cases', groupThousands(count(ROW_FLAGS.regressed)), count(ROW_FLAGS.regressed) > 0) : '',
    stat(detail ? 'flaky cases' : 'flaky', groupThousands(flaky), flaky > 0),
    detail && count(ROW_FLAGS.disagree) ? stat('disagree with a human', groupThousands(count(ROW_FLAGS.disagree)), true) : '',
    detail && count(ROW_FLAGS.awaiting) ? stat('awaiting a label', groupThousands(count(ROW_FLAGS.awaiting))) : '',
    stat('cost', formatCost(run.totals.costUsd)),
    stat('tokens', `${groupThousands(tokenCount(run.totals.tokens))}${run.totals.tokens.replayed ? ` (${groupThousands(run.totals.tokens.replayed)} replayed)` : ''}`),
    // A replayed call's latency is the one recorded with it: say so, it is not this run's.
    latency > 0 ? stat(replayedLatency <= 0 ? 'model time' : replayedLatency >= latency ? 'model time (as recorded)' : 'model time (partly as recorded)', formatLatency(latency)) : '',
    run.totals.replayed + run.totals.recorded > 0 ? stat('model calls', `${groupThousands(run.totals.replayed)} replayed · ${groupThousands(run.totals.recorded)} recorded`) : '',
  ]
  return `<dl class="headline">${stats.join('')}</dl>`
}

/** Judge-human agreement per grader and metric, one short line each (the full tables are further down). */
function agreementHeadline(input: HtmlReportInput): string {
  const counted = (input.agreement?.agreements ?? []).filter((each) => agreementN(each) > 0)
  if (counted.length === 0) return ''
  const items = counted.map((each) => {
    const kappa = headlineKappa(each)
    return `${each.grader} · ${each.metric}: accuracy ${formatAccuracy(each)}, kappa ${kappa === null || kappa === undefined ? '—' : kappa.toFixed(2)}${each.ordinal && kappa !== undefined ? ' (weighted)' : ''}, n = ${agreementN(each)}`
  })
  return `<div class="agreement-headline"><h3>Judge-human agreement</h3>${list('agreement-list', items)}</div>`
}

function usageLine(usage: SuiteUsage | undefined): string {
  if (!usage) return ''
  const parts = [formatCost(usage.costUsd), `${groupThousands(tokenCount(usage.tokens))} tokens`, usage.latencyMs ? formatLatency(usage.latencyMs) : '']
  return ` <span class="suite-usage">${parts.filter(Boolean).map(escapeHtml).join(' · ')}</span>`
}

function summaryRow(row: GroupComparison, input: HtmlReportInput): string {
  const { group } = row
  const delta = (before: number | undefined) => {
    const text = formatDelta(group.mean, before)
    // No change is the common case: a quiet "=" instead of "±0.000" on every row.
    if (text === '±0.000') return '<td class="num delta same" title="no change">=</td>'
    const direction = before === undefined ? '' : group.mean < before ? ' down' : ' up'
    return `<td class="num delta${direction}">${text}</td>`
  }
  const title = row.reference ? ` title="run ${escapeHtml(row.reference.run.id)}"` : ''
  return `<tr${row.regressed ? ' class="regressed"' : ''}><td>${escapeHtml(name(group))}</td><td class="num">${group.mean.toFixed(3)}</td><td class="num">${Math.round(group.passRate * 100)}%</td>${delta(row.previous)}${delta(row.baseline)}<td${title}>${escapeHtml(referenceLabel(row, input.comparison))}</td><td class="num">${formatInterval(group)}</td><td class="num">${group.cases}</td><td class="num">${group.flaky}</td></tr>`
}

/** Per suite, a header row (its name once, its cost, tokens and model time) and a row per metric and variant. */
function summaryTable(run: HistoryRun, input: HtmlReportInput): string {
  const bySuite = new Map<string, GroupComparison[]>()
  for (const row of input.comparison.rows) bySuite.set(row.group.suite, [...(bySuite.get(row.group.suite) ?? []), row])
  if (bySuite.size === 0) return ''
  const bodies = [...bySuite].map(([suite, rows]) => {
    const usage = run.suites.find((each) => each.suite === suite)
    return `<tbody class="suite-rows"><tr class="suite-head"><th colspan="9" scope="rowgroup">${escapeHtml(suite)}${usageLine(usage)}</th></tr>${rows.map((row) => summaryRow(row, input)).join('')}</tbody>`
  })
  const head = '<thead><tr><th>metric</th><th>mean</th><th>pass</th><th>Δ prev</th><th>Δ base</th><th>vs</th><th>95% CI</th><th>cases</th><th>flaky</th></tr></thead>'
  return `<div class="table-scroll"><table id="summary" class="suites">${head}${bodies.join('')}</table></div>`
}

/**
 * The report's first screen, as HTML: the verdict (`#verdict`: gate result and why, headline numbers,
 * judge-human agreement, the per-suite table `#summary`) and what changed (`#changes`).
 *
 * @example
 * const html = renderOverview(input, buildReportData(input))
 */
export function renderOverview(input: HtmlReportInput, data: ReportData): string {
  const run = input.runs.at(-1)
  if (!run) return '<section id="verdict" class="verdict verdict-first"><h2 class="verdict-line">No runs yet</h2></section><section id="changes"></section>'
  const awaitingOnly = input.comparison.rows.length === 0 && (run.cases ?? []).some((score) => (score as { awaitingLabel?: unknown }).awaitingLabel === true)
  const verdict = verdictLine(input, data, awaitingOnly)
  // Drops the gate did not count are not failures: folded, so they neither read as failures nor fill a phone's screen.
  const noted = gateNotes(input.comparison)
  const withoutErrored = erroredNotes(input.comparison)
  const notes = `${noted.length ? `<details class="gate-notes"><summary>${plural(noted.length, 'drop')} not counted by the gate (too few cases, or within noise)</summary>${list('gate-notes', noted)}</details>` : ''}${withoutErrored.length ? `<details class="gate-notes"><summary>${plural(withoutErrored.length, 'suite metric')} compared by mean without the cases that could not be scored</summary>${list('gate-notes', withoutErrored)}</details>` : ''}`
  const retention = run.cases ? '' : '<p class="verdict-note">Per-case detail of this run was dropped by the history retention.</p>'
  const partial = run.partial ? `<p class="verdict-note">${escapeHtml(partialRunNote(run.partial))}</p>` : ''
  const body = `<h2 class="verdict-line">${escapeHtml(verdict.title)}</h2>${verdict.detail}${partial}${notes}${runMeta(run, input)}${headline(run, data)}${retention}${agreementHeadline(input)}`
  // What changed beside the suites (on a wide screen; first on a narrow one), so both are on the first screen.
  const suites = summaryTable(run, input)
  return `<section id="verdict" class="verdict ${verdict.className}">${body}</section><div class="overview">${renderChanges(input, data)}${suites ? `<section id="suites"><h2>Suites</h2>${suites}</section>` : ''}</div>`
}
