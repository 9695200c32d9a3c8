import { closeSync, existsSync, fstatSync, mkdirSync } from 'node:fs'
import { appendWhole } from '../append-whole.js'
import { dirname } from 'node:path'
import { removeStaleTemporaryFiles, rewriteFileAtomic, withFileLock } from '../atomic-files.js'
import { fileWriteError } from '../file-write-error.js'
import { guardWrite } from '../cassettes/redact.js'
import { CASE_DETAIL_FIELDS, encodeCaseTable } from './case-table.js'
import { aggregatesOf, casePartOf, casesOfLine, forEachLine, hasCaseDetail, isBlank, readBytes } from './history-lines.js'
import { assertHistoryFile, openHistoryFile, parseRunLine, scanHistory, takeScanForAppend, takeScanForRead, type ParsedRunLine } from './history-scan.js'
import { HISTORY_FORMAT_VERSION, historyRunSchema, type CaseScore, type HistoryRun } from './run-record.js'

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

/** A run found in the file: its aggregates, and where its line is for reading its cases later. */
interface IndexedRun {
  run: HistoryRun
  line: number
  offset: number
  length: number
  hasCases: boolean
  /** Its per-case scores when the preload read them (history-scan.ts). */
  cases?: CaseScore[]
}

/**
 * Reads the runs of a history file, oldest first. A missing file is an empty history; a broken or
 * unknown line is skipped and reported through `onWarning`, never thrown. The file is read in chunks
 * and only the aggregates of each line are parsed; `keepCases` (called newest first, for runs that
 * have per-case scores) picks the runs whose per-case scores are read too. By default all are.
 *
 * @example
 * const runs = readHistory('.evals/history.jsonl', (w) => console.warn(`${w.file}:${w.line} ${w.message}`))
 */
export function readHistory(file: string, onWarning: (warning: HistoryWarning) => void = () => {}, keepCases: KeepCases = () => true): HistoryRun[] {
  if (!existsSync(file)) return []
  assertHistoryFile(file)
  const warnings: HistoryWarning[] = []
  const indexed: IndexedRun[] = []
  // One descriptor for the whole read. Runs are appended in place (appendRun): what is past the last newline the
  // file had when opened is a line another run is still writing (or one a killed run left, ended by the next
  // append) and is not read yet; a rewrite replaces the file, never changes this one.
  const fd = openHistoryFile(file, 'r')
  try {
    // The lines as read while the tests ran (preloadHistory), when the file is still the one read then.
    const scan = takeScanForRead(file, fd)
    const size = scan?.size ?? fstatSync(fd).size
    const visit = (offset: number, length: number, line: number, parsed: ParsedRunLine, cases?: CaseScore[]) => {
      if (typeof parsed === 'string') warnings.push({ file, line, message: parsed })
      else indexed.push({ ...parsed, line, offset, length, ...(cases ? { cases } : {}) })
    }
    if (scan) {
      for (const each of scan.lines) if (each.offset + each.length < size && !each.blank) visit(each.offset, each.length, each.number, each.run ?? parseRunLine(readBytes(fd, each.offset, each.length)), each.run ? each.cases : undefined)
    } else {
      forEachLine(fd, (bytes, offset, line) => {
        if (offset + bytes.length >= size || isBlank(bytes)) return
        visit(offset, bytes.length, line, parseRunLine(bytes))
      })
    }
    for (let index = indexed.length - 1; index >= 0; index--) {
      const entry = indexed[index] as IndexedRun
      if (!entry.hasCases || !keepCases(entry.run, indexed.length - 1 - index)) continue
      const cases = entry.cases ?? readCases(fd, entry)
      if (cases) entry.run.cases = cases
      else warnings.push({ file, line: entry.line, message: 'has malformed per-case scores; its aggregates are used, its cases skipped' })
    }
  } finally {
    closeSync(fd)
  }
  for (const warning of warnings.sort((a, b) => a.line - b.line)) onWarning(warning)
  return indexed.map((entry) => entry.run)
}

function readCases(fd: number, entry: IndexedRun) {
  try {
    return casesOfLine(JSON.parse(readBytes(fd, entry.offset, entry.length).toString('utf8')) as { cases?: unknown; caseTable?: unknown })
  } catch {
    return undefined
  }
}

/** Drops per-case detail that the retention no longer keeps; returns a new run only when something changed. */
export function applyRetention(run: HistoryRun, newerRuns: number, retention: HistoryRetention): HistoryRun | undefined {
  if (!run.cases) return undefined
  if (newerRuns >= retention.caseScores) {
    const { cases: _dropped, ...rest } = run
    return rest
  }
  if (newerRuns < retention.caseDetails) return undefined
  const hasDetail = (score: CaseScore) => CASE_DETAIL_FIELDS.some((field) => (score as unknown as Record<string, unknown>)[field] !== undefined)
  if (!run.cases.some(hasDetail)) return undefined
  return { ...run, cases: run.cases.map((score) => (hasDetail(score) ? withoutDetail(score) : score)) }
}

function withoutDetail(score: CaseScore): CaseScore {
  const kept = { ...score } as Record<string, unknown>
  for (const field of CASE_DETAIL_FIELDS) delete kept[field]
  return kept as unknown as CaseScore
}

/**
 * One history line: the run's fields in their order, then its per-case scores as a case table, always
 * last, so readers can parse the aggregates without the (much larger) per-case part.
 *
 * @example
 * formatRunLine(run) // '{"v":1,"id":"…",…,"suites":[…],"caseTable":{"count":1000,"fields":{…}}}'
 */
export function formatRunLine(run: HistoryRun): string {
  const { cases, caseTable: _table, ...rest } = run as HistoryRun & { caseTable?: unknown }
  const head = JSON.stringify(rest)
  return cases ? `${head.slice(0, -1)},"caseTable":${JSON.stringify(encodeCaseTable(cases))}}` : head
}

/** How long an append waits for another run that is writing the history (a large file on a slow disk takes a while). */
export const HISTORY_WAIT_MS = 5 * 60_000

/**
 * Appends one run to the history file. Most appends add the line in place (one write, flushed to disk): a line cut
 * short by a killed writer is skipped by readers, kept, and ended by the next append, so no other line is ever
 * touched. When retention has enough to trim (see {@link retentionSlack}) or lines are in the format of older
 * versions, the file is rewritten instead, atomically: the new file is written beside it and renamed over it, so
 * an interrupted run leaves the old file intact. The old file is copied line by line; lines that cannot be read
 * are kept verbatim, and retention trims per-case detail of old runs (only those lines are parsed). A lock file
 * serialises concurrent writers (a live one is waited for up to `waitMs`, never taken over), and the rename
 * happens only if the file is still the one copied: when another program changed it meanwhile, the copy is made
 * again, so no run's line is ever lost.
 *
 * @example
 * appendRun('.evals/history.jsonl', run)
 */
export function appendRun(file: string, run: HistoryRun, retention: HistoryRetention = DEFAULT_RETENTION, options: { waitMs?: number; rewrite?: 'when-due' | 'always' } = {}): void {
  const line = `${formatRunLine(applyRetention(run, 0, retention) ?? run)}\n`
  // The lines already there were guarded when they were written; a refused line leaves the file as it was.
  guardWrite(file, line)
  const added = Buffer.from(line)
  withFileLock(
    file,
    () => {
      try {
        // A writer killed during a rewrite leaves its temporary copy (as large as the history): cleared here.
        removeStaleTemporaryFiles(file)
        const state = options.rewrite === 'always' ? undefined : appendState(file, retention)
        if (state && !state.rewrite) return appendInPlace(file, added, state.endsWithNewline)
        rewriteFileAtomic(file, (source, write) => {
          if (source !== undefined) copyWithRetention(source, retention, write)
          write(added)
        })
      } catch (error) {
        // An append (or the read before it) the disk or the permissions refuse is said like every refused write.
        throw fileWriteError(error, file)
      }
    },
    options.waitMs ?? HISTORY_WAIT_MS,
  )
}

/**
 * How many runs past a retention window may keep what it drops before the file is rewritten to drop it: the
 * rewrite copies the whole history, so it is batched (a tenth of the appends at the default retention), while a
 * small window (as in tests) is kept exactly.
 *
 * @example
 * retentionSlack(20) // 10
 */
export function retentionSlack(window: number): number {
  return Math.min(10, Math.floor(window / 2))
}

/** Whether the file needs a rewrite for this append (retention due, lines to upgrade), and whether it ends with a newline. */
function appendState(file: string, retention: HistoryRetention): { rewrite: boolean; endsWithNewline: boolean } | undefined {
  assertHistoryFile(file)
  let fd: number
  try {
    fd = openHistoryFile(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { rewrite: false, endsWithNewline: true }
    throw error
  }
  try {
    const scan = takeScanForAppend(file, fd) ?? scanHistory(fd, { runs: false })
    let scores = 0
    let details = 0
    let legacy = 0
    const parts = scan.lines.filter((line) => !line.blank)
    parts.forEach(({ part }, index) => {
      // Lines a rewrite would keep as they are (from a newer version, unreadable) are not due for one.
      if (!part?.current) return
      const newer = parts.length - index
      if (newer >= retention.caseScores) scores++
      else if (newer >= retention.caseDetails && part.detail) details++
      else if (part.format === 'legacy') legacy++
    })
    return { rewrite: scores > retentionSlack(retention.caseScores) || details > retentionSlack(retention.caseDetails) || legacy > 0, endsWithNewline: scan.endsWithNewline }
  } finally {
    closeSync(fd)
  }
}

/** Adds `added` at the end of the file (after a newline when a killed writer left its line unended), flushed to disk; a refused write is taken back. */
function appendInPlace(file: string, added: Buffer, endsWithNewline: boolean): void {
  mkdirSync(dirname(file), { recursive: true })
  const fd = openHistoryFile(file, 'a')
  try {
    appendWhole(fd, endsWithNewline ? added : Buffer.concat([NEWLINE, added]), file)
  } finally {
    closeSync(fd)
  }
}

const NEWLINE = Buffer.from('\n')
/** Bytes of lines in the format of older versions rewritten as case tables per append, so one run never pays for a whole old file. */
const UPGRADE_BYTES_PER_APPEND = 32 * 1024 * 1024

function copyWithRetention(fd: number, retention: HistoryRetention, write: (bytes: Uint8Array) => void): void {
  const lines: { offset: number; length: number }[] = []
  forEachLine(fd, (bytes, offset) => {
    if (!isBlank(bytes)) lines.push({ offset, length: bytes.length })
  })
  let buffer = Buffer.allocUnsafe(1 << 20)
  const upgrade = { bytes: UPGRADE_BYTES_PER_APPEND }
  lines.forEach(({ offset, length }, index) => {
    if (buffer.length < length) buffer = Buffer.allocUnsafe(length)
    const bytes = readBytes(fd, offset, length, buffer)
    write(trimLine(bytes, lines.length - index, retention, upgrade) ?? bytes)
    write(NEWLINE)
  })
}

function isRunLine(bytes: Buffer): boolean {
  try {
    const checked = historyRunSchema.safeParse(JSON.parse(bytes.toString('utf8')))
    return checked.success && checked.data.v <= HISTORY_FORMAT_VERSION
  } catch {
    return false
  }
}

/**
 * Applies retention to one stored line; undefined keeps it verbatim. Only lines with per-case data the
 * retention drops, or in the format of older versions (rewritten as a case table, up to `upgrade.bytes`),
 * are parsed; anything that does not parse is kept verbatim.
 */
function trimLine(bytes: Buffer, newer: number, retention: HistoryRetention, upgrade: { bytes: number }): Buffer | undefined {
  const part = casePartOf(bytes)
  if (!part) return undefined
  if (newer >= retention.caseScores) {
    const aggregates = aggregatesOf(bytes)
    if (aggregates) return isRunLine(aggregates) ? aggregates : undefined
  } else if (newer < retention.caseDetails || !hasCaseDetail(bytes, part)) {
    if (part.format === 'table' || upgrade.bytes < bytes.length) return undefined
    upgrade.bytes -= bytes.length
  }
  try {
    const value = JSON.parse(bytes.toString('utf8')) as HistoryRun & { caseTable?: unknown }
    const checked = historyRunSchema.safeParse(value)
    const cases = casesOfLine(value)
    if (!checked.success || checked.data.v > HISTORY_FORMAT_VERSION || !cases) return undefined
    const { caseTable: _table, ...run } = value
    const upgraded = { ...run, cases }
    return Buffer.from(formatRunLine(applyRetention(upgraded, newer, retention) ?? upgraded))
  } catch {
    return undefined
  }
}
