// The HTML report's data: what the server side (Node, `buildReportData`) embeds in the page as JSON and the
// page script (`REPORT_SCRIPT`) builds the case matrix from, lazily. Types only: both sides import these.
//
// Page contract (tests and `bench/report-page.bench.ts` rely on it):
// - `<script type="application/octet-stream" id="report-data" data-encoding="gzip+base64">` holds one `ReportData`
//   (its JSON gzipped, in base64; the page decodes it with DecompressionStream);
// - `document.documentElement.dataset.ready === 'true'` once the first rows are drawn and every control works;
// - `#search` (free text), `button[data-filter=…]` (one of `ReportFilter`), `select#suite`, `select#metric`,
//   `#shown` ("12 of 5,000 cases"), rows `#cases tr.case[data-key]`, an opened row's `tr.case-detail`,
//   a word diff `.diff` with `ins` / `del`; the first screen's `#verdict` and `#changes` (`[data-case]` links);
// - a link to a case far down (hash or `[data-case]`) draws from that case on, and `#earlier` draws from the top again;
// - rows are grouped by suite, each group under a header row with its own columns (suites score different metrics);
// - state in the URL hash: `#filter=failing&suite=…&metric=…&q=…&case=<key>` (URLSearchParams syntax).

/** Filters of the case table (besides suite, metric and search). */
export type ReportFilter = 'all' | 'failing' | 'regressed' | 'improved' | 'flaky' | 'disagree' | 'awaiting'

/** One column of the case matrix: a metric, per variant when the suite compares variants (`describeEval.each`). */
export interface ReportColumn {
  metric: string
  variant?: string
}

/** A row's score for one column (one `CaseScore`). */
export interface ReportCell {
  /** Mean over trials, 0..1; null while the case awaits its human label. */
  score: number | null
  pass: boolean
  /** Score in the run this suite metric is compared with (the baseline, else its previous run). */
  before?: number
  trials: number
  /** Passing trials, when there was more than one. */
  passes?: number
  flaky?: boolean
  threshold?: number
  /** The judge's or scorer's reasoning. */
  reason?: string
  /** `provider/model` of the judge that scored it. */
  judge?: string
  humanLabel?: string
  /** The grader's label of a `toMatchHumanLabel` record. */
  automatedLabel?: string
  /** The human label and the grader disagree. */
  disagree?: boolean
  /** A case run several times (`repeats`): its kept trials (the last 10), each with its own verdict and label. */
  trialResults?: ReportTrial[]
}

/** One trial of a cell (`repeats`): its score, verdict, reasons and the human label given on it. */
export interface ReportTrial {
  /** 1-based. */
  trial: number
  score: number
  pass: boolean
  reason?: string
  /** The grader's label of this trial (`toMatchHumanLabel`). */
  automatedLabel?: string
  /** The human label of this trial: the one given on it in the labels file, else the one its matcher compared with. */
  humanLabel?: string
  /** That label and this trial's verdict disagree. */
  disagree?: boolean
}

/** One kept trial's output of a test, shown with that trial's cells. */
export interface ReportTrialOutput {
  trial: number
  output?: string
  /** The output was left out of the page: the report's trial outputs reached `MAX_REPORT_TRIAL_OUTPUT_CHARS`. */
  omitted?: true
}

/** A test's output in this run, and in the compared run when it differs. */
export interface ReportOutput {
  variant?: string
  /** The test's name (`describe > test`). */
  test: string
  output?: string
  /** The output in the compared run (same run as `ReportCell.before`, else the suite's previous run), only when it differs. */
  previous?: string
  /** Which run `previous` comes from ("baseline 2026-12-01 09:00 abc1234" / "previous run …"). */
  previousFrom?: string
  /** Id of the `<template>` holding this test's trace / conversation HTML (rendered server side, escaped). */
  trajectory?: string
  /** A test run several times: its kept trials, in order; `trajectory` is the last one's (each trial replaces it). */
  trials?: ReportTrialOutput[]
}

/** Bit flags of a row, for filters (set when any of its cells has the property). */
export const ROW_FLAGS = { failing: 1, regressed: 2, improved: 4, flaky: 8, disagree: 16, awaiting: 32 } as const

/** One row of the case matrix: a case of a suite (by case id, else by test name), every metric and variant. */
export interface ReportRow {
  /** Stable across reports of the same suite and case: for the URL hash (`case=`). */
  key: string
  /** Index into `ReportData.suites`. */
  suite: number
  /** The case id, else the test name. */
  id: string
  /** One per column of the row's suite (`ReportData.suites[suite].columns`); null where the case has no such score. */
  cells: (ReportCell | null)[]
  /** Sum of `ROW_FLAGS`. */
  flags: number
  /** Largest score change vs the compared run over the row's cells (negative: regressed), for sorting. */
  change?: number
  input?: string
  expected?: string
  outputs: ReportOutput[]
}

/** A suite of the report: its name and its matrix columns. */
export interface ReportSuite {
  name: string
  columns: ReportColumn[]
}

/** Everything the page script needs, embedded once. */
export interface ReportData {
  v: 1
  suites: ReportSuite[]
  rows: ReportRow[]
  /** Per-case detail was dropped by the history retention. */
  detailDropped?: boolean
}
