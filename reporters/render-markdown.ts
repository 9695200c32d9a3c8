import { erroredNotes, gateNotes, type RunComparison } from './compare.js'
import { flakyCases } from './flaky-cases.js'
import { awaitingLabelCounts, erroredCases, formatCost, formatDelta, formatInterval, MAX_ERRORED_SHOWN, referenceLabel, sparkline, tokenCount } from './render-terminal.js'
import type { RunSummary } from './summarize.js'
import { groupThousands } from '../src/format-number.js'
import { visibleText } from '../src/visible-text.js'

/** Escapes text for a Markdown table cell (GitHub renders inline HTML, so `<` and `&` are escaped too). */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;')).replace(/([\\`*_[\]|#])/g, '\\$1').replace(/\r?\n/g, ' ')
}

/**
 * A Markdown summary of the run for `$GITHUB_STEP_SUMMARY` or a pull-request comment: gate result,
 * one table of suite metrics with 95% intervals, deltas and the reference each was compared with, drops
 * the gate did not fail and why, flaky cases, cases that could not be scored (the first few, with their error),
 * and cases awaiting a human label. `partial` (a merge that lacks shards, e.g. `merged 2 of 3 shards: shard 3/3 missing`) is said first.
 *
 * @example
 * appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(summary, comparison, []))
 */
export function renderMarkdown(summary: RunSummary, comparison: RunComparison, gateFailures: readonly string[], partial?: string): string {
  const lines = ['## LLM eval scores', '']
  // A merge that lacks shards (merged-shards.ts): said first, since every number below leaves their suites out.
  if (partial) lines.push(`> [!WARNING]`, `> **Partial run: ${escapeMarkdownCell(partial)}.** This summary and the history line (marked partial) hold only what the merged blob reports do.`, '')
  if (gateFailures.length) {
    lines.push('**Gate failed:**', '', ...gateFailures.map((failure) => `- ${escapeMarkdownCell(failure)}`), '')
  }
  lines.push('| suite | metric | score | 95% CI | Δ prev | Δ base | vs | trend | pass | n |', '|---|---|---:|---:|---:|---:|---|---|---:|---:|')
  for (const row of comparison.rows) {
    const { group } = row
    const metric = `${group.metric}${group.variant ? ` [${group.variant}]` : ''}`
    const mark = row.regressed ? ' 🔻' : ''
    lines.push(
      `| ${escapeMarkdownCell(group.suite)} | ${escapeMarkdownCell(metric)}${mark} | ${group.mean.toFixed(3)} | ${formatInterval(group)} | ${formatDelta(group.mean, row.previous)} | ${formatDelta(group.mean, row.baseline)} | ${referenceLabel(row, comparison)} | ${sparkline(row.recent)} | ${Math.round(group.passRate * 100)}% | ${group.cases} |`,
    )
  }
  const notes = gateNotes(comparison)
  if (notes.length) lines.push('', '**Drops not failed (too few cases, or within noise):**', '', ...notes.map((note) => `- ${escapeMarkdownCell(note)}`))
  const withoutErrored = erroredNotes(comparison)
  if (withoutErrored.length) lines.push('', '**Compared by mean without the cases that could not be scored:**', '', ...withoutErrored.map((note) => `- ${escapeMarkdownCell(note)}`))
  const flaky = flakyCases(summary.cases)
  if (flaky.length) lines.push('', `**Flaky cases (${flaky.length}):**`, '', ...flaky.map((score) => `- ${escapeMarkdownCell(`${score.test} (${score.metric})`)}`))
  const errored = erroredCases(summary)
  if (errored.length) {
    // A case's name comes from its dataset row and its error from the task: one line, no control characters, escaped.
    lines.push('', `**Cases that could not be scored (${errored.length}):**`, '', ...errored.slice(0, MAX_ERRORED_SHOWN).map((score) => `- ${escapeMarkdownCell(visibleText(`${score.test}: ${score.error ?? ''}`))}`))
    if (errored.length > MAX_ERRORED_SHOWN) lines.push(`- … and ${errored.length - MAX_ERRORED_SHOWN} more (all are in the report)`)
  }
  const awaiting = awaitingLabelCounts(summary)
  if (awaiting.length) lines.push('', '**Awaiting a human label** (label them with `npx llm-evals review`):', '', ...awaiting.map((each) => `- ${escapeMarkdownCell(each.name)}: ${each.cases} case${each.cases === 1 ? '' : 's'}`))
  lines.push('', `Tokens: ${groupThousands(tokenCount(summary.totals.tokens))} · cost ${formatCost(summary.totals.costUsd)}`, '')
  return lines.join('\n')
}
