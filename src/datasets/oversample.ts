import { ConfigError } from '../errors/index.js'
import { describedArgument, requireRows } from './rows-argument.js'
import type { FieldReader } from './inspect-dataset.js'
import { pushTo } from '../collections.js'

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence everywhere. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Balances classes by repeating rows of the smaller classes (drawn with a seeded random generator, so
 * the result is the same on every run) until each class has as many rows as the largest. Returns a new
 * array: the original rows, then the added copies. Copies share their original's id: use the result for
 * training data, not as an eval suite's cases.
 *
 * @example
 * const balanced = oversample(rows, 'intent') // every intent now as frequent as the most common one
 */
export function oversample<Row>(rows: readonly Row[], label: FieldReader<Row>, options: { seed?: number } = {}): Row[] {
  requireRows(rows, 'oversample(rows, label)', oversample)
  if (typeof label === 'string' && label === '') throw new ConfigError('oversample needs the label field (e.g. "intent") or a function reading the label from a row.')
  if (typeof label !== 'string' && typeof label !== 'function') throw new ConfigError(`oversample(rows, label) needs the label field (e.g. "intent") or a function reading the label from a row, got ${describedArgument(label)}.`)
  // A misspelt field would put every row in one class and oversample nothing, silently. `in`, not `hasOwn`: a class
  // instance's label is a getter on its prototype, and it reads fine below.
  if (typeof label === 'string' && rows.length > 0 && !rows.some((row) => row !== null && typeof row === 'object' && label in row)) {
    const fields = [...new Set(rows.slice(0, 100).flatMap((row) => (row !== null && typeof row === 'object' ? Object.keys(row) : [])))].slice(0, 8)
    throw new ConfigError(`oversample(rows, ${JSON.stringify(label)}): no row has the field ${JSON.stringify(label)}${fields.length ? ` (the rows have ${fields.map((field) => JSON.stringify(field)).join(', ')})` : ''}. Check the label field's name.`)
  }
  const classes = new Map<string, Row[]>()
  for (const row of rows) {
    const value = typeof label === 'function' ? label(row) : (row as Record<string, unknown>)?.[label]
    const key = String(value ?? '(none)')
    pushTo(classes, key, row)
  }
  const target = Math.max(0, ...[...classes.values()].map((members) => members.length))
  const random = seededRandom(options.seed ?? 42)
  const added: Row[] = []
  for (const key of [...classes.keys()].sort()) {
    const members = classes.get(key) ?? []
    for (let count = members.length; count < target; count++) added.push(members[Math.floor(random() * members.length)] as Row)
  }
  return [...rows, ...added]
}
