// Whether a value already prints as canonical JSON (keys sorted at every depth) with a plain `JSON.stringify`.
// What a cassette holds was written sorted: checking costs a walk without allocation, where sorting copies every
// object and makes `JSON.stringify` call a replacer for every value (its slow path).
import { setOwnField } from '../own-field.js'

/** Past this depth the value is sorted by copying (which also reports a cycle, as `JSON.stringify` does). */
const MAX_DEPTH = 64
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/

/** True for a key that is an array index (V8 lists those first, in numeric order); most keys fail at their first character. */
function isIndexKey(key: string): boolean {
  const first = key.charCodeAt(0)
  return first >= 48 && first <= 57 && ARRAY_INDEX.test(key) && Number(key) < 4294967295
}

/** How a value prints: a leaf, a plain array or object (walked), or `undefined` for what only the replacer path prints right. */
function plainKind(value: unknown, depth: number): 'leaf' | 'array' | 'object' | undefined {
  if (value === null || typeof value !== 'object') return 'leaf'
  if (depth > MAX_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined
  const prototype = Object.getPrototypeOf(value) as unknown
  if (Array.isArray(value)) return prototype === Array.prototype ? 'array' : undefined
  return prototype === Object.prototype || prototype === null ? 'object' : undefined
}

/**
 * True when `JSON.stringify(value)` prints exactly what sorting every object's keys first would: plain JSON data
 * (no `toJSON`, no class instances, no `__proto__` key) whose objects list their keys in sorted order. Keys that
 * are array indices always come first, in numeric order, in any object: a sorted copy lists them so too.
 */
export function isSortedJson(value: unknown, depth = 0): boolean {
  const kind = plainKind(value, depth)
  if (kind !== 'object') {
    if (kind !== 'array') return kind === 'leaf'
    for (const item of value as unknown[]) if (!isSortedJson(item, depth + 1)) return false
    return true
  }
  let previous: string | undefined
  for (const key in value as object) {
    if (key === '__proto__') return false
    if (!isIndexKey(key)) {
      if (previous !== undefined && !(previous < key)) return false
      previous = key
    }
    if (!isSortedJson((value as Record<string, unknown>)[key], depth + 1)) return false
  }
  return true
}

/** What {@link sortedCopy} returns for a value it leaves to the replacer path. */
export const NOT_PLAIN: unique symbol = Symbol('not plain JSON data')

/**
 * A copy of plain JSON data with every object's keys inserted in sorted order, which a plain `JSON.stringify`
 * prints as canonical JSON (an SDK's request body, not sorted: copying it is cheaper than a replacer), or
 * {@link NOT_PLAIN} for what only the replacer path prints right (see {@link isSortedJson}).
 */
export function sortedCopy(value: unknown, depth = 0): unknown {
  const kind = plainKind(value, depth)
  if (kind === 'leaf') return value
  if (kind === undefined) return NOT_PLAIN
  if (kind === 'array') {
    const items: unknown[] = []
    for (const item of value as unknown[]) {
      const copy = sortedCopy(item, depth + 1)
      if (copy === NOT_PLAIN) return NOT_PLAIN
      items.push(copy)
    }
    return items
  }
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value as object).sort()) {
    if (key === '__proto__') return NOT_PLAIN
    const copy = sortedCopy((value as Record<string, unknown>)[key], depth + 1)
    if (copy === NOT_PLAIN) return NOT_PLAIN
    sorted[key] = copy
  }
  return sorted
}

/**
 * `value` as the JSON data a cassette stores: keys sorted at every depth, as {@link sortedCopy}, but an own `__proto__`
 * field (JSON.parse makes one of model output, a hostile cassette has one) kept as a field. The canonical JSON of a
 * request key leaves such a field out, as it always has (every recorded key depends on it); the stored copy must not.
 */
export function sortedJsonData(value: unknown): unknown {
  const text = JSON.stringify(value)
  return text === undefined ? null : sortParsed(JSON.parse(text) as unknown)
}

function sortParsed(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(sortParsed)
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) setOwnField(sorted, key, sortParsed((value as Record<string, unknown>)[key]))
  return sorted
}
