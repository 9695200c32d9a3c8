import type { CaseScore } from './run-record.js'
import { setOwnField } from '../own-field.js'

/**
 * How one field of every case score is stored: the same value for all, a string of `1`/`0` (`-` when
 * absent) for booleans, indexes into a list of distinct values, or one value per case (`null` when absent).
 */
export type CaseColumn = { same: unknown } | { flags: string } | { lookup: unknown[]; at: (number | null)[] } | { values: unknown[] }

/**
 * Fields of a case score that retention drops first (output, reasoning, input, expected answer, an agent's trace and
 * conversation, each trial's output, and why a case could not be scored: its error text is as long and as old as an output).
 */
export const CASE_DETAIL_FIELDS: readonly string[] = ['output', 'reason', 'input', 'expected', 'trace', 'conversation', 'trialResults', 'error']

/**
 * The per-case scores of a run as columns, in run order: the `caseTable` field of a history line.
 * A run of 500 cases x 2 metrics takes about a third of the space of one object per case score.
 * Detail columns come first, so whether a line still has detail is seen from its first column.
 */
export interface CaseTable {
  /** Number of case scores. */
  count: number
  /** One column per field, in the order fields first appear. */
  fields: Record<string, CaseColumn>
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const hasOnly = (value: Record<string, unknown>, ...keys: string[]) => Object.keys(value).every((key) => keys.includes(key))

function isColumn(field: unknown, count: number): field is CaseColumn {
  if (!isRecord(field)) return false
  if ('same' in field) return hasOnly(field, 'same')
  if ('flags' in field) return hasOnly(field, 'flags') && typeof field.flags === 'string' && field.flags.length === count && /^[-01]*$/.test(field.flags)
  if ('at' in field) {
    const { lookup, at } = field
    if (!hasOnly(field, 'lookup', 'at') || !Array.isArray(lookup) || !Array.isArray(at) || at.length !== count) return false
    return at.every((index: unknown) => index === null || (Number.isInteger(index) && (index as number) >= 0 && (index as number) < lookup.length))
  }
  if ('values' in field) return hasOnly(field, 'values') && Array.isArray(field.values) && field.values.length === count
  return false
}

/**
 * Shape check of a case table: every column has one entry per case and every index points into its lookup.
 * Hand-written rather than a zod schema: it runs on every case of each run a new run is compared with, and
 * zod's copy of 10,000-entry columns cost ~80 ms at the end of a 5,000-case run.
 *
 * @example
 * isCaseTable(line.caseTable) // true
 */
export function isCaseTable(value: unknown): value is CaseTable {
  if (!isRecord(value) || !hasOnly(value, 'count', 'fields')) return false
  const { count, fields } = value
  if (!Number.isInteger(count) || (count as number) < 0 || !isRecord(fields)) return false
  const columns = Object.values(fields)
  if (!columns.every((field) => isColumn(field, count as number))) return false
  return decodeWorkIsBounded(columns as CaseColumn[], count as number)
}

/** Most cases of a table none of whose columns has one entry per case (every case the same: duplicates). */
const MAX_SAME_ONLY_CASES = 10_000
/** Most characters `same` object values may copy in all when decoded (one copy per case). */
const MAX_SAME_COPY_CHARS = 64 * 1024 * 1024

/**
 * True when decoding costs about as much as the line is long: a `count` backed by no per-case column, or an
 * object in `same` copied into each case, would let a few bytes of a hostile history line stall the reader.
 */
function decodeWorkIsBounded(columns: readonly CaseColumn[], count: number): boolean {
  if (count > MAX_SAME_ONLY_CASES && columns.every((field) => 'same' in field)) return false
  let copied = 0
  for (const field of columns) {
    if (!('same' in field) || typeof field.same !== 'object' || field.same === null) continue
    copied += count * (JSON.stringify(field.same)?.length ?? 0)
    if (copied > MAX_SAME_COPY_CHARS) return false
  }
  return true
}

const isPresent = (value: unknown) => value !== undefined && value !== null
const isScalar = (value: unknown): value is string | number | boolean => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'

function encodeColumn(values: readonly unknown[]): CaseColumn {
  const first = values[0]
  const firstText = typeof first === 'object' && first !== null ? JSON.stringify(first) : undefined
  let present = 0
  let booleans = 0
  let keys = 0
  let same = true
  for (const value of values) {
    if (!isPresent(value)) continue
    present++
    if (typeof value === 'boolean') booleans++
    else if (typeof value === 'string' || typeof value === 'number') keys++
    if (same && value !== first) same = firstText !== undefined && typeof value === 'object' && JSON.stringify(value) === firstText
  }
  if (same && present === values.length && present > 0) return { same: first }
  if (booleans === present) return { flags: values.map((value) => (isPresent(value) ? (value ? '1' : '0') : '-')).join('') }
  if (keys === present) {
    // A lookup only pays when values repeat (test names and outputs repeat once per metric).
    const distinct = new Map<unknown, number>()
    for (const value of values) {
      if (!isPresent(value) || distinct.has(value)) continue
      distinct.set(value, distinct.size)
      if (distinct.size * 2 > values.length) break
    }
    if (distinct.size * 2 <= values.length) return { lookup: [...distinct.keys()], at: values.map((value) => (isPresent(value) ? (distinct.get(value) as number) : null)) }
  }
  return { values: values.map((value) => (isPresent(value) ? value : null)) }
}

/**
 * Stores case scores as columns. Lossless for every field except `null` values, which read back as absent.
 *
 * @example
 * decodeCaseTable(encodeCaseTable(run.cases)) // equal to run.cases
 */
export function encodeCaseTable(cases: readonly CaseScore[]): CaseTable {
  // Every column in one pass over the cases, in the order fields first appear (`for…in`, not `Object.keys`: no array
  // per case; case scores are plain objects, so the same own keys in the same order). A case without a field has
  // `undefined` in its column.
  const columns = new Map<string, unknown[]>()
  for (let index = 0; index < cases.length; index++) {
    const score = cases[index] as unknown as Record<string, unknown>
    for (const key in score) {
      let column = columns.get(key)
      if (!column) columns.set(key, (column = new Array<unknown>(cases.length).fill(undefined)))
      column[index] = score[key]
    }
  }
  const detailFirst = [...CASE_DETAIL_FIELDS.filter((field) => columns.has(field)), ...[...columns.keys()].filter((field) => !CASE_DETAIL_FIELDS.includes(field))]
  const table: CaseTable = { count: cases.length, fields: {} }
  // A case's own `__proto__` field (an older history's case, model output) is a column like any other, not the prototype.
  for (const field of detailFirst) setOwnField(table.fields, field, encodeColumn(columns.get(field) as unknown[]))
  return table
}

/** Sets column `name` of every case that has a value in it, a loop per column kind (not a branch per case: decoding a compared run's 10,000 cells per field is on the end of a run). */
function decodeColumn(cases: Record<string, unknown>[], name: string, field: CaseColumn): void {
  const count = cases.length
  if ('same' in field) {
    const same = field.same
    if (!isPresent(same)) return
    if (isScalar(same)) for (let index = 0; index < count; index++) (cases[index] as Record<string, unknown>)[name] = same
    else for (let index = 0; index < count; index++) (cases[index] as Record<string, unknown>)[name] = structuredClone(same)
  } else if ('flags' in field) {
    const flags = field.flags
    for (let index = 0; index < count; index++) {
      const flag = flags[index]
      if (flag !== '-') (cases[index] as Record<string, unknown>)[name] = flag === '1'
    }
  } else if ('at' in field) {
    const { at, lookup } = field
    for (let index = 0; index < count; index++) {
      const position = at[index]
      if (position === null || position === undefined) continue
      const value = lookup[position]
      if (isPresent(value)) (cases[index] as Record<string, unknown>)[name] = value
    }
  } else {
    const values = field.values
    for (let index = 0; index < count; index++) {
      const value = values[index]
      if (isPresent(value)) (cases[index] as Record<string, unknown>)[name] = value
    }
  }
}

/** A `__proto__` column, decoded as an own field of each case (`score[name] = value` would set its prototype). */
function decodeProtoColumn(cases: Record<string, unknown>[], field: CaseColumn): void {
  const holders: Record<string, unknown>[] = cases.map(() => ({}))
  decodeColumn(holders, 'value', field)
  holders.forEach((holder, index) => {
    if (Object.hasOwn(holder, 'value')) setOwnField(cases[index] as Record<string, unknown>, '__proto__', holder['value'])
  })
}

/**
 * The case scores of a case table (checked with {@link isCaseTable} first), in run order.
 *
 * @example
 * const cases = decodeCaseTable(line.caseTable)
 */
export function decodeCaseTable(table: CaseTable): CaseScore[] {
  const cases: Record<string, unknown>[] = new Array(table.count)
  for (let index = 0; index < table.count; index++) cases[index] = {}
  // Detail last, as a case score is built.
  const entries = Object.entries(table.fields).sort(([a], [b]) => Number(CASE_DETAIL_FIELDS.includes(a)) - Number(CASE_DETAIL_FIELDS.includes(b)))
  for (const [name, field] of entries) {
    if (name === '__proto__') decodeProtoColumn(cases, field)
    else decodeColumn(cases, name, field)
  }
  return cases as unknown as CaseScore[]
}
