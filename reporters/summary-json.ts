// summary.json's text, made a few cases at a time: the same bytes as `JSON.stringify(summary, null, 2)` and a
// newline, but never one string of the whole (2 MB for a 5,000-case run; see src/text-pieces-file.ts). Pure.
import type { HistoryRun } from '../src/history/run-record.js'

/** What summary.json holds: the run (its `cases` last, as in the history), then the other fields. */
export interface SummaryJson {
  run: HistoryRun
  [field: string]: unknown
}

// Stands for the cases in the text of the rest: a string no JSON text holds on a line of its own at this depth (a
// newline inside a string is escaped), so it is found exactly once, where `run.cases` goes.
const CASES_MARK = '\n    "cases": "\\u0000"'
/** Cases per piece: ~40 KB of text. */
const CASES_PER_PIECE = 100

/**
 * The pieces of `JSON.stringify(summary, null, 2) + '\n'`: `summary.run.cases` {@link CASES_PER_PIECE} at a time.
 *
 * @example
 * [...summaryJsonPieces(summary)].join('') === `${JSON.stringify(summary, null, 2)}\n` // true
 */
export function* summaryJsonPieces(summary: SummaryJson): Generator<string> {
  const cases = summary.run.cases
  if (!cases || cases.length === 0) {
    yield `${JSON.stringify(summary, null, 2)}\n`
    return
  }
  const text = JSON.stringify({ ...summary, run: { ...summary.run, cases: '\u0000' } }, null, 2)
  const at = text.indexOf(CASES_MARK)
  yield `${text.slice(0, at)}\n    "cases": [\n`
  for (let start = 0; start < cases.length; start += CASES_PER_PIECE) {
    // `[\n  {…},\n  {…}\n]` one level in: the brackets dropped, each line two levels further in (a newline inside a
    // JSON string is escaped, so every line break is one of the layout's).
    const slice = JSON.stringify(cases.slice(start, start + CASES_PER_PIECE), null, 2)
    const last = start + CASES_PER_PIECE >= cases.length
    yield `    ${slice.slice(2, -2).replaceAll('\n', '\n    ')}${last ? '' : ','}\n`
  }
  yield `    ]${text.slice(at + CASES_MARK.length)}\n`
}
