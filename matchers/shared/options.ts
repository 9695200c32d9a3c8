import type { z } from 'zod'
import { ConfigError } from '../../src/errors/index.js'
import { hideSecrets, liveSecrets, scrubShown } from '../../src/cassettes/redact.js'
import { closestName, shownName } from '../../src/closest-name.js'

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

/** zod's definition of a schema (the same in zod and zod/mini), for the keys of an object schema. */
interface SchemaDefinition {
  type?: string
  shape?: Record<string, unknown>
  innerType?: unknown
  in?: unknown
  element?: unknown
}
const definitionOf = (schema: unknown): SchemaDefinition | undefined => (schema as { _zod?: { def?: SchemaDefinition } } | undefined)?._zod?.def
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'])

/** The keys the object schema at `path` inside `schema` allows (undefined where it is not a plain object schema). */
function allowedKeysAt(schema: unknown, path: readonly PropertyKey[]): string[] | undefined {
  let current = schema
  for (let step = 0; step <= path.length; step += 1) {
    for (let unwrapped = 0, definition = definitionOf(current); definition && unwrapped < 10; unwrapped += 1, definition = definitionOf(current)) {
      if (definition.type && WRAPPERS.has(definition.type)) current = definition.innerType
      else if (definition.type === 'pipe') current = definition.in
      else break
    }
    const definition = definitionOf(current)
    if (step === path.length) return definition?.type === 'object' && definition.shape ? Object.keys(definition.shape) : undefined
    const key = path[step]
    if (definition?.type === 'object' && typeof key === 'string' && definition.shape && Object.hasOwn(definition.shape, key)) current = definition.shape[key]
    else if (definition?.type === 'array' && typeof key === 'number') current = definition.element
    else return undefined
  }
  return undefined
}

const MAX_KEYS_NAMED = 5
const named = (key: string) => `\`${shownName(key, 40)}\``

/** `unknown key \`treshold\` (allowed: method, threshold); did you mean \`threshold\`?`: keys bounded and escaped. */
function unknownKeysProblem(keys: readonly string[], allowed: readonly string[] | undefined): string {
  const shown = keys.slice(0, MAX_KEYS_NAMED)
  const more = keys.length > shown.length ? ` (+${keys.length - shown.length} more)` : ''
  const guesses = allowed === undefined ? [] : shown.flatMap((key) => {
    const meant = closestName(key, allowed)
    if (meant === undefined) return []
    return [keys.length === 1 ? named(meant) : `${named(meant)} for ${named(key)}`]
  })
  const allowedText = allowed === undefined ? '' : ` (allowed: ${allowed.join(', ')})`
  return `unknown key${keys.length === 1 ? '' : 's'} ${shown.map(named).join(', ')}${more}${allowedText}${guesses.length ? `; did you mean ${guesses.join(', ')}?` : ''}`
}

/** One line of a misuse error per zod issue; an unknown key names the keys allowed there and the one meant. */
function issueProblem(issue: z.core.$ZodIssue, schema: unknown, value: unknown, argument: string): string {
  if (issue.code === 'unrecognized_keys') return `${describePath(issue.path, argument)}: ${unknownKeysProblem(issue.keys, allowedKeysAt(schema, issue.path))}`
  return `${describePath(issue.path, argument)}: ${issue.message}${gotText(valueAt(value, issue.path))}`
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
    return ` (got ${JSON.stringify(hideSecrets(scrubShown(cut), liveSecrets()))})`
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
    result.error.issues.map((issue) => issueProblem(issue, schema, value, argument)),
  )
}
