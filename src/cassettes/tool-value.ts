// How a tool's result (or a thrown value) is stored so that a replay gives back exactly what the tool returned:
// plain JSON as it is, and the values JSON cannot hold faithfully that a tool commonly returns (-0, NaN, Infinity,
// -Infinity, `undefined` in an array or as a property) as a tagged object `{ "$vitest-llm-evals": "-0" }`. A plain
// object of the tool's own that has that key is wrapped (`{ "$vitest-llm-evals": "object", "value": … }`), so no
// value reads back as another. Cassettes written before hold plain JSON without the key: they read as they are.
// What has no faithful JSON form (a Date, Map, Set, BigInt, typed array, class instance) is refused when recorded
// (see `toolValueProblem`). Pure: no Vitest, no I/O.

/** The key of a tagged value. */
export const TOOL_VALUE_TAG = '$vitest-llm-evals'

const NUMBERS: Record<string, number> = { '-0': -0, NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY }

/**
 * `value` as stored in a cassette: the same value (the same object where nothing needs a tag), with every -0,
 * NaN, ±Infinity and `undefined` tagged. `value` has passed `toolValueProblem` (plain data, no cycle).
 *
 * @example
 * encodeToolValue({ delta: -0 }) // { delta: { '$vitest-llm-evals': '-0' } }
 */
export function encodeToolValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : tag(Object.is(value, -0) ? '-0' : String(value))
  if (value === undefined) return tag('undefined')
  if (Array.isArray(value)) return mapArray(value, encodeToolValue)
  if (value === null || typeof value !== 'object') return value
  const encoded = mapObject(value, encodeToolValue)
  return Object.hasOwn(value, TOOL_VALUE_TAG) ? { [TOOL_VALUE_TAG]: 'object', value: encoded } : encoded
}

/**
 * The value a stored `value` stands for (see {@link encodeToolValue}): the same object where it holds no tag.
 *
 * @example
 * decodeToolValue({ delta: { '$vitest-llm-evals': '-0' } }) // { delta: -0 }
 */
export function decodeToolValue(value: unknown): unknown {
  if (Array.isArray(value)) return mapArray(value, decodeToolValue)
  if (value === null || typeof value !== 'object') return value
  if (!Object.hasOwn(value, TOOL_VALUE_TAG)) return mapObject(value, decodeToolValue)
  const { [TOOL_VALUE_TAG]: kind, ...rest } = value as Record<string, unknown>
  const keys = Object.keys(rest)
  if (keys.length === 0 && typeof kind === 'string' && Object.hasOwn(NUMBERS, kind)) return NUMBERS[kind]
  if (keys.length === 0 && kind === 'undefined') return undefined
  const wrapped = rest.value
  if (kind === 'object' && keys.length === 1 && keys[0] === 'value' && typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped)) return mapObject(wrapped, decodeToolValue)
  // Not a tag this version writes (an object of an older cassette that happens to have the key): read as it is.
  return mapObject(value, decodeToolValue)
}

function tag(kind: string): Record<string, string> {
  return { [TOOL_VALUE_TAG]: kind }
}

/** `items` mapped, or `items` itself when no item changed (a replay of plain JSON copies nothing here). */
function mapArray(items: readonly unknown[], map: (item: unknown) => unknown): unknown[] {
  let copy: unknown[] | undefined
  for (let index = 0; index < items.length; index++) {
    const item = items[index]
    const mapped = map(item)
    if (!Object.is(mapped, item)) copy ??= items.slice(0, index)
    if (copy) copy[index] = mapped
  }
  return copy ?? (items as unknown[])
}

/** `object`'s own fields mapped, or `object` itself when none changed (copied only from the first change); an own `__proto__` key stays a field. */
function mapObject(object: object, map: (item: unknown) => unknown): object {
  const fields = object as Record<string, unknown>
  const keys = Object.keys(object)
  let copy: Record<string, unknown> | undefined
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!
    const mapped = map(fields[key])
    if (copy === undefined && !Object.is(mapped, fields[key])) {
      copy = {}
      for (const earlier of keys.slice(0, index)) setField(copy, earlier, fields[earlier])
    }
    if (copy) setField(copy, key, mapped)
  }
  return copy ?? object
}

function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
