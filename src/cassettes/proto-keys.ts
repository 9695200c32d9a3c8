// Tool arguments are JSON, and `JSON.parse('{"__proto__": …}')` makes an own `__proto__` key. Copying or sorting an
// object by assignment turns that key into the copy's prototype: it vanishes, and the call would share its lookup
// key and stored arguments with the call without it. These keep it as the own key it is. Pure: no Vitest, no I/O.

/** Deeper than this is not walked (tool arguments are checked to be no deeper than 500 levels). */
const MAX_DEPTH = 600

/**
 * True when `value` (plain JSON) has an own `__proto__` key at any depth: only then does it need
 * {@link sortedWithProtoKeys}, so every other value keeps its canonical text (and its recorded key) exactly.
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

/**
 * A copy of plain JSON with every object's keys in sorted order (as canonical JSON prints them), an own `__proto__`
 * key kept as an own key: a plain `JSON.stringify` of it prints the canonical text with that key.
 *
 * @example
 * JSON.stringify(sortedWithProtoKeys(JSON.parse('{"b":1,"__proto__":{"x":1}}'))) // '{"__proto__":{"x":1},"b":1}'
 */
export function sortedWithProtoKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item) => sortedWithProtoKeys(item))
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const inner = (value as Record<string, unknown>)[key]
    // `undefined` properties are left out, as JSON leaves them out.
    if (inner === undefined) continue
    Object.defineProperty(sorted, key, { value: sortedWithProtoKeys(inner), enumerable: true, writable: true, configurable: true })
  }
  return sorted
}
