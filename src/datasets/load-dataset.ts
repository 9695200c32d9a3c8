import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { z } from 'zod'
import { closestName } from '../closest-name.js'
import { ConfigError, DatasetError, LlmEvalsError } from '../errors/index.js'
import { pointAtCaller, type CallSiteHolder } from '../../matchers/shared/caller-stack.js'
import { groupThousands } from '../format-number.js'
import { caseIdOf, explicitIdOf, formatLocation, MAX_HASHED_DEPTH, nestsDeeperThan, rememberLocation, type RowLocation } from './case-id.js'
import { describedArgument } from './rows-argument.js'
import { formatOf, readRecords, type DatasetFormat, type RawRecord } from './read-records.js'

/** Where rows come from: a file path, rows in memory, or a function returning them. */
export type DatasetSource = string | readonly unknown[] | (() => readonly unknown[] | Promise<readonly unknown[]>)

/** Options of {@link loadDataset} and {@link streamDataset}. */
export interface LoadDatasetOptions {
  /** File format; default: from the extension (`.jsonl`, `.ndjson`, `.json`, `.csv`). */
  format?: DatasetFormat
  /** How many bad rows one error lists (default 10); every bad row is still counted. */
  maxErrors?: number
  /** Field holding the case id (default `id`); rows without it get a content hash. */
  idField?: string
  /** `error` (default): duplicate ids are bad rows. `keep`: keep them (for inspecting a dataset, not for suites). */
  duplicates?: 'error' | 'keep'
}

/** A validated row with its case id and where it came from. */
export interface DatasetEntry<T> {
  id: string
  row: T
  location: RowLocation
}

interface Problem {
  location: RowLocation
  message: string
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const path = issue.path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('')
  return `${path === '' ? 'row' : `field "${path}"`}: ${issue.message}${missingFieldHint(issue.path, value)}`
}

/** Longest field name shown in a hint, and most fields listed or compared (rows are untrusted input). */
const HINT_NAME_CHARS = 60
const HINT_FIELDS = 200

/**
 * When a field the schema needs is absent from the row, the fields the row has instead: the one it was
 * probably meant as (a typo: `expcted` for `expected`, `Question` for `question`), else the first few.
 */
function missingFieldHint(path: readonly PropertyKey[], value: unknown): string {
  const name = path.at(-1)
  if (typeof name !== 'string' || name.length > HINT_NAME_CHARS) return ''
  let parent: unknown = value
  for (const part of path.slice(0, -1)) parent = parent !== null && typeof parent === 'object' ? (parent as Record<PropertyKey, unknown>)[part] : undefined
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent) || Object.hasOwn(parent, name)) return ''
  const fields = Object.keys(parent).slice(0, HINT_FIELDS).filter((field) => field.length <= HINT_NAME_CHARS)
  const closest = closestName(name, fields)
  if (closest !== undefined) return ` (the row has no ${JSON.stringify(name)} field but has ${JSON.stringify(closest)}: a typo in the data or the schema?)`
  return fields.length ? ` (the row has no ${JSON.stringify(name)} field; it has ${fields.slice(0, 8).map((field) => JSON.stringify(field)).join(', ')}${fields.length > 8 ? ', …' : ''})` : ''
}

async function* rawRecords(source: DatasetSource, format: DatasetFormat | undefined, label: string): AsyncGenerator<RawRecord> {
  if (typeof source === 'string') {
    const info = await stat(source).catch(() => undefined)
    if (info?.isDirectory()) throw new DatasetError(`Dataset file ${source} is a directory (${resolve(source)}), not a .jsonl, .json or .csv file: name the file in it, e.g. ${JSON.stringify(`${source.replace(/[\\/]+$/, '')}/cases.jsonl`)}.`)
    if (!info?.isFile()) throw new DatasetError(`Dataset file ${source} was not found (looked at ${resolve(source)}). Paths are relative to the working directory; build one from import.meta.dirname to make it relative to the test file.`)
    yield* readRecords(source, format ?? formatOf(source))
    return
  }
  if (typeof source !== 'function' && !Array.isArray(source)) {
    throw new ConfigError(`loadDataset(source, schema) needs a file path, an array of rows or a function returning one as its source, got ${describedArgument(source)}.`)
  }
  const rows = typeof source === 'function' ? await source() : source
  if (!Array.isArray(rows)) throw new DatasetError(`${label}, the source given to loadDataset, returned ${describedArgument(rows)}, not an array of rows: return the rows as an array.`)
  for (const [index, value] of rows.entries()) yield { row: index + 1, value }
}

const FORMATS: readonly string[] = ['jsonl', 'json', 'csv']

/** Options checked before any row is read: a wrong `format` read a JSONL file as CSV, and a wrong `maxErrors` listed none. */
function checkOptions(options: LoadDatasetOptions): void {
  if (options === null || typeof options !== 'object') throw new ConfigError(`loadDataset(source, schema, options) needs options as an object (e.g. { format: 'jsonl' }), got ${describedArgument(options)}.`)
  const wrong = (name: string, expected: string, got: unknown) => new ConfigError(`loadDataset option ${name} must be ${expected}, got ${describedArgument(got)}.`)
  if (options.format !== undefined && !FORMATS.includes(options.format)) throw wrong('format', "'jsonl', 'json' or 'csv' (or left out: taken from the file's extension)", options.format)
  if (options.maxErrors !== undefined && (!Number.isInteger(options.maxErrors) || options.maxErrors < 1)) throw wrong('maxErrors', 'a whole number of at least 1', options.maxErrors)
  if (options.idField !== undefined && (typeof options.idField !== 'string' || options.idField === '')) throw wrong('idField', 'the name of the id field (e.g. "id")', options.idField)
  if (options.duplicates !== undefined && options.duplicates !== 'error' && options.duplicates !== 'keep') throw wrong('duplicates', "'error' or 'keep'", options.duplicates)
}

/** A missing schema (or options passed in its place) is one error before any row is read, not one per row. */
function requireSchema(schema: unknown, source: string): void {
  if (schema !== null && typeof schema === 'object' && typeof (schema as { safeParse?: unknown }).safeParse === 'function') return
  const got = schema === undefined ? 'no schema' : schema === null ? 'null' : typeof schema === 'object' ? `an object that is not a zod schema (fields: ${Object.keys(schema).slice(0, 5).join(', ') || 'none'}; options go third)` : `a ${typeof schema}`
  throw new ConfigError(
    `loadDataset(${source}, schema) needs a zod schema as its second argument, got ${got}. ` +
      "Describe a row, e.g. `loadDataset(path, z.object({ id: z.string(), question: z.string(), expected: z.string() }))`, or take rows as they are with `z.looseObject({})`.",
  )
}

/** The last line of an invalid dataset's error: the CLI, which passes no schema, says only the first half. */
export const SCHEMA_ADVICE = 'Fix these rows, or change the schema passed to loadDataset.'

function datasetError(label: string, problems: Problem[], total: number, rows: number, maxErrors: number): DatasetError {
  const shown = problems.slice(0, maxErrors).map((problem) => `  ${formatLocation(problem.location)}: ${problem.message}`)
  const more = total > shown.length ? [`  … and ${total - shown.length} more.`] : []
  return new DatasetError(
    [`Dataset ${label} has ${total} invalid row${total === 1 ? '' : 's'} (of ${rows}):`, ...shown, ...more, SCHEMA_ADVICE].join('\n'),
  )
}

/** The entries of {@link streamDataset}, without the call site: its errors' stacks hold the library's frames only. */
async function* datasetEntries<Schema extends z.ZodType>(source: DatasetSource, schema: Schema, options: LoadDatasetOptions): AsyncGenerator<DatasetEntry<z.output<Schema>>> {
  checkOptions(options)
  const maxErrors = options.maxErrors ?? 10
  const label = typeof source === 'string' ? source : typeof source === 'function' ? `${source.name || 'function'}()` : '(array)'
  requireSchema(schema, typeof source === 'string' ? JSON.stringify(source) : 'rows')
  const problems: Problem[] = []
  const seen = new Map<string, RowLocation>()
  // Ids of invalid rows (as written in the file): a valid row repeating one is a duplicate too, reported now
  // rather than on the run after the first row is fixed.
  const invalidIds = new Map<string, RowLocation>()
  let total = 0
  let rows = 0
  const problem = (location: RowLocation, message: string) => {
    total += 1
    if (problems.length < maxErrors) problems.push({ location, message })
  }
  for await (const record of rawRecords(source, options.format, label)) {
    rows += 1
    const location: RowLocation = { source: label, row: record.row, ...(record.line === undefined ? {} : { line: record.line }) }
    if ('parseError' in record) {
      problem(location, record.parseError)
      continue
    }
    const invalid = (message: string) => {
      problem(location, message)
      const rawId = options.duplicates === 'keep' ? undefined : explicitIdOf(record.value, options.idField)
      if (rawId !== undefined && !seen.has(rawId) && !invalidIds.has(rawId)) invalidIds.set(rawId, location)
    }
    let parsed: z.ZodSafeParseResult<z.output<Schema>>
    try {
      parsed = schema.safeParse(record.value)
    } catch (error) {
      invalid(`the schema threw: ${error instanceof Error ? error.message : String(error)}`)
      continue
    }
    if (!parsed.success) {
      invalid(parsed.error.issues.map((issue) => describeIssue(issue, record.value)).join('; '))
      continue
    }
    if (explicitIdOf(parsed.data, options.idField) === undefined && nestsDeeperThan(parsed.data, MAX_HASHED_DEPTH)) {
      problem(location, `nested more than ${groupThousands(MAX_HASHED_DEPTH)} levels deep, too deep to hash into a case id: give the row an "${options.idField ?? 'id'}" field`)
      continue
    }
    const id = caseIdOf(parsed.data, options.idField)
    const first = seen.get(id)
    if (first && options.duplicates !== 'keep') {
      problem(location, explicitIdOf(parsed.data, options.idField) !== undefined ? `duplicate id "${id}" (first at ${formatLocation(first)}); ids must be unique` : `same content as ${formatLocation(first)} (case id ${id}); remove the copy or give rows an "${options.idField ?? 'id'}" field`)
      continue
    }
    const firstInvalid = options.duplicates === 'keep' || explicitIdOf(parsed.data, options.idField) === undefined ? undefined : invalidIds.get(id)
    if (firstInvalid) {
      problem(location, `duplicate id "${id}" (first at ${formatLocation(firstInvalid)}, an invalid row listed above); ids must be unique`)
      continue
    }
    if (!first) seen.set(id, location)
    rememberLocation(parsed.data, location)
    yield { id, row: parsed.data, location }
  }
  if (total > 0) throw datasetError(label, problems, total, rows, maxErrors)
}

/**
 * Loads and validates a dataset: a JSONL, JSON (array) or CSV (header row) file, an array, or an async
 * function. Every row is checked against the zod schema; bad rows are reported together (file, line,
 * field, message) in one `DatasetError`. Case ids come from the `id` field, else a content hash; duplicate
 * ids are errors. CSV values are strings: use `z.coerce.number()` for numbers.
 *
 * @example
 * const Case = z.object({ id: z.string(), question: z.string(), expected: z.string() })
 * const cases = await loadDataset('evals/support.jsonl', Case)
 * @see docs/datasets-and-suites.md#loading-a-dataset
 */
export function loadDataset<Schema extends z.ZodType>(source: DatasetSource, schema: Schema, options: LoadDatasetOptions = {}): Promise<z.output<Schema>[]> {
  const callSite = callSiteOf(loadDataset)
  const load = async () => {
    const rows: z.output<Schema>[] = []
    for await (const entry of datasetEntries(source, schema, options)) rows.push(entry.row)
    return rows
  }
  return load().catch((error: unknown) => {
    throw pointedAt(error, callSite)
  })
}

/**
 * Streams a dataset as validated entries with stable case ids, in bounded memory for JSONL and CSV.
 * Bad rows are skipped while streaming and reported together at the end in one `DatasetError` that names
 * file, line, field and the schema's message for each (up to `maxErrors`); duplicate ids are errors too.
 *
 * @example
 * for await (const { id, row } of streamDataset('data/cases.jsonl', Case)) count += 1
 */
export function streamDataset<Schema extends z.ZodType>(source: DatasetSource, schema: Schema, options: LoadDatasetOptions = {}): AsyncGenerator<DatasetEntry<z.output<Schema>>> {
  return pointedEntries(datasetEntries(source, schema, options), callSiteOf(streamDataset))
}

async function* pointedEntries<Entry>(entries: AsyncGenerator<Entry>, callSite: CallSiteHolder): AsyncGenerator<Entry> {
  try {
    yield* entries
  } catch (error) {
    throw pointedAt(error, callSite)
  }
}

/**
 * Where a public entry was called, captured at the call: rows are read after awaits, so an error's own stack holds
 * only the library's frames (its generator), and Vitest would show no line of the user's.
 */
function callSiteOf(callee: (...args: never[]) => unknown): CallSiteHolder {
  const callSite: CallSiteHolder = {}
  Error.captureStackTrace(callSite, callee)
  return callSite
}

/** This library's errors (a bad row, a missing file) point at the call; a user's own error (a data function's) keeps its stack. */
function pointedAt(error: unknown, callSite: CallSiteHolder): unknown {
  return error instanceof LlmEvalsError ? pointAtCaller(error, callSite) : error
}
