import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { writeFileAtomic } from '../cassettes/cassette-file.js'
import { HISTORY_FORMAT_VERSION, historyRunSchema, type HistoryRun } from './run-record.js'

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

/** Runs of a history file plus its raw lines (kept verbatim so a rewrite never loses a line). */
interface ParsedHistory {
  runs: HistoryRun[]
  lines: { text: string; run?: HistoryRun }[]
}

function parseHistory(text: string, file: string, onWarning: (warning: HistoryWarning) => void): ParsedHistory {
  const parsed: ParsedHistory = { runs: [], lines: [] }
  const rows = text.split('\n')
  rows.forEach((row, index) => {
    if (row.trim() === '') return
    const warn = (message: string) => onWarning({ file, line: index + 1, message })
    let value: unknown
    try {
      value = JSON.parse(row)
    } catch {
      warn('not valid JSON (an interrupted write by an older tool?); the line is skipped and kept as is')
      parsed.lines.push({ text: row })
      return
    }
    const checked = historyRunSchema.safeParse(value)
    if (!checked.success) {
      const issue = checked.error.issues[0]
      warn(`not a history run (${issue ? `${issue.path.join('.') || 'line'}: ${issue.message}` : 'bad shape'}); skipped and kept as is`)
      parsed.lines.push({ text: row })
      return
    }
    if (checked.data.v > HISTORY_FORMAT_VERSION) {
      warn(`written by a newer vitest-llm-evals (format v${checked.data.v}); skipped and kept as is — upgrade to read it`)
      parsed.lines.push({ text: row })
      return
    }
    const run = checked.data as unknown as HistoryRun
    parsed.runs.push(run)
    parsed.lines.push({ text: row, run })
  })
  return parsed
}

/**
 * Reads the runs of a history file, oldest first. A missing file is an empty history; a broken or
 * unknown line is skipped and reported through `onWarning`, never thrown.
 *
 * @example
 * const runs = readHistory('.evals/history.jsonl', (w) => console.warn(`${w.file}:${w.line} ${w.message}`))
 */
export function readHistory(file: string, onWarning: (warning: HistoryWarning) => void = () => {}): HistoryRun[] {
  if (!existsSync(file)) return []
  return parseHistory(readFileSync(file, 'utf8'), file, onWarning).runs
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
export function appendRun(file: string, run: HistoryRun, retention: HistoryRetention = DEFAULT_RETENTION, onWarning: (warning: HistoryWarning) => void = () => {}): void {
  withLock(`${file}.lock`, () => {
    const existing = existsSync(file) ? parseHistory(readFileSync(file, 'utf8'), file, onWarning) : { runs: [], lines: [] }
    const total = existing.runs.length + 1
    let seen = 0
    const lines = existing.lines.map(({ text, run: old }) => {
      if (!old) return text
      seen++
      const trimmed = applyRetention(old, total - seen, retention)
      return trimmed ? JSON.stringify(trimmed) : text
    })
    const kept = applyRetention(run, 0, retention) ?? run
    lines.push(JSON.stringify(kept))
    writeFileAtomic(file, `${lines.join('\n')}\n`)
  })
}

const LOCK_WAIT_MS = 10_000
const STALE_LOCK_MS = 60_000

function withLock(lock: string, action: () => void): void {
  mkdirSync(dirname(lock), { recursive: true })
  const started = Date.now()
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'))
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (isStale(lock) || Date.now() - started > LOCK_WAIT_MS) rmSync(lock, { force: true })
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50)
    }
  }
  try {
    action()
  } finally {
    rmSync(lock, { force: true })
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS
  } catch {
    return false
  }
}
