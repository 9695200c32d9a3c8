// A copy of a tool's arguments or result (plain JSON: checked by `jsonProblem`, or parsed from the cassette) as
// `structuredClone` makes it, without its fixed cost (~2-8 µs a call, more than the rest of a replayed tool call).
// Pure: no Vitest, no I/O.
import { types } from 'node:util'

/** Objects copied by hand before the rest goes to `structuredClone` (small values are the common case). */
const MAX_OBJECTS = 64

/** Returned by the walk when the value is not one it copies exactly as `structuredClone` would. */
const NOT_PLAIN = Symbol('not plain')

/**
 * `structuredClone(value)`, copied by hand when `value` is small plain data (objects with the plain prototype
 * or none, dense arrays, strings, numbers, booleans, `null`, `undefined` properties) in which no object is
 * reached twice; anything else (a shared or cyclic object, a proxy, a class instance, a sparse array or one with
 * extra fields) takes `structuredClone` itself, so the copy is always the same.
 *
 * @example
 * const copy = jsonCopy({ orderId: 'o1', items: [{ sku: 'a' }] }) // equal, detached
 */
export function jsonCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value
  const copy = copyPlain(value, [])
  return copy === NOT_PLAIN ? structuredClone(value) : (copy as T)
}

function copyPlain(value: object, seen: object[]): unknown {
  if (seen.length >= MAX_OBJECTS || seen.includes(value) || types.isProxy(value)) return NOT_PLAIN
  seen.push(value)
  if (Array.isArray(value)) {
    const items = value as unknown[]
    if (Object.keys(items).length !== items.length) return NOT_PLAIN // holes or extra fields
    const copy: unknown[] = new Array(items.length)
    for (let index = 0; index < items.length; index++) {
      const item = field(items[index], seen)
      if (item === NOT_PLAIN) return NOT_PLAIN
      copy[index] = item
    }
    return copy
  }
  const prototype: unknown = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)
    // A getter runs once, in structuredClone, as it did; `__proto__` as a key would set the copy's prototype.
    if (!descriptor || !('value' in descriptor) || key === '__proto__') return NOT_PLAIN
    const item = field(descriptor.value, seen)
    if (item === NOT_PLAIN) return NOT_PLAIN
    copy[key] = item
  }
  return copy
}

function field(value: unknown, seen: object[]): unknown {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  return typeof value === 'object' ? copyPlain(value, seen) : NOT_PLAIN
}
