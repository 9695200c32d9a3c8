import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { createInterface } from 'node:readline'
import { DatasetError } from '../errors/index.js'

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

/** JSON Lines, one line at a time (bounded memory); blank lines are skipped. */
async function* readJsonLines(file: string): AsyncGenerator<RawRecord> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })
  let line = 0
  let row = 0
  for await (const text of lines) {
    line += 1
    const trimmed = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim()
    if (trimmed === '') continue
    row += 1
    try {
      yield { row, line, value: JSON.parse(trimmed) }
    } catch (error) {
      yield { row, line, parseError: `not valid JSON (${(error as Error).message})` }
    }
  }
}

/** A JSON array, read whole: use JSONL for files too large to hold twice in memory. */
async function* readJsonArray(file: string): AsyncGenerator<RawRecord> {
  let parsed: unknown
  try {
    parsed = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new DatasetError(`Dataset ${file} is not valid JSON: ${(error as Error).message}. A .json dataset must be one array of rows; use .jsonl for one row per line.`)
  }
  if (!Array.isArray(parsed)) throw new DatasetError(`Dataset ${file} must hold a JSON array of rows, but holds ${parsed === null ? 'null' : typeof parsed}. Wrap the rows in [ ... ], or use .jsonl.`)
  for (const [index, value] of parsed.entries()) yield { row: index + 1, value }
}

/** CSV with a header row; quoted fields and embedded newlines handled by `csv-parse`. Every value is a string. */
async function* readCsv(file: string): AsyncGenerator<RawRecord> {
  // Loaded here, not at the top: most suites read JSONL and should not pay for the CSV parser.
  const { parse: parseCsv, CsvError } = await import('csv-parse')
  const parser = createReadStream(file).pipe(parseCsv({ columns: true, bom: true, info: true, skip_empty_lines: true, trim: false }))
  let previousEnd = 1 // the header line
  let previousEmpty = 0
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; empty_lines: number; records: number } }>) {
      const line = previousEnd + 1 + (info.empty_lines - previousEmpty)
      previousEnd = info.lines
      previousEmpty = info.empty_lines
      yield { row: info.records, line, value: record }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const at = (error as { lines?: number }).lines
      throw new DatasetError(`Dataset ${file}${at === undefined ? '' : `:${at}`} is not valid CSV: ${error.message}. Check the quoting and the number of columns on that line (the first line must be the header).`)
    }
    throw error
  }
}

/** Raw records of a dataset file, streamed where the format allows. */
export function readRecords(file: string, format: DatasetFormat): AsyncGenerator<RawRecord> {
  if (format === 'jsonl') return readJsonLines(file)
  if (format === 'json') return readJsonArray(file)
  return readCsv(file)
}
