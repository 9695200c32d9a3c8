import type { z } from 'zod'
import { ConfigError } from '../../src/errors/index.js'

function describePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'options' : `\`${path.map(String).join('.')}\``
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
 * option (it is a mistake in the test, not a failed assertion). Options made of plain data are validated
 * once per distinct value and the (frozen) result reused: a dataset suite calls the same matcher with the
 * same options thousands of times.
 *
 * @example
 * const options = parseMatcherOptions('toBeSimilarTo', SimilarityOptionsSchema, rawOptions)
 */
export function parseMatcherOptions<Schema extends z.ZodType>(matcherName: string, schema: Schema, value: unknown): z.output<Schema> {
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
  const problems = result.error.issues.map((issue) => `  - ${describePath(issue.path)}: ${issue.message}`)
  throw new ConfigError(`${matcherName}() got invalid options:\n${problems.join('\n')}\nFix the call in your test.`)
}
