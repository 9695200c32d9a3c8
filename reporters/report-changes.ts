// "What changed": the cases whose scores dropped and rose most against the run each suite metric is
// compared with, each with a link that opens the case and its output diff. Pure: data in, escaped HTML out.
import { escapeHtml } from './escape-html.js'
import type { HtmlReportInput } from './render-html.js'
import { formatDelta } from './render-terminal.js'
import { ROW_FLAGS, type ReportData, type ReportRow } from './report-data.js'

/**
 * Most cases listed per direction.
 *
 * @example
 * dropped.slice(0, CHANGES_LISTED)
 */
export const CHANGES_LISTED = 8

/** One cell's change: which row, which column, and the scores before and after. */
interface CellChange {
  row: ReportRow
  column: number
  before: number
  after: number
}

/**
 * The suite's last `describe` (else its file name): enough to tell suites apart in a short list.
 *
 * @example
 * shortSuiteName('evals/qa.eval.ts > qa') // 'qa'
 */
export function shortSuiteName(suite: string): string {
  const parts = suite.split(' > ')
  return parts.length > 1 ? (parts.at(-1) as string) : (suite.split('/').at(-1) as string)
}

const MOVED = ROW_FLAGS.regressed | ROW_FLAGS.improved

/** Per row, its worst drop and its best gain (a row whose metrics moved both ways is in both lists). */
function cellChanges(rows: readonly ReportRow[]): { dropped: CellChange[]; rose: CellChange[] } {
  const dropped: CellChange[] = []
  const rose: CellChange[] = []
  for (const row of rows) {
    // A row none of whose cells moved has neither flag (cellFlags sets them on the same test): most rows.
    if (!(row.flags & MOVED)) continue
    let worst: CellChange | undefined
    let best: CellChange | undefined
    row.cells.forEach((cell, column) => {
      if (!cell || cell.score === null || cell.before === undefined) return
      // A change is made only for a cell that moved: most compared cells did not (thousands at the end of a run).
      if (cell.score < cell.before - 1e-9 && (!worst || cell.score - cell.before < worst.after - worst.before)) worst = { row, column, before: cell.before, after: cell.score }
      if (cell.score > cell.before + 1e-9 && (!best || cell.score - cell.before > best.after - best.before)) best = { row, column, before: cell.before, after: cell.score }
    })
    if (worst) dropped.push(worst)
    if (best) rose.push(best)
  }
  dropped.sort((a, b) => a.after - a.before - (b.after - b.before))
  rose.sort((a, b) => b.after - b.before - (a.after - a.before))
  return { dropped, rose }
}

/** Longest case id shown in the list, and in its tooltip (ids are data: one can be 100 KB). */
const SHOWN_ID_CHARS = 120
const TITLE_ID_CHARS = 2_000
const cut = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars)}…` : text)
const idTitle = (id: string) => (id.length > SHOWN_ID_CHARS ? ` title="${escapeHtml(cut(id, TITLE_ID_CHARS))}"` : '')

function changeItem(change: CellChange, data: ReportData): string {
  const suite = data.suites[change.row.suite]
  const column = suite?.columns[change.column]
  const metric = `${column?.metric ?? ''}${column?.variant === undefined ? '' : ` [${column.variant}]`}`
  const diff = change.row.outputs.some((output) => output.previous !== undefined)
  const key = escapeHtml(change.row.key)
  const direction = change.after < change.before ? 'down' : 'up'
  return `<li class="change"><span class="change-suite" title="${escapeHtml(suite?.name ?? '')}">${escapeHtml(shortSuiteName(suite?.name ?? ''))}</span> <a class="change-case" href="#case=${key}${diff ? '&amp;diff=1' : ''}" data-case="${key}"${idTitle(change.row.id)}>${escapeHtml(cut(change.row.id, SHOWN_ID_CHARS))}</a> <span class="change-metric">${escapeHtml(metric)}</span> <span class="change-scores">${change.before.toFixed(2)} → ${change.after.toFixed(2)}</span> <span class="delta ${direction}">${formatDelta(change.after, change.before)}</span> <a class="change-open" href="#case=${key}${diff ? '&amp;diff=1' : ''}" data-case="${key}">${diff ? 'diff' : 'open'}</a></li>`
}

function changeList(title: string, className: string, changes: readonly CellChange[], data: ReportData): string {
  if (changes.length === 0) return ''
  const shown = changes.slice(0, CHANGES_LISTED)
  const more = changes.length > shown.length ? ` <span class="count">(${shown.length} of ${changes.length} cases)</span>` : ` <span class="count">(${changes.length} case${changes.length === 1 ? '' : 's'})</span>`
  return `<div class="change-list ${className}"><h3>${title}${more}</h3><ol>${shown.map((change) => changeItem(change, data)).join('')}</ol></div>`
}

/**
 * The `#changes` section: up to {@link CHANGES_LISTED} cases that dropped most and that rose most (each:
 * short suite name, case id, metric, before → after, and a `[data-case]` link to the case, with `diff=1` when
 * its output changed too), or one line saying why there is nothing to list.
 *
 * @example
 * const html = renderChanges(input, buildReportData(input))
 */
export function renderChanges(input: HtmlReportInput, data: ReportData): string {
  const run = input.runs.at(-1)
  const open = '<section id="changes"><h2>What changed</h2>'
  const line = (text: string) => `${open}<p class="changes-none">${text}</p></section>`
  if (data.detailDropped || !run?.cases) return line('Per-case detail of this run was dropped by the history retention, so changes per case are not known.')
  const references = input.comparison.rows.flatMap((row) => (row.reference ? [row.reference.run] : []))
  if (references.length === 0) return line('Nothing to compare with yet: no earlier run scored these suites.')
  if (references.every((reference) => !reference.cases)) return line('The runs compared with kept no per-case scores (history retention), so changes per case are not known.')
  const { dropped, rose } = cellChanges(data.rows)
  if (dropped.length === 0 && rose.length === 0) return line('No case changed its score against the run it is compared with.')
  return `${open}<div class="changes">${changeList('Regressed most', 'regressed', dropped, data)}${changeList('Improved most', 'improved', rose, data)}</div></section>`
}
