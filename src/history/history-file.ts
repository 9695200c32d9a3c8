import { existsSync, readFileSync } from 'node:fs'
import { withFileLock, writeFileAtomic } from '../atomic-files.js'
import { caseListSchema, HISTORY_FORMAT_VERSION, historyRunSchema, type HistoryRun } from './run-record.js'

/** How much per-case detail old runs keep; aggregates are always kept. */
export interface HistoryRetention {
  /** Newest runs that keep per-case scores (default 200). */
  caseScores: number
  /** Newest runs that keep per-case output, input and reasoning (default 20). */
  caseDetails: number
}

export const DEFAULT_RETENTION: HistoryRetention = { caseScores: 200, caseDetails: 20 }

/** A line of the history file that could not be used, with where it is. */
export interface HistoryWarning {
  file: string
  line: number
  message: string
}

/** Which runs keep their per-case scores in memory when read (the rest keep aggregates only). */
export type KeepCases = (run: HistoryRun, newer: number) => boolean

function parseHistory(text: string, file: string, onWarning: (warning: HistoryWarning) => void, keepCases: KeepCases = () => true): HistoryRun[] {
  const rows = text.split('\n')
  const runs: HistoryRun[] = []
  const warnings: HistoryWarning[] = []
  let newer = 0
  // Newest first, so `keepCases` can pick "the newest run that …" and old case lists are dropped at once.
  for (let index = rows.length - 1; index >= 0; index--) {
    const row = rows[index] as string
    if (row.trim() === '') continue
    const warn = (message: string) => warnings.push({ file, line: index + 1, message })
    let value: unknown
    try {
      value = JSON.parse(row)
    } catch {
      warn('not valid JSON (an interrupted write by an older tool?); the line is skipped and kept as is')
      continue
    }
    const checked = historyRunSchema.safeParse(value)
    if (!checked.success) {
      const issue = checked.error.issues[0]
      warn(`not a history run (${issue ? `${issue.path.join('.') || 'line'}: ${issue.message}` : 'bad shape'}); skipped and kept as is`)
      continue
    }
    if (checked.data.v > HISTORY_FORMAT_VERSION) {
      warn(`written by a newer vitest-llm-evals (format v${checked.data.v}); skipped and kept as is — upgrade to read it`)
      continue
    }
    const run = checked.data as unknown as HistoryRun
    if (run.cases && !keepCases(run, newer)) delete run.cases
    else if (run.cases && !caseListSchema.safeParse(run.cases).success) {
      warn('has malformed per-case scores; its aggregates are used, its cases skipped')
      delete run.cases
    }
    newer++
    runs.push(run)
  }
  for (const warning of warnings.reverse()) onWarning(warning)
  return runs.reverse()
}

/**
 * Reads the runs of a history file, oldest first. A missing file is an empty history; a broken or
 * unknown line is skipped and reported through `onWarning`, never thrown. `keepCases` (called newest
 * first) limits which runs keep per-case scores in memory; by default all do.
 *
 * @example
 * const runs = readHistory('.evals/history.jsonl', (w) => console.warn(`${w.file}:${w.line} ${w.message}`))
 */
export function readHistory(file: string, onWarning: (warning: HistoryWarning) => void = () => {}, keepCases?: KeepCases): HistoryRun[] {
  if (!existsSync(file)) return []
  return parseHistory(readFileSync(file, 'utf8'), file, onWarning, keepCases)
}

/** Drops per-case detail that the retention no longer keeps; returns a new run only when something changed. */
export function applyRetention(run: HistoryRun, newerRuns: number, retention: HistoryRetention): HistoryRun | undefined {
  if (!run.cases) return undefined
  if (newerRuns >= retention.caseScores) {
    const { cases: _dropped, ...rest } = run
    return rest
  }
  if (newerRuns < retention.caseDetails) return undefined
  if (!run.cases.some((score) => score.output !== undefined || score.reason !== undefined || score.input !== undefined)) return undefined
  return { ...run, cases: run.cases.map(({ output: _o, reason: _r, input: _i, ...score }) => score) }
}

/**
 * Appends one run to the history file atomically: the new file is written beside it and renamed
 * over it, so an interrupted run leaves the old file intact. Lines that cannot be read are kept
 * verbatim; retention trims per-case detail of old runs. A lock file serialises concurrent writers.
 *
 * @example
 * appendRun('.evals/history.jsonl', run)
 */
export function appendRun(file: string, run: HistoryRun, retention: HistoryRetention = DEFAULT_RETENTION): void {
  withFileLock(file, () => {
    const rows = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((row) => row.trim() !== '') : []
    const lines = rows.map((row, index) => trimLine(row, rows.length - index, retention))
    lines.push(JSON.stringify(applyRetention(run, 0, retention) ?? run))
    writeFileAtomic(file, `${lines.join('\n')}\n`)
  })
}

/**
 * Applies retention to one stored line. Only lines that still hold detail the retention drops are
 * parsed (a cheap text check first: keys cannot appear unescaped inside JSON strings); anything that
 * does not parse is kept verbatim.
 */
function trimLine(row: string, newer: number, retention: HistoryRetention): string {
  const hasCases = newer >= retention.caseScores && row.includes('"cases":')
  const hasDetail = newer >= retention.caseDetails && (row.includes('"output":') || row.includes('"reason":') || row.includes('"input":'))
  if (!hasCases && !hasDetail) return row
  try {
    const checked = historyRunSchema.safeParse(JSON.parse(row))
    if (!checked.success || checked.data.v > HISTORY_FORMAT_VERSION) return row
    const trimmed = applyRetention(checked.data as unknown as HistoryRun, newer, retention)
    return trimmed ? JSON.stringify(trimmed) : row
  } catch {
    return row
  }
}

