import { styleText } from 'node:util'
import type { CaseScore, SuiteUsage, TokenTotals } from '../src/history/run-record.js'
import type { GroupComparison, RunComparison } from './compare.js'
import { flakyCases } from './flaky-cases.js'
import type { RunSummary, SummarizedCase } from './summarize.js'
import { pushTo } from '../src/collections.js'
import { groupThousands } from '../src/format-number.js'
import { visibleText } from '../src/visible-text.js'

type Style = 'red' | 'green' | 'yellow' | 'dim' | 'bold'

const BARS = '▁▂▃▄▅▆▇█'

/** A sparkline of values, scaled between their own min and max (a flat series is a flat mid line). */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return ''
  const low = Math.min(...values)
  const high = Math.max(...values)
  return values.map((value) => (high - low < 1e-9 ? BARS[3] : BARS[Math.round(((value - low) / (high - low)) * (BARS.length - 1))])).join('')
}

/** `+0.020` / `-0.031` / `±0.000`, or `—` when there is nothing to compare with. */
export function formatDelta(now: number, before: number | undefined): string {
  if (before === undefined) return '—'
  const delta = now - before
  if (Math.abs(delta) < 0.0005) return '±0.000'
  return `${delta > 0 ? '+' : '-'}${Math.abs(delta).toFixed(3)}`
}

/** A group's interval as `0.78–0.86`, or `—` when its run kept none (history before intervals). */
export function formatInterval(group: { interval?: { low: number; high: number } }): string {
  // History is read loosely: an interval edited by hand (or written by another version) may lack its numbers.
  const { low, high } = (group.interval ?? {}) as { low?: unknown; high?: unknown }
  return typeof low === 'number' && typeof high === 'number' ? `${low.toFixed(2)}–${high.toFixed(2)}` : '—'
}

/** Total tokens of a split. */
export function tokenCount(tokens: TokenTotals): number {
  return tokens.app.input + tokens.app.output + tokens.judge.input + tokens.judge.output + (tokens.simulator?.input ?? 0) + (tokens.simulator?.output ?? 0)
}

/** `$0.0123`, with enough digits for small amounts. */
export function formatCost(usd: number): string {
  return usd === 0 ? '$0' : usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`
}

function formatTokens(tokens: TokenTotals): string {
  const total = tokenCount(tokens)
  if (total === 0) return '0 tokens'
  const app = tokens.app.input + tokens.app.output
  const judge = tokens.judge.input + tokens.judge.output
  const simulator = (tokens.simulator?.input ?? 0) + (tokens.simulator?.output ?? 0)
  return `${groupThousands(total)} tokens (app ${groupThousands(app)} · judge ${groupThousands(judge)}${simulator ? ` · simulator ${groupThousands(simulator)}` : ''}; ${groupThousands(tokens.replayed)} replayed · ${groupThousands(tokens.live)} live)`
}

/**
 * What a row was compared with, for the `vs` column: `baseline`, `previous` (the run before this one),
 * `previous <time>` (an older run: the suite metric was not scored since), or `—` (nothing before).
 */
export function referenceLabel(row: GroupComparison, comparison: RunComparison): string {
  const { reference } = row
  if (!reference) return '—'
  if (reference.kind === 'baseline') return 'baseline'
  return reference.run === comparison.previousRun ? 'previous' : `previous ${describeRun(reference.run)}`
}

/** Rows of cells as aligned text columns, two spaces apart. */
export function table(rows: readonly string[][], align: readonly ('left' | 'right')[]): string[] {
  const widths = align.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)))
  return rows.map((row) => row.map((cell, column) => (align[column] === 'right' ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd())
}

/**
 * Names from the project's code and data (suite, metric, case) and notes made of them, as one terminal line:
 * controls escaped (no cursor move, no OSC-8 link), newlines and tabs as `\n`, `\t`.
 */
const oneLine = (text: string): string => visibleText(text).replace(/[\n\t]/g, (character) => (character === '\n' ? '\\n' : '\\t'))

/**
 * The terminal summary: per suite, a table of metrics with score and its 95% interval, deltas vs the
 * previous run and the baseline, the reference regressions are measured against (`vs`), a sparkline of recent runs and the
 * pass rate; usage per suite; regressions with the cases that dropped most, and drops the gate did not
 * fail (too few paired cases, within noise) with why; one line per flaky case;
 * the cases awaiting a human label, per suite metric. Plain text when `color` is false.
 *
 * @example
 * logger.log(renderTerminal(summary, comparison, { color: false }).join('\n'))
 */
export function renderTerminal(summary: RunSummary, comparison: RunComparison, options: { color: boolean }): string[] {
  const paint = (style: Style, text: string) => (options.color ? styleText(style, text, { validateStream: false }) : text)
  const awaiting = awaitingLabelCounts(summary)
  const errored = erroredCases(summary)
  if (comparison.rows.length === 0 && awaiting.length === 0 && errored.length === 0) return []
  const lines: string[] = comparison.rows.length ? scoreTables(summary, comparison, paint) : ['']
  for (const score of flakyCases(summary.cases)) {
    const trials = score.trials > 1 ? `${score.passes ?? 0}/${score.trials} trials passed` : 'passed on retry'
    lines.push(paint('yellow', ` flaky: ${oneLine(`${score.test} (${score.metric}${score.variant ? ` [${score.variant}]` : ''}`)}: ${trials})`))
  }
  // A case's name comes from its dataset row: on one line, no terminal control, as its error.
  for (const score of errored.slice(0, MAX_ERRORED_SHOWN)) lines.push(paint('red', ` errored: ${oneLine(`${score.test}: ${score.error ?? ''}`)}`))
  if (errored.length > MAX_ERRORED_SHOWN) lines.push(paint('red', ` errored: … and ${errored.length - MAX_ERRORED_SHOWN} more cases (all are in the report)`))
  if (awaiting.length) {
    lines.push(paint('yellow', ' awaiting a human label (label them with `npx llm-evals review`):'))
    for (const each of awaiting) lines.push(paint('yellow', `   ${oneLine(each.name)}: ${each.cases} case${each.cases === 1 ? '' : 's'}`))
  }
  if (tokenCount(summary.totals.tokens) > 0) lines.push(paint('dim', ` run total: ${formatTokens(summary.totals.tokens)} · ${formatCost(summary.totals.costUsd)}`))
  return lines
}

/** Errored cases listed by name: a scorer misused in every case of a 500-row suite is one error, shown by Vitest. */
export const MAX_ERRORED_SHOWN = 5

/**
 * The cases that could not be scored (their task or a scorer failed), one row each (its first), in run order: the
 * tables count them as the suite gate does, this says which they are and why.
 *
 * @example
 * erroredCases(summary) // [{ test: 'bot > q7', error: 'Case "q7" timed out after 30000 ms; …', … }]
 */
export function erroredCases(summary: Pick<RunSummary, 'cases'>): CaseScore[] {
  const seen = new Set<string>()
  return (summary.cases ?? []).filter((score) => {
    if (score.error === undefined) return false
    const key = `${score.suite}\u0000${score.test}`
    return !seen.has(key) && !!seen.add(key)
  })
}

/**
 * Cases graded before anyone labelled them (`toMatchHumanLabel` with no current label), per suite
 * metric: not scores yet, so not in the tables, but listed so a reviewer labels them.
 */
export function awaitingLabelCounts(summary: Pick<RunSummary, 'cases'>): { name: string; cases: number }[] {
  const counts = new Map<string, number>()
  for (const score of summary.cases ?? []) {
    if (!(score as SummarizedCase).awaitingLabel) continue
    const name = `${score.suite} · ${score.metric}${score.variant ? ` [${score.variant}]` : ''}`
    counts.set(name, (counts.get(name) ?? 0) + 1)
  }
  return [...counts].map(([name, cases]) => ({ name, cases }))
}

/**
 * A suite's model time, saying when it is (partly) the recorded latency of replayed calls rather than this run's.
 *
 * @example
 * modelTime({ latencyMs: 9120, replayedLatencyMs: 9120 }) // '9120 ms model time (as recorded)'
 */
export function modelTime(usage: Pick<SuiteUsage, 'latencyMs' | 'replayedLatencyMs'>): string {
  const replayed = usage.replayedLatencyMs ?? 0
  const note = replayed <= 0 ? '' : replayed >= usage.latencyMs ? ' (as recorded)' : ` (${Math.round(replayed)} ms of it as recorded)`
  return `${Math.round(usage.latencyMs)} ms model time${note}`
}

function scoreTables(summary: RunSummary, comparison: RunComparison, paint: (style: Style, text: string) => string): string[] {
  const lines: string[] = []
  const against = [
    // A partial merge (some shards' blob reports missing) is said: its suites are compared, the others are not in it.
    comparison.previousRun ? `previous: ${describeRun(comparison.previousRun)}${comparison.previousRun.partial ? ' (a partial merge)' : ''}` : 'no previous run',
    comparison.baselineRun ? `baseline: ${describeRun(comparison.baselineRun)}` : 'no baseline',
  ]
  lines.push('', paint('bold', `LLM eval scores`) + paint('dim', ` (${against.join(' · ')})`))
  const bySuite = new Map<string, GroupComparison[]>()
  for (const row of comparison.rows) pushTo(bySuite, row.group.suite, row)
  for (const [suite, rows] of bySuite) {
    const usage = summary.suites.find((each) => each.suite === suite)
    const usageText = usage && tokenCount(usage.tokens) > 0 ? ` · ${formatTokens(usage.tokens)} · ${formatCost(usage.costUsd)}${usage.latencyMs ? ` · ${modelTime(usage)}` : ''}` : ''
    lines.push(` ${paint('bold', oneLine(suite))}${paint('dim', usageText)}`)
    const header = ['metric', 'score', '95% CI', 'Δ prev', 'Δ base', 'vs', 'trend', 'pass', 'n']
    const body = rows.map((row) => [
      oneLine(`${row.group.metric}${row.group.variant ? ` [${row.group.variant}]` : ''}`),
      row.group.mean.toFixed(3),
      formatInterval(row.group),
      formatDelta(row.group.mean, row.previous),
      formatDelta(row.group.mean, row.baseline),
      referenceLabel(row, comparison),
      sparkline(row.recent),
      `${Math.round(row.group.passRate * 100)}%`,
      String(row.group.cases),
    ])
    const rendered = table([header, ...body], ['left', 'right', 'right', 'right', 'right', 'left', 'left', 'right', 'right'])
    lines.push(`   ${paint('dim', rendered[0] ?? '')}`)
    rows.forEach((row, index) => {
      const text = rendered[index + 1] ?? ''
      lines.push(row.regressed ? ` ${paint('red', `✗ ${text}`)}` : `   ${text}`)
      if (row.regressed && row.dropped.length) {
        const cases = row.dropped.map((drop) => `${oneLine(drop.caseId ?? drop.test)} ${drop.from.toFixed(2)} → ${drop.to.toFixed(2)}`)
        lines.push(`     ${paint('red', `dropped most: ${cases.join(', ')}`)}`)
      }
      if (row.note) lines.push(`     ${paint('yellow', oneLine(row.note))}`)
      if (row.erroredNote) lines.push(`     ${paint('yellow', oneLine(row.erroredNote))}`)
    })
  }
  return lines
}

/** A run as `2025-06-02 10:14 3f2a9c1` (time to the minute, short commit). */
export function describeRun(run: { time: string; git?: { commit?: string; branch?: string } }): string {
  const commit = run.git?.commit ? ` ${run.git.commit.slice(0, 7)}` : ''
  return `${run.time.slice(0, 16).replace('T', ' ')}${commit}`
}
