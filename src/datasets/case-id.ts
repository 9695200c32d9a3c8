import { nodeCrypto } from '../node-crypto.js'
import { stableStringify } from '../cassettes/canonical.js'
import { DatasetError } from '../errors/index.js'
import { groupThousands } from '../format-number.js'

/** Where a dataset row came from, for error messages: `file:line` for files, `row N` for arrays. */
export interface RowLocation {
  /** File path as given (relative paths stay relative), or a description such as `dataset (array)`. */
  source: string
  /** 1-based line for JSONL and CSV files. */
  line?: number
  /** 1-based position of the row in the dataset. */
  row: number
}

const locations = new WeakMap<object, RowLocation>()

/** Remembers where a loaded row came from (rows are objects; primitives cannot be tracked). */
export function rememberLocation(row: unknown, location: RowLocation): void {
  if (typeof row === 'object' && row !== null) locations.set(row, location)
}

/** Where `row` was loaded from by `loadDataset`, when known. */
export function locationOf(row: unknown): RowLocation | undefined {
  return typeof row === 'object' && row !== null ? locations.get(row) : undefined
}

/** `file:17`, `file item 3` or `row 3`. */
export function formatLocation(location: RowLocation): string {
  if (location.line !== undefined) return `${location.source}:${location.line}`
  return `${location.source} row ${location.row}`
}

/** How deep a row may nest arrays and objects to be hashed: deeper ones would overflow the stack of `JSON.stringify`. */
export const MAX_HASHED_DEPTH = 1_000

/** True when `value` nests arrays and objects more than `limit` levels deep (checked without recursion). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue
    if (next.depth >= limit) return true
    for (const inner of Object.values(next.value)) pending.push({ value: inner, depth: next.depth + 1 })
  }
  return false
}

/**
 * A short, stable hash of a row's content (key order does not matter): 12 hex characters of SHA-256.
 * Throws a DatasetError for a row nested more than 1,000 levels deep: give such a row an id.
 */
export function contentHash(row: unknown): string {
  if (nestsDeeperThan(row, MAX_HASHED_DEPTH)) {
    const location = locationOf(row)
    throw new DatasetError(
      `${location === undefined ? 'A row' : `The row at ${formatLocation(location)}`} is nested more than ${groupThousands(MAX_HASHED_DEPTH)} levels deep, too deep to hash into a case id: give it an "id" field.`,
    )
  }
  return nodeCrypto().createHash('sha256').update(stableStringify(row ?? null)).digest('hex').slice(0, 12)
}

/**
 * The stable case id of a row: its `id` field (string or number) when it has one, else a short hash of
 * its content. Test names, cassette recordings and score history are keyed by it, so it must not change
 * between runs.
 *
 * @example
 * caseIdOf({ id: 'refund-1', question: '…' }) // 'refund-1'
 * caseIdOf({ question: 'Where is my parcel?' }) // e.g. '3f1c0a9b2d4e'
 */
export function caseIdOf(row: unknown, idField = 'id'): string {
  return explicitIdOf(row, idField) ?? contentHash(row)
}

/** The row's own id (a non-empty string or a finite number in `idField`), if it has one. */
export function explicitIdOf(row: unknown, idField = 'id'): string | undefined {
  if (typeof row !== 'object' || row === null || !(idField in row)) return undefined
  const id = (row as Record<string, unknown>)[idField]
  return (typeof id === 'string' && id.trim() !== '') || (typeof id === 'number' && Number.isFinite(id)) ? String(id) : undefined
}
