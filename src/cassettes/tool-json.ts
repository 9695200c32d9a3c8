// What a recorded tool may be called with (plain JSON: arguments are matched by their canonical JSON) and what it
// may return or throw (plain JSON plus what `tool-value.ts` keeps: -0, NaN, ±Infinity, undefined), so that what
// replays is what was recorded. Pure: no Vitest, no I/O.
import { printableText } from './one-line.js'

/** Where a value stops being JSON, what is there, and how to make it JSON. */
export interface JsonProblem {
  /** Path of the offending value, e.g. `result.orders[2].createdAt`. */
  path: string
  /** What is there, e.g. `a Date`, `a circular reference to result`. */
  found: string
  hint: string
}

/** Deeper nesting than this is reported rather than walked (no input may exhaust the stack). */
const MAX_DEPTH = 500

/**
 * The first place where `value` is not plain JSON (objects with the plain prototype or none, arrays,
 * strings, finite numbers, booleans, `null`), or `undefined` when it all is. An `undefined` object property
 * is allowed (JSON leaves it out); an `undefined` array item is not (JSON would turn it into `null`).
 *
 * @example
 * jsonProblem({ at: new Date() }, 'result') // { path: 'result.at', found: 'a Date', hint: 'return `date.toISOString()`' }
 */
export function jsonProblem(value: unknown, path: string): JsonProblem | undefined {
  return walk(value, path, { open: new Map(), kept: false }, 0)
}

/**
 * The first place where `value` is neither plain JSON nor one of the values a tool recording keeps as they are
 * (-0, NaN, ±Infinity, `undefined` anywhere: see `encodeToolValue`), or `undefined` when there is none. A hole in an
 * array is a problem (a replay could only give back `undefined` there).
 *
 * @example
 * toolValueProblem({ delta: -0, items: [1, undefined] }, 'result') // undefined
 * toolValueProblem({ at: new Date() }, 'result') // { path: 'result.at', found: 'a Date', hint: 'return `date.toISOString()`' }
 */
export function toolValueProblem(value: unknown, path: string): JsonProblem | undefined {
  return walk(value, path, { open: new Map(), kept: true }, 0)
}

interface Walk {
  /** The objects on the path to the value, with their paths (a cycle goes back to one). */
  open: Map<object, string>
  /** True when -0, NaN, ±Infinity and `undefined` are kept (tool results and thrown values), false for plain JSON. */
  kept: boolean
}

function walk(value: unknown, path: string, context: Walk, depth: number): JsonProblem | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined
  if (typeof value === 'number') return Number.isFinite(value) || context.kept ? undefined : { path, found: String(value), hint: 'JSON has no NaN or Infinity: return null or a string' }
  if (typeof value === 'undefined') return context.kept ? undefined : { path, found: 'undefined', hint: 'JSON would turn it into null: return null' }
  if (typeof value === 'bigint') return { path, found: 'a BigInt', hint: 'return it as a string (`String(value)`) or a number' }
  if (typeof value === 'function') return { path, found: 'a function', hint: 'leave it out of what the tool returns' }
  if (typeof value === 'symbol') return { path, found: 'a symbol', hint: 'return a string instead' }
  const { open } = context
  const seenAt = open.get(value)
  if (seenAt !== undefined) return { path, found: `a circular reference to ${seenAt}`, hint: 'return a copy without the cycle' }
  if (depth >= MAX_DEPTH) return { path, found: `nesting deeper than ${MAX_DEPTH} levels`, hint: 'return a flatter value' }
  if (!Array.isArray(value) && !isPlainObject(value)) return { path, found: describeObject(value), hint: hintFor(value) }
  open.set(value, path)
  try {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        if (!(index in value)) return { path: `${path}[${index}]`, found: 'a hole (the array is sparse)', hint: 'fill it: `Array.from(array)` (undefined there) or `null`' }
        const problem = walk(value[index], `${path}[${index}]`, context, depth + 1)
        if (problem) return problem
      }
      return undefined
    }
    for (const [key, inner] of Object.entries(value)) {
      if (inner === undefined) continue
      const problem = walk(inner, `${path}${propertyPath(key)}`, context, depth + 1)
      if (problem) return problem
    }
    return undefined
  } finally {
    open.delete(value)
  }
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

/** `.name`, or `["odd key"]` for a key that is not an identifier. */
function propertyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${printableText(JSON.stringify(key))}]`
}

function describeObject(value: object): string {
  const name = (value.constructor as { name?: unknown } | undefined)?.name
  if (typeof name !== 'string' || name === '') return 'an object with a custom prototype'
  // `a Uint8Array`, `a URL`, `a UserRecord`: an initial U said "you" takes `a`.
  return `${/^([AEIO]|U(?!int|ni|s|R))/.test(name) ? 'an' : 'a'} ${name}`
}

function hintFor(value: object): string {
  if (value instanceof Date) return 'return `date.toISOString()`'
  if (value instanceof Map) return 'return `Object.fromEntries(map)` or `[...map]`'
  if (value instanceof Set) return 'return `[...set]`'
  if (value instanceof Error) return 'throw it instead (a thrown error is recorded), or return its message'
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return 'return the bytes as a base64 string'
  return 'return a plain object with its fields (e.g. `{ ...value }` or its `toJSON()`)'
}
