// One pass over a history file's lines: each line's aggregates parsed (what readHistory lists) and what an append
// needs to know of it (retention due, lines to upgrade). The reporter reads the file this way while the tests run
// (preloadHistory), so the end of the run, which is on the critical path, only checks that the file is still the
// one read (same inode, size and times) and uses the result: one read of the file at most, none at the end
// (issue 17). Any change to the file in between (another run's append, a rewrite) and the file is read again.
import { closeSync, constants, fstatSync, openSync, statSync, type BigIntStats, type Stats } from 'node:fs'
import { ConfigError } from '../errors/index.js'
import { ownIdentity } from '../process-identity.js'
import { casePartOf, casesOfLine, forEachLine, hasCaseDetail, headOf, isBlank, readBytes } from './history-lines.js'
import { HISTORY_FORMAT_VERSION, historyRunSchema, type CaseScore, type HistoryRun } from './run-record.js'

/** A line's aggregates as a run (and whether it has per-case scores), or why the line is skipped. */
export type ParsedRunLine = { run: HistoryRun; hasCases: boolean } | string

/** What an append needs to know of a line: its per-case part's format, whether it keeps detail, whether a rewrite can trim it. */
export interface AppendPart {
  format: 'table' | 'legacy'
  detail: boolean
  current: boolean
}

/** One line of the file: where it is, and what was read of it. */
export interface ScannedLine {
  offset: number
  length: number
  number: number
  blank: boolean
  run?: ParsedRunLine
  /** The line's per-case scores, read ahead by `preloadHistory` (the newest run's, which the end of a run compares with). */
  cases?: CaseScore[]
  part?: AppendPart
}

/** The lines of the file as read, its size then, and whether it ended with a newline. */
export interface HistoryScan {
  size: number
  endsWithNewline: boolean
  lines: ScannedLine[]
}

/** Parses the aggregates of one line (not its per-case part); a string says why the line is skipped. */
export function parseRunLine(bytes: Buffer): ParsedRunLine {
  let value: unknown
  let hasCases: boolean
  const split = headOf(bytes)
  if (split) {
    value = split.head
    hasCases = true
  } else {
    try {
      value = JSON.parse(bytes.toString('utf8'))
    } catch {
      return 'not valid JSON (a write cut short: a killed run?); the line is skipped and kept as is'
    }
    const record = value as { cases?: unknown; caseTable?: unknown } | null
    hasCases = typeof record === 'object' && record !== null && (record.cases !== undefined || record.caseTable !== undefined)
  }
  const checked = historyRunSchema.safeParse(value)
  if (!checked.success) {
    const issue = checked.error.issues[0]
    return `not a history run (${issue ? `${issue.path.join('.') || 'line'}: ${issue.message}` : 'bad shape'}); skipped and kept as is`
  }
  if (checked.data.v > HISTORY_FORMAT_VERSION) return `written by a newer vitest-llm-evals (format v${checked.data.v}); skipped and kept as is — upgrade to read it`
  const { cases: _cases, caseTable: _table, ...run } = checked.data as unknown as HistoryRun & { caseTable?: unknown }
  return { run, hasCases }
}

/** True when the line's aggregates read as a run of this format version or older (what a rewrite can trim). */
function isCurrentRun(bytes: Buffer): boolean {
  const head = headOf(bytes)?.head as { v?: unknown } | undefined
  return typeof head?.v === 'number' && head.v <= HISTORY_FORMAT_VERSION
}

function appendPart(bytes: Buffer): AppendPart | undefined {
  const part = casePartOf(bytes)
  return part && { format: part.format, detail: hasCaseDetail(bytes, part), current: isCurrentRun(bytes) }
}

/**
 * Reads every line of the open file once: its aggregates parsed when `runs` is set, and what an append needs.
 *
 * @example
 * const scan = scanHistory(fd, { runs: true })
 */
export function scanHistory(fd: number, options: { runs: boolean }): HistoryScan {
  const lines: ScannedLine[] = []
  const size = fstatSync(fd).size
  forEachLine(fd, (bytes, offset, number) => {
    const blank = isBlank(bytes)
    const line: ScannedLine = { offset, length: bytes.length, number, blank }
    if (!blank) {
      line.part = appendPart(bytes)
      // The line past the file's last newline is still being written (readHistory skips it).
      if (options.runs && offset + bytes.length < size) line.run = parseRunLine(bytes)
    }
    lines.push(line)
  })
  return { size, endsWithNewline: size === 0 || readBytes(fd, size - 1, 1)[0] === 0x0a, lines }
}

/**
 * Throws a ConfigError when `file` exists and is not a regular file: a FIFO would block the open (and the run)
 * until something writes to it, a device such as /dev/zero would never end. A missing file is fine.
 *
 * @example
 * assertHistoryFile('.evals/history.jsonl')
 */
export function assertHistoryFile(file: string): void {
  let stats
  try {
    stats = statSync(file)
  } catch {
    return
  }
  if (!stats.isFile()) throw notRegularFile(file, stats)
}

function notRegularFile(file: string, stats: Stats): ConfigError {
  return new ConfigError(`The history file ${file} is not a regular file (${stats.isDirectory() ? 'a directory' : 'a FIFO, socket or device'}): it is not read or written. Point \`history.file\` in llmEvals() at a file, or remove what is there.`)
}

/**
 * Opens the history file without ever blocking (O_NONBLOCK: a FIFO put in its place after a check would block
 * a plain open until a writer comes), and checks what was opened: a ConfigError for anything but a regular file.
 *
 * @example
 * const fd = openHistoryFile('.evals/history.jsonl', 'r')
 */
export function openHistoryFile(file: string, mode: 'r' | 'a'): number {
  const flags = mode === 'r' ? constants.O_RDONLY : constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT
  const fd = openSync(file, flags | (constants.O_NONBLOCK ?? 0), 0o666)
  const stats = fstatSync(fd)
  if (stats.isFile()) return fd
  closeSync(fd)
  throw notRegularFile(file, stats)
}

// At most one preloaded scan per file; taken (and so dropped) by the append that follows the read.
const preloaded = new Map<string, { identity: string; scan: HistoryScan }>()

// File times tick coarsely (a kernel tick before Linux 6.13's fine-grained timestamps; 1 s on HFS+ and ext3,
// 2 s on FAT and some network file systems): a same-size rewrite in place within the tick of the last change
// would leave the whole identity as read. A file changed that recently when read is not vouched for by it.
// Times with nanoseconds (ext4, xfs, btrfs, tmpfs, APFS) tick at most once per kernel tick (10 ms at HZ=100):
// so a history appended by the run just before (back-to-back runs, watch mode) is still vouched for after 20 ms.
const COARSEST_TICK_NS = 2_000_000_000n
const KERNEL_TICK_NS = 20_000_000n

/** How long after its last change a file's times may still not show a change: by the resolution its times have. */
function tickOf(changedNs: bigint): bigint {
  return changedNs % 1_000_000n === 0n ? COARSEST_TICK_NS : KERNEL_TICK_NS
}

function identityOf(fd: number): { key: string; changedNs: bigint } {
  const stats: BigIntStats = fstatSync(fd, { bigint: true })
  return { key: `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`, changedNs: stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs }
}

function preloadedFor(file: string, fd: number): HistoryScan | undefined {
  const entry = preloaded.get(file)
  if (!entry) return undefined
  if (entry.identity === identityOf(fd).key) return entry.scan
  preloaded.delete(file)
  return undefined
}

/**
 * Reads the history file now (while tests run), for the end of the run's `readHistory` and `appendRun` to use
 * if the file has not changed by then. A file that cannot be read now is simply read later (errors reported
 * there); a missing file needs no preload, and one past `maxBytes` is left to the end.
 *
 * @example
 * preloadHistory('.evals/history.jsonl')
 */
export function preloadHistory(file: string, options: { maxBytes?: number } = {}): void {
  // The append's lock names this process (read once, from /proc): read now, not on the end of the run's path. A
  // warm-up only: what fails here fails again, and is reported, where the append takes its lock.
  try {
    ownIdentity()
  } catch {
    // Reported by the append.
  }
  let fd: number
  try {
    // Not a FIFO or a device: opening one could block, reading one might not end (the end of the run says what is wrong).
    if (!statSync(file).isFile()) return
    fd = openHistoryFile(file, 'r')
  } catch {
    return
  }
  try {
    const identity = identityOf(fd)
    if (options.maxBytes !== undefined && fstatSync(fd).size > options.maxBytes) return
    const scan = scanHistory(fd, { runs: true })
    readNewestCases(fd, scan)
    // A file changed while it was read, or so shortly before that a later change could keep its times, is read
    // again at the end.
    const after = identityOf(fd)
    const settled = BigInt(Date.now()) * 1_000_000n - after.changedNs >= tickOf(after.changedNs)
    if (after.key === identity.key && settled) preloaded.set(file, { identity: identity.key, scan })
  } catch {
    preloaded.delete(file)
  } finally {
    closeSync(fd)
  }
}

/**
 * Reads the per-case scores of the scan's newest complete run that has them: the run before the next one, which
 * `casesForComparison` always keeps. Parsing and decoding its case table is the largest read at the end of a run
 * (~15 ms at 5,000 cases); done here, it runs while the tests do. Malformed cases are left for `readHistory` to report.
 */
function readNewestCases(fd: number, scan: HistoryScan): void {
  for (let index = scan.lines.length - 1; index >= 0; index--) {
    const line = scan.lines[index] as ScannedLine
    if (line.blank || line.offset + line.length >= scan.size || !line.run) continue
    if (typeof line.run === 'string' || !line.run.hasCases) return
    try {
      const cases = casesOfLine(JSON.parse(readBytes(fd, line.offset, line.length).toString('utf8')) as { cases?: unknown; caseTable?: unknown })
      if (cases) line.cases = cases
    } catch {
      // Read again, and reported, at the end.
    }
    return
  }
}

/** The preloaded lines for `readHistory`, if the open file is still the one read; each line's run and cases are given out once. */
export function takeScanForRead(file: string, fd: number): HistoryScan | undefined {
  const scan = preloadedFor(file, fd)
  if (!scan) return undefined
  const lines = scan.lines.map((line) => ({ ...line }))
  for (const line of scan.lines) (delete line.run, delete line.cases)
  return { ...scan, lines }
}

/** The preloaded lines for an append, if the open file is still the one read; the preload is dropped. */
export function takeScanForAppend(file: string, fd: number): HistoryScan | undefined {
  const scan = preloadedFor(file, fd)
  preloaded.delete(file)
  return scan
}
