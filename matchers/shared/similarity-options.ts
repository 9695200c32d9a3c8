// Options of `toBeSimilarTo` checked without zod: the common call (`{ method, threshold }`, plain data) is
// accepted by a few comparisons, so a worker whose tests only compare texts never loads zod (issue 17). Any
// options this check does not accept go to the zod schema, loaded then, which gives the same result and the
// same error messages as before; the matcher is asynchronous already, so the caller awaits either way.
import type { Embedder } from '../../src/judge/embedder.js'
import { SIMILARITY_METHODS, type SimilarityMethod } from '../../src/metrics/similarity/index.js'
import { parseMatcherOptions } from './options.js'

/** Similarity options after validation, with the defaults applied. */
export interface ParsedSimilarityOptions {
  method: SimilarityMethod
  threshold: number
  embedder?: Embedder | undefined
  maxPairs?: number | undefined
}

const KNOWN_KEYS: ReadonlySet<string> = new Set(['method', 'threshold', 'embedder', 'maxPairs'])

const isUnitNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1

/**
 * The options with defaults when they are certainly valid (what the zod schema would return for them), else
 * `undefined`: unknown keys, wrong types, out-of-range numbers and anything unusual are left to the schema.
 *
 * @example
 * checkSimilarityOptions({ method: 'levenshtein' }) // { method: 'levenshtein', threshold: 0.8 }
 * checkSimilarityOptions({ method: 'cosine' }) // undefined
 */
export function checkSimilarityOptions(options: unknown): ParsedSimilarityOptions | undefined {
  if (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype) return undefined
  for (const key of Object.keys(options)) if (!KNOWN_KEYS.has(key)) return undefined
  const { method = 'rouge-l', threshold = 0.8, embedder, maxPairs } = options as Record<string, unknown>
  if (!(SIMILARITY_METHODS as readonly unknown[]).includes(method) || !isUnitNumber(threshold)) return undefined
  if (embedder !== undefined && typeof (embedder as Embedder | null)?.embed !== 'function') return undefined
  if (maxPairs !== undefined && !(typeof maxPairs === 'number' && Number.isFinite(maxPairs) && maxPairs > 0)) return undefined
  const parsed: ParsedSimilarityOptions = { method: method as SimilarityMethod, threshold }
  if (embedder !== undefined) parsed.embedder = embedder as Embedder
  if (maxPairs !== undefined) parsed.maxPairs = maxPairs
  return parsed
}

/**
 * Validates similarity options: synchronously when {@link checkSimilarityOptions} accepts them, else through the
 * zod schema (loaded on demand), which returns them or rejects with the ConfigError naming each bad option.
 *
 * @example
 * const { method, threshold } = await parseSimilarityOptions('toBeSimilarTo', options)
 */
export function parseSimilarityOptions(matcherName: string, options: unknown): ParsedSimilarityOptions | Promise<ParsedSimilarityOptions> {
  return (
    checkSimilarityOptions(options) ??
    import('./similarity-options-schema.js').then(({ similarityOptionsSchema }) => parseMatcherOptions(matcherName, similarityOptionsSchema(), options))
  )
}
