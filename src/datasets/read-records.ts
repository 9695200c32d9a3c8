import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { Readable } from 'node:stream'
import { DatasetError } from '../errors/index.js'
import { describeInvalidUtf8, invalidUtf8, readFileLines } from './file-lines.js'

/** File formats `loadDataset` reads. */
export type DatasetFormat = 'jsonl' | 'json' | 'csv'

/** One raw record of a dataset file, before validation: a value, or why its line could not be parsed. */
export type RawRecord = { row: number; line?: number } & ({ value: unknown } | { parseError: string })

/** The format of `file` from its extension (`.jsonl`/`.ndjson`, `.json`, `.csv`). */
export function formatOf(file: string): DatasetFormat {
  const extension = extname(file).toLowerCase()
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl'
  if (extension === '.json') return 'json'
  if (extension === '.csv') return 'csv'
  throw new DatasetError(`Cannot tell the format of dataset ${file} from its extension "${extension}". Use .jsonl, .json or .csv, or pass { format: 'jsonl' | 'json' | 'csv' }.`)
}

const SAVE_AS_UTF8 = 'save the file as UTF-8 (in most editors: "Save with Encoding" or "Reopen with Encoding")'

/** JSON Lines, one line at a time (bounded memory); blank lines are skipped, a line that is not UTF-8 is a bad row. */
async function* readJsonLines(file: string): AsyncGenerator<RawRecord> {
  let row = 0
  for await (const { line, content } of readFileLines(file)) {
    const invalid = invalidUtf8(content)
    const text = invalid === undefined ? content.toString('utf8') : ''
    const trimmed = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim()
    if (trimmed === '' && invalid === undefined) continue
    row += 1
    if (invalid !== undefined) {
      yield { row, line, parseError: `not valid UTF-8 (${describeInvalidUtf8(invalid)}); ${SAVE_AS_UTF8}` }
      continue
    }
    try {
      yield { row, line, value: JSON.parse(trimmed) }
    } catch (error) {
      yield { row, line, parseError: `not valid JSON (${(error as Error).message})` }
    }
  }
}

function notUtf8(file: string, invalid: { line: number; column: number; byte: number }): DatasetError {
  return new DatasetError(`Dataset ${file}:${invalid.line} is not valid UTF-8 (${describeInvalidUtf8(invalid)}): ${SAVE_AS_UTF8}.`)
}

/** A JSON array, read whole: use JSONL for files too large to hold twice in memory. */
async function* readJsonArray(file: string): AsyncGenerator<RawRecord> {
  const bytes = await readFile(file)
  const invalid = invalidUtf8(bytes)
  if (invalid !== undefined) throw notUtf8(file, invalid)
  let parsed: unknown
  try {
    parsed = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new DatasetError(`Dataset ${file} is not valid JSON: ${(error as Error).message}. A .json dataset must be one array of rows; use .jsonl for one row per line.`)
  }
  if (!Array.isArray(parsed)) throw new DatasetError(`Dataset ${file} must hold a JSON array of rows, but holds ${parsed === null ? 'null' : typeof parsed}. Wrap the rows in [ ... ], or use .jsonl.`)
  for (const [index, value] of parsed.entries()) yield { row: index + 1, value }
}

/** What csv-parse's errors tell about where parsing stopped. */
type CsvContext = { records?: number; bytes_records?: number; empty_lines?: number; columns?: unknown }

/** Line breaks in a value (a quoted CSV field keeps its own). */
const lineBreaksIn = (value: string) => value.match(/\r\n|\r|\n/g)?.length ?? 0

/** Last line of the header: line 1, plus the line breaks inside quoted column names. */
function headerEnd(columns: unknown): number {
  if (!Array.isArray(columns)) return 1
  return 1 + columns.reduce<number>((breaks, column: { name?: unknown }) => breaks + (typeof column?.name === 'string' ? lineBreaksIn(column.name) : 0), 0)
}

/**
 * CSV with a header row; quoted fields and embedded newlines handled by `csv-parse`. Every value is a
 * string. Lines are numbered here, not by csv-parse, which counts a quoted `\r\n` as two lines: the end
 * of each record is the line holding its last byte (csv-parse's `info.bytes`), and a record starts on
 * the line after the one before, plus the empty lines skipped between them.
 */
async function* readCsv(file: string): AsyncGenerator<RawRecord> {
  // Loaded here, not at the top: most suites read JSONL and should not pay for the CSV parser.
  const { parse: parseCsv, CsvError } = await import('csv-parse')
  const lineEnds: { line: number; end: number; empty: boolean }[] = []
  let first = 0
  /** The file's bytes in batches of whole lines, each checked to be UTF-8. */
  async function* checkedBytes(): AsyncGenerator<Buffer> {
    let batch: Buffer[] = []
    let batchLine = 1
    const checked = () => {
      const bytes = Buffer.concat(batch)
      const invalid = invalidUtf8(bytes)
      if (invalid !== undefined) throw notUtf8(file, { ...invalid, line: batchLine + invalid.line - 1 })
      batch = []
      return bytes
    }
    for await (const fileLine of readFileLines(file)) {
      lineEnds.push({ line: fileLine.line, end: fileLine.end, empty: fileLine.content.length === 0 })
      if (batch.length === 0) batchLine = fileLine.line
      batch.push(fileLine.content, fileLine.ending)
      if (batch.length >= 1_024) yield checked()
    }
    if (batch.length > 0) yield checked()
  }
  /** The line holding the byte at `offset` (offsets only grow: lines before it are dropped). */
  const lineAt = (offset: number, skipEmpty = false) => {
    while (first < lineEnds.length - 1 && (lineEnds[first]!.end <= offset || (skipEmpty && lineEnds[first]!.empty))) first++
    const line = lineEnds[first]?.line ?? 1
    if (first > 4_096) {
      lineEnds.splice(0, first)
      first = 0
    }
    return line
  }
  /** Where the last record csv-parse finished ends (its `bytes` as it finishes it: `bytes_records` in an error can be past it). */
  let lastRecordEnd: number | undefined
  /** First line of the record that failed: the first non-empty line after the last record csv-parse finished (records it had not handed over yet included). */
  const failedLine = (context: CsvContext) =>
    lastRecordEnd !== undefined ? lineAt(lastRecordEnd, true) : headerEnd(context.columns) + 1 + (context.empty_lines ?? 0)
  const source = Readable.from(checkedBytes(), { objectMode: false })
  const parser = parseCsv({
    columns: true,
    bom: true,
    info: true,
    skip_empty_lines: true,
    trim: false,
    on_record: (record, context) => {
      lastRecordEnd = context.bytes
      return record
    },
  })
  source.on('error', (error) => parser.destroy(error))
  source.pipe(parser)
  let previousEnd: number | undefined
  let previousEmpty = 0
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { bytes: number; columns?: unknown; empty_lines: number; records: number } }>) {
      const line = (previousEnd ?? headerEnd(info.columns)) + 1 + (info.empty_lines - previousEmpty)
      previousEnd = lineAt(info.bytes - 1)
      previousEmpty = info.empty_lines
      yield { row: info.records, line, value: record }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      // csv-parse's own line numbers are off after a quoted \r\n: leave them out.
      const reason = error.message.replace(/,? (at|on) line \d+/g, '')
      throw new DatasetError(`Dataset ${file}:${failedLine(error as CsvContext)} is not valid CSV: ${reason}. Check the quoting and the number of columns from that line (the first line must be the header).`)
    }
    throw error
  } finally {
    source.destroy()
  }
}

/** Raw records of a dataset file, streamed where the format allows. */
export function readRecords(file: string, format: DatasetFormat): AsyncGenerator<RawRecord> {
  if (format === 'jsonl') return readJsonLines(file)
  if (format === 'json') return readJsonArray(file)
  return readCsv(file)
}
