import type { z } from 'zod'
import { ConfigError } from '../../src/errors/index.js'
import { hideSecrets, liveSecrets, scrubString } from '../../src/cassettes/redact.js'

function describePath(path: readonly PropertyKey[], argument: string): string {
  return path.length === 0 ? argument : `\`${path.map(String).join('.')}\``
}

/** The value at `path` inside `value` (own properties only), or `undefined`. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

/**
 * ` (got …)`: the bad value when it is a primitive, short, on one line and with known key patterns and live
 * key values hidden (an object may hold a client and its key: only its kind is named).
 *
 * @example
 * `\`mode\` must be one of strict, unordered${gotText('in_order')}` // … (got "in_order")
 */
export function gotText(value: unknown): string {
  if (value === undefined) return ''
  if (typeof value === 'string') {
    const cut = value.length > 60 ? `${value.slice(0, 60)}…` : value
    return ` (got ${JSON.stringify(hideSecrets(scrubString(cut), liveSecrets()))})`
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return ` (got ${String(value)})`
  if (Array.isArray(value)) return ` (got an array of ${value.length})`
  return ` (got ${typeof value === 'function' ? 'a function' : 'an object'})`
}

/**
 * The ConfigError for a misused matcher argument: one bullet per problem, then the fix.
 *
 * @example
 * throw misuseError('toCallTools', 'expected calls', ['expected calls[0] needs a `name` (a string); got keys: tool'])
 */
export function misuseError(matcherName: string, argument: string, problems: readonly string[]): ConfigError {
  return new ConfigError(`${matcherName}() got invalid ${argument}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\nFix the call in your test.`)
}

/** Options already validated, per schema, by their JSON text (only for options made of plain data). */
const validated = new WeakMap<z.ZodType, Map<string, unknown>>()
const MAX_CACHED_PER_SCHEMA = 256

/** True for JSON data that a JSON text identifies exactly: strings, booleans, finite numbers, null, arrays, plain objects. */
function isPlainData(value: unknown, depth = 0): boolean {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (typeof value !== 'object' || depth > 8) return false
  if (Array.isArray(value)) return value.every((item) => isPlainData(item, depth + 1))
  const prototype = Object.getPrototypeOf(value) as unknown
  if (prototype !== Object.prototype && prototype !== null) return false
  return Object.values(value).every((item) => isPlainData(item, depth + 1))
}

/**
 * Validates a matcher's options with zod; misuse throws a ConfigError naming the matcher and each bad
 * option and the value it got (it is a mistake in the test, not a failed assertion); `argument` names what
 * is validated when it is not the options (e.g. `'expected calls'`). Options made of plain data are validated
 * once per distinct value and the (frozen) result reused: a dataset suite calls the same matcher with the
 * same options thousands of times. `schema` may be a getter (built only when needed), and `quick` a hand check
 * that returns what the schema would for the values it knows (undefined for any other): a matcher whose usual
 * options pass it loads no zod. `explain`, a hand check too, names each problem it sees in a value `quick`
 * refused, field by field (zod's own words are generic for unions); what it finds nothing wrong in goes to zod.
 *
 * @example
 * const options = parseMatcherOptions('toBeSimilarTo', similarityOptionsSchema(), rawOptions)
 */
export function parseMatcherOptions<Schema extends z.ZodType>(
  matcherName: string,
  schema: Schema | (() => Schema),
  value: unknown,
  argument = 'options',
  quick?: (value: unknown) => z.output<Schema> | undefined,
  explain?: (value: unknown) => string[],
): z.output<Schema> {
  // What `quick` accepts is what the schema gives for it: zod (and its import) only for the rest, which it explains.
  const accepted = quick?.(value)
  if (accepted !== undefined) return accepted
  const problems = explain?.(value) ?? []
  if (problems.length > 0) throw misuseError(matcherName, argument, problems)
  if (typeof schema === 'function') return parseMatcherOptions(matcherName, schema(), value, argument)
  const key = isPlainData(value) ? (JSON.stringify(value) ?? 'undefined') : undefined
  const cache = key === undefined ? undefined : validated.get(schema)
  if (key !== undefined && cache?.has(key)) return cache.get(key) as z.output<Schema>
  const result = schema.safeParse(value)
  if (result.success) {
    if (key !== undefined) {
      const entries = cache ?? new Map<string, unknown>()
      if (!cache) validated.set(schema, entries)
      if (entries.size >= MAX_CACHED_PER_SCHEMA) entries.clear()
      // Frozen at the top (zod's own object; nested values may be the caller's): shared by later calls.
      entries.set(key, typeof result.data === 'object' && result.data !== null ? Object.freeze(result.data) : result.data)
    }
    return result.data
  }
  throw misuseError(
    matcherName,
    argument,
    result.error.issues.map((issue) => `${describePath(issue.path, argument)}: ${issue.message}${gotText(valueAt(value, issue.path))}`),
  )
}
