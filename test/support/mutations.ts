/**
 * Every single-field damage of a JSON value, for tests that compare a hand-written shape check with the zod
 * schema it stands in for: each path of `value` replaced by each odd value (wrong types, NaN, infinities,
 * fractions, negatives, null), each object field deleted, and an unknown field added to each object.
 */
const ODD_VALUES: unknown[] = [null, 'x', '', 1, 1.5, -1, 0, Number.NaN, Number.POSITIVE_INFINITY, true, [], {}, ['x'], [{}], undefined]

type Json = unknown

/** A deep copy of arrays and plain objects; anything else (functions, numbers…) kept as it is. */
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clone(item)])) as T
  return value
}

/** Paths of every value inside `value` (not the root), as key lists. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])])
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])])
  return []
}

function parentOf(root: Json, path: (string | number)[]): Record<string | number, unknown> {
  return path.slice(0, -1).reduce<Json>((part, key) => (part as Record<string | number, unknown>)[key], root) as Record<string | number, unknown>
}

/** `[description, damaged copy]` for every single change to `value`. */
export function singleDamages(value: Json): [string, Json][] {
  const out: [string, Json][] = [['unchanged', clone(value)]]
  for (const path of pathsOf(value)) {
    const name = path.join('.')
    for (const odd of ODD_VALUES) {
      const copy = clone(value)
      parentOf(copy, path)[path.at(-1)!] = clone(odd)
      out.push([`${name} = ${String(JSON.stringify(odd))}`, copy])
    }
    const copy = clone(value)
    const parent = parentOf(copy, path)
    if (!Array.isArray(parent)) {
      delete parent[path.at(-1)!]
      out.push([`${name} deleted`, copy])
    }
  }
  for (const path of [[], ...pathsOf(value)]) {
    const copy = clone(value)
    const target = path.length === 0 ? copy : (parentOf(copy, path)[path.at(-1)!] as unknown)
    if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
      ;(target as Record<string, unknown>)['unknownField'] = 1
      out.push([`${path.join('.') || 'root'} + unknown field`, copy])
    }
  }
  return out
}
