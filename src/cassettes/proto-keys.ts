// Tool arguments are JSON, and `JSON.parse('{"__proto__": …}')` makes an own `__proto__` key. The canonical text of
// a key sorts objects by assignment, which turns that key into the copy's prototype: it vanishes, and the call would
// share its lookup key with the call without it. Found here, such arguments are keyed with the key kept (tool-key.ts).
// Pure: no Vitest, no I/O.

/** Deeper than this is not walked (tool arguments are checked to be no deeper than 500 levels). */
const MAX_DEPTH = 600

/**
 * True when `value` (plain JSON) has an own `__proto__` key at any depth: only then is it keyed its own way, so
 * every other value keeps its canonical text (and its recorded key) exactly.
 *
 * @example
 * hasProtoKey(JSON.parse('{"filter":{"__proto__":{"x":1}}}')) // true
 */
export function hasProtoKey(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return false
  if (Array.isArray(value)) {
    for (const item of value) if (hasProtoKey(item, depth + 1)) return true
    return false
  }
  if (Object.hasOwn(value, '__proto__')) return true
  for (const key of Object.keys(value)) if (hasProtoKey((value as Record<string, unknown>)[key], depth + 1)) return true
  return false
}
