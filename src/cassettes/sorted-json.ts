// Whether a value already prints as canonical JSON (keys sorted at every depth) with a plain `JSON.stringify`.
// What a cassette holds was written sorted: checking costs a walk without allocation, where sorting copies every
// object and makes `JSON.stringify` call a replacer for every value (its slow path).

/** Past this depth the value is sorted by copying (which also reports a cycle, as `JSON.stringify` does). */
const MAX_DEPTH = 64
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/

/**
 * True when `JSON.stringify(value)` prints exactly what sorting every object's keys first would: plain JSON data
 * (no `toJSON`, no class instances, no `__proto__` key) whose objects list their keys in sorted order. Keys that
 * are array indices always come first, in numeric order, in any object: a sorted copy lists them so too.
 */
export function isSortedJson(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return true
  if (depth > MAX_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false
  const prototype = Object.getPrototypeOf(value) as unknown
  if (Array.isArray(value)) {
    if (prototype !== Array.prototype) return false
    for (const item of value) if (!isSortedJson(item, depth + 1)) return false
    return true
  }
  if (prototype !== Object.prototype && prototype !== null) return false
  let previous: string | undefined
  for (const key in value) {
    if (key === '__proto__') return false
    if (!ARRAY_INDEX.test(key) || Number(key) >= 4294967295) {
      if (previous !== undefined && !(previous < key)) return false
      previous = key
    }
    if (!isSortedJson((value as Record<string, unknown>)[key], depth + 1)) return false
  }
  return true
}
