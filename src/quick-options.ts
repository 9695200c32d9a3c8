// A hand check of the common `llmEvals()` options, so the plugin entry validates them without zod: loading zod
// and building the options schema cost the main process ~40 ms before the first worker could start (issue 17,
// BENCHMARKS.md). It only ever says "valid" for options the zod schema (config.ts) accepts too, and returns a
// copy equal to what the schema would; anything it does not know, or finds wrong, is left to the schema,
// which the plugin then loads to validate them and word the error (test/src/quick-options.test.ts checks
// both agree).
import { CASSETTE_MODES } from './cassettes/mode.js'
import { hostPatternProblem } from './cassettes/hosts.js'
import type { ParsedOptions } from './provided-options.js'

type Check = (value: unknown) => boolean

/** Same as MAX_JUDGE_TIMEOUT_MS (judge/judge.ts, not imported: it would bring the judge code along). */
export const MAX_TIMEOUT_MS = 2_147_483_647

const isPlain = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return (proto === Object.prototype || proto === null) && Object.getOwnPropertySymbols(value).length === 0
}
const optional = (check: Check): Check => (value) => value === undefined || check(value)
const either = (...checks: Check[]): Check => (value) => checks.some((check) => check(value))
const exactly = (literal: unknown): Check => (value) => value === literal
const oneOf = (values: readonly unknown[]): Check => (value) => values.includes(value)
const boolean: Check = (value) => typeof value === 'boolean'
const text = (min: number): Check => (value) => typeof value === 'string' && value.length >= min
const number = (min = -Infinity, max = Infinity): Check => (value) => typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
const integer = (min: number, max = Number.MAX_SAFE_INTEGER): Check => (value) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
// Every index, holes included (`every` skips them; the schema reads them as undefined).
const arrayOf = (check: Check): Check => (value) => Array.isArray(value) && Array.from(value).every(check)
const recordOf = (check: Check): Check => (value) => isPlain(value) && Object.values(value).every(check)
/** A strict object: only the keys of `shape` (each optional unless `required`), nothing else. */
const object =
  (shape: Record<string, Check>, required: readonly string[] = []): Check =>
  (value) =>
    isPlain(value) && required.every((key) => value[key] !== undefined) && Object.keys(value).every((key) => Object.hasOwn(shape, key) && optional(shape[key] as Check)(value[key]))

const hostPattern: Check = (value) => typeof value === 'string' && hostPatternProblem(value) === undefined
const share = number(0, 1)

// Mirrors optionsSchema (config.ts) field by field. Left out, so always checked by the schema: `judge.baseURL`,
// `judge.apiKeyEnv` and provider `openai-compatible` (their rules span fields).
const judge = object(
  {
    provider: oneOf(['openai', 'anthropic', 'google']),
    model: text(1),
    temperature: number(0, 2),
    maxConcurrency: integer(1),
    samples: (value) => integer(1)(value) && (value as number) % 2 === 1,
    maxRetries: integer(0),
    maxTokens: integer(1),
    timeoutMs: integer(1, MAX_TIMEOUT_MS),
  },
  ['provider', 'model'],
)
const options = object({
  cassettes: either(
    exactly(false),
    object({
      mode: oneOf(CASSETTE_MODES),
      dir: text(1),
      hosts: arrayOf(hostPattern),
      redact: arrayOf(either(text(4), (value) => value instanceof RegExp)),
      normalizeRequest: (value) => typeof value === 'function',
      maxInlineBytes: integer(1),
    }),
  ),
  judge,
  history: either(
    exactly(false),
    object({ file: text(1), baselineBranch: text(1), keepCaseScores: integer(0), keepCaseDetails: integer(0), maxTextChars: integer(1), watch: boolean }),
  ),
  report: either(exactly(false), object({ html: either(text(1), boolean), json: either(text(1), boolean), stepSummary: boolean, live: boolean })),
  gate: object({
    failOnRegression: boolean,
    tolerance: share,
    confidence: number(0.5, 0.999),
    minScore: either(share, recordOf(share)),
    agreement: object({ minKappa: number(-1, 1), minFailureRecall: share, minN: integer(1) }),
  }),
  labels: object({ file: text(1) }, ['file']),
  annotations: boolean,
  pricing: recordOf(object({ input: number(0), output: number(0) }, ['input', 'output'])),
})

/** Plain objects and arrays copied (as zod's parse copies them); regular expressions and functions kept. */
function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as T
  if (isPlain(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, copy(inner)])) as T
  return value
}

/**
 * The options, copied, when the hand check knows them all and finds them valid; `undefined` when the zod
 * schema must decide (an unusual option, or a wrong one: the schema words the error). Pure.
 *
 * @example
 * quickParseOptions({ history: false }) // { history: false }
 * quickParseOptions({ cassettes: { mdoe: 'replay' } }) // undefined: parseOptions (config.ts) throws the error
 */
export function quickParseOptions(input: unknown): ParsedOptions | undefined {
  const value = input ?? {}
  return options(value) ? (copy(value) as ParsedOptions) : undefined
}
