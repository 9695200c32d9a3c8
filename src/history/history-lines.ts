// Byte-level access to history lines: a chunked line reader, and the split of a line into its aggregates
// (small, parsed for every run) and its per-case part (large, parsed only for the runs that need it).
import { readSync } from 'node:fs'
import { LlmEvalsError } from '../errors/index.js'
import { CASE_DETAIL_FIELDS, decodeCaseTable, isCaseTable } from './case-table.js'
import { isCaseList, type CaseScore } from './run-record.js'

const NEWLINE = 0x0a
const CHUNK_BYTES = 1 << 20

/**
 * Calls `visit` with every line of the open file `fd` (without its newline), the line's byte offset
 * and its 1-based number. The file is read in chunks: memory stays at about the longest line. The
 * buffer passed to `visit` is only valid during the call.
 */
export function forEachLine(fd: number, visit: (line: Buffer, offset: number, number: number) => void): void {
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES)
  let filled = 0
  let bufferOffset = 0
  let number = 0
  for (;;) {
    if (filled === buffer.length) {
      const bigger = Buffer.allocUnsafe(buffer.length * 2)
      buffer.copy(bigger, 0, 0, filled)
      buffer = bigger
    }
    const read = readSync(fd, buffer, filled, buffer.length - filled, bufferOffset + filled)
    filled += read
    const view = buffer.subarray(0, filled)
    let start = 0
    for (let end = view.indexOf(NEWLINE, start); end !== -1; end = view.indexOf(NEWLINE, start)) {
      visit(view.subarray(start, end), bufferOffset + start, ++number)
      start = end + 1
    }
    if (read === 0) {
      if (start < filled) visit(view.subarray(start, filled), bufferOffset + start, ++number)
      return
    }
    buffer.copyWithin(0, start, filled)
    filled -= start
    bufferOffset += start
  }
}

/** Reads `length` bytes at `offset` of the open file `fd`. */
export function readBytes(fd: number, offset: number, length: number, into?: Buffer): Buffer {
  const buffer = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length)
  for (let done = 0; done < length; ) {
    const read = readSync(fd, buffer, done, length - done, offset + done)
    if (read === 0) throw new LlmEvalsError(`The history file became shorter while it was read (at byte ${offset + done}): another program rewrote it in place. Nothing was changed; run again.`)
    done += read
  }
  return buffer
}

const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0d

/** True for an empty or whitespace-only line. */
export function isBlank(line: Buffer): boolean {
  for (const byte of line) if (!isSpace(byte)) return false
  return true
}

function lastBytes(line: Buffer, count: number): string {
  let end = line.length
  while (end > 0 && isSpace(line[end - 1])) end--
  return line.toString('latin1', Math.max(0, end - count), end)
}

// Keys cannot occur unescaped inside JSON strings, so these only match a key. New lines write the case
// table last; lines of older versions wrote `cases` last, except lines rewritten by their retention.
// Groups have a `cases` count too: one search for the common start finds the first per-case field.
const CASE_KEY = Buffer.from(',"case')
const TABLE_REST = Buffer.from('Table":{')
const LEGACY_REST = Buffer.from('s":[')
const FIELDS_KEY = Buffer.from('"fields":{')
const DETAIL_KEYS = CASE_DETAIL_FIELDS.map((field) => Buffer.from(`"${field}":`))

const startsAt = (line: Buffer, at: number, bytes: Buffer) => line.subarray(at, at + bytes.length).equals(bytes)

/** Where a line's per-case part starts (at its comma), and in which format it is; undefined when it has none. */
export function casePartOf(line: Buffer): { at: number; format: 'table' | 'legacy' } | undefined {
  for (let at = line.indexOf(CASE_KEY); at !== -1; at = line.indexOf(CASE_KEY, at + 1)) {
    if (startsAt(line, at + CASE_KEY.length, TABLE_REST)) return { at, format: 'table' }
    if (startsAt(line, at + CASE_KEY.length, LEGACY_REST)) return { at, format: 'legacy' }
  }
  return undefined
}

/**
 * True when the per-case part starting at `at` holds output, input or reasoning. A case table writes
 * those columns first, so only its first column is looked at; older lines are searched.
 */
export function hasCaseDetail(line: Buffer, part: { at: number; format: 'table' | 'legacy' }): boolean {
  if (part.format === 'legacy') return DETAIL_KEYS.some((key) => line.indexOf(key, part.at) !== -1)
  const fields = line.indexOf(FIELDS_KEY, part.at)
  return fields !== -1 && DETAIL_KEYS.some((key) => startsAt(line, fields + FIELDS_KEY.length, key))
}

const CLOSE = Buffer.from('}')
const LEGACY_END = Buffer.from('],"')

/**
 * The line without its per-case part, when that can be cut out without parsing it: a case table is
 * always the last field; the `cases` array of older versions was last, or followed by `git` and
 * `cassetteMode` only (which hold no array, so the last `],"` ends the cases). Undefined otherwise,
 * or when the line does not end like a complete one: then the whole line must be parsed.
 */
export function aggregatesOf(line: Buffer): Buffer | undefined {
  const part = casePartOf(line)
  if (!part) return undefined
  const ending = lastBytes(line, 2)
  if (part.format === 'table' || ending.endsWith(']}')) return ending.endsWith(part.format === 'table' ? '}' : ']}') ? Buffer.concat([line.subarray(0, part.at), CLOSE]) : undefined
  const end = line.lastIndexOf(LEGACY_END)
  return end > part.at && ending.endsWith('}') ? Buffer.concat([line.subarray(0, part.at), line.subarray(end + 1)]) : undefined
}

/** The parsed aggregates of a line with per-case data, without parsing that data (see {@link aggregatesOf}). */
export function headOf(line: Buffer): { head: unknown } | undefined {
  const aggregates = aggregatesOf(line)
  if (!aggregates) return undefined
  try {
    return { head: JSON.parse(aggregates.toString('utf8')) }
  } catch {
    return undefined
  }
}

/** The per-case scores of a parsed line (`caseTable`, or `cases` of older versions); undefined when malformed. */
export function casesOfLine(value: { caseTable?: unknown; cases?: unknown }): CaseScore[] | undefined {
  let cases: unknown = value.cases
  if (value.caseTable !== undefined) {
    if (!isCaseTable(value.caseTable)) return undefined
    cases = decodeCaseTable(value.caseTable)
  }
  return isCaseList(cases) ? cases : undefined
}
