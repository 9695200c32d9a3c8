// Objects built from untrusted JSON (a cassette from a pull request, model output, a header or query name) must keep
// every key as data. `copy[key] = value` does not for `__proto__`: it sets the copy's prototype (an object value) or
// does nothing (any other value), so the field drops out of what is written and can change what the copy inherits.
// Spread and `Object.fromEntries` define own fields and are safe; assignment in a loop is not.

/**
 * Sets `target[key] = value` as an own, enumerable field, as `JSON.parse` does, also for `__proto__`.
 *
 * @example
 * const copy: Record<string, unknown> = {}
 * setOwnField(copy, '__proto__', { polluted: true }) // copy.polluted is undefined; JSON.stringify(copy) keeps the field
 */
export function setOwnField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}

/**
 * A copy of a flat record whose own fields are kept as data (see {@link setOwnField}), in their order.
 *
 * @example
 * ownFieldsCopy(JSON.parse('{"__proto__":"x","a":"1"}')) // { ['__proto__']: 'x', a: '1' } with Object.prototype
 */
export function ownFieldsCopy<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const copy: Record<string, T> = {}
  for (const key of Object.keys(record)) setOwnField(copy, key, record[key])
  return copy
}
