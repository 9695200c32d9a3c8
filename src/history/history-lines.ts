// Byte-level access to history lines: a chunked line reader, and the split of a line into its aggregates
// (small, parsed for every run) and its per-case part (large, parsed only for the runs that need it).
import { readSync } from 'node:fs'
import { caseTableSchema, decodeCaseTable } from './case-table.js'
import { caseListSchema, type CaseScore } from './run-record.js'

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
    if (read === 0) throw new Error(`unexpected end of file at byte ${offset + done}`)
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
const TABLE_KEY = Buffer.from(',"caseTable":')
const LEGACY_KEY = Buffer.from(',"cases":[')
const DETAIL_KEYS = ['"output":', '"reason":', '"input":'].map((key) => Buffer.from(key))

/** Where a line's per-case part starts (at its comma), and in which format it is; undefined when it has none. */
export function casePartOf(line: Buffer): { at: number; format: 'table' | 'legacy' } | undefined {
  const table = line.indexOf(TABLE_KEY)
  if (table !== -1) return { at: table, format: 'table' }
  const legacy = line.indexOf(LEGACY_KEY)
  return legacy === -1 ? undefined : { at: legacy, format: 'legacy' }
}

/** True when the per-case part starting at `at` holds output, input or reasoning. */
export function hasCaseDetail(line: Buffer, at: number): boolean {
  return DETAIL_KEYS.some((key) => line.indexOf(key, at) !== -1)
}

/**
 * The aggregates of a line without parsing its per-case part: the text before the per-case field, closed.
 * Undefined when that cannot be done safely (the per-case field is not the last one, or the line does
 * not end like a complete line): then the whole line must be parsed.
 */
export function headOf(line: Buffer): { head: unknown; hasCases: true } | undefined {
  const part = casePartOf(line)
  if (!part || !lastBytes(line, 2).endsWith(part.format === 'table' ? '}' : ']}')) return undefined
  try {
    return { head: JSON.parse(`${line.toString('utf8', 0, part.at)}}`), hasCases: true }
  } catch {
    return undefined
  }
}

/** The per-case scores of a parsed line (`caseTable`, or `cases` of older versions); undefined when malformed. */
export function casesOfLine(value: { caseTable?: unknown; cases?: unknown }): CaseScore[] | undefined {
  let cases: unknown = value.cases
  if (value.caseTable !== undefined) {
    const table = caseTableSchema.safeParse(value.caseTable)
    if (!table.success) return undefined
    cases = decodeCaseTable(table.data)
  }
  return caseListSchema.safeParse(cases).success ? (cases as CaseScore[]) : undefined
}
