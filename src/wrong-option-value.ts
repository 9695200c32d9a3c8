// The line of an `llmEvals()` option error for a value of the wrong type or range: the option's path, what the
// schema expects (in words, from the schema itself) and the value given, bounded, escaped and with secrets hidden
// (`judge.apiKeyEnv: 'sk-…'` must not print the key). Used by config.ts only when options are wrong.
import { z } from 'zod'
import { hideSecrets, liveSecrets, scrubShown } from './cassettes/redact.js'
import { closestName, shownName } from './closest-name.js'
import { groupThousands } from './format-number.js'
import { printValue } from './print-value.js'

/** Longest value shown (then `…`): enough to recognise it, never a pasted document. */
const MAX_VALUE_CHARS = 60
/** How much of a value is printed and searched for secrets before it is cut. */
const SCANNED_CHARS = 4_000
/** Options whose value may be a credential pasted in the wrong place: never shown. */
const HIDDEN_VALUES = new Set(['apiKeyEnv'])
/** Codes of the issues about the value's type or range, worded from the schema; others keep their own message. */
const TYPE_CODES = new Set(['invalid_type', 'invalid_union', 'invalid_value', 'too_small', 'too_big'])

/**
 * `` `gate.tolerance`: expected a number from 0 to 1, received "5%" `` for one issue of `root` on `input`.
 *
 * @example
 * wrongValueLine(issue, { gate: { tolerance: '5%' } }, optionsSchema) // '`gate.tolerance`: expected a number from 0 to 1, received "5%"'
 */
export function wrongValueLine(issue: z.core.$ZodIssue, input: unknown, root: z.ZodType): string {
  const path = issue.path.map(String)
  const where = path.length ? `\`${shownName(path.join('.'))}\`` : 'options'
  const value = valueAt(input, path)
  const expected = describeExpected(schemaAt(root, path))
  const hidden = HIDDEN_VALUES.has(path.at(-1) ?? '')
  const own = issue.message.replace(/^Invalid input: /u, '').replace(/, received \w+$/u, '')
  const what = TYPE_CODES.has(issue.code) && expected ? `expected ${expected}` : own.charAt(0).toLowerCase() + own.slice(1)
  // Missing (a required option, or one a rule across fields asks for), or never shown: no value to print.
  if (value === undefined) return `${where}: ${issue.code === 'invalid_type' ? 'missing; ' : ''}${what}`
  if (hidden) return `${where}: ${what}`
  const meant = typeof value === 'string' && issue.code === 'invalid_value' ? closestName(value, issue.values.filter((option): option is string => typeof option === 'string')) : undefined
  const shown = shownValue(value)
  // A check's own message may name the value already (`"a b" is not a host name: …`).
  return `${where}: ${what}${typeof value === 'string' && what.includes(shown) ? '' : `, received ${shown}`}${meant ? `; did you mean "${meant}"?` : ''}`
}

/** The value at `path` in the options, read without running getters of inherited properties; undefined where there is none. */
function valueAt(input: unknown, path: readonly string[]): unknown {
  let value = input
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined
    try {
      value = (value as Record<string, unknown>)[segment]
    } catch {
      return undefined
    }
  }
  return value
}

/** A value as the message shows it: one line, at most {@link MAX_VALUE_CHARS}, known key patterns and live secret values hidden. */
function shownValue(value: unknown): string {
  // Secrets are hidden before the text is cut: a cut would leave a key's first characters unmatched.
  const text = typeof value === 'string' ? JSON.stringify(value.slice(0, SCANNED_CHARS)) : value instanceof RegExp ? String(value).slice(0, SCANNED_CHARS) : printValue(value, { maxChars: SCANNED_CHARS })
  const safe = hideSecrets(scrubShown(text), liveSecrets())
  const more = typeof value === 'string' ? ` (${groupThousands(value.length)} chars)` : ''
  // JSON.stringify escapes C0 controls and lone surrogates, not C1 controls or line separators: shownName does.
  return safe.length > MAX_VALUE_CHARS ? `${shownName(safe, MAX_VALUE_CHARS)}${more}` : shownName(safe)
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? unwrap(schema.unwrap() as z.ZodType) : schema
}

/** The schema of the option at `path`: through objects, records, arrays and the branch of a union that has the key. */
function schemaAt(root: z.ZodType, path: readonly string[]): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root
  for (const segment of path) {
    schema = schema && childSchema(unwrap(schema), segment)
    if (!schema) return undefined
  }
  return schema
}

function childSchema(schema: z.ZodType, segment: string): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) return schema.shape[segment] as z.ZodType | undefined
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType
  if (schema instanceof z.ZodArray) return schema.element as z.ZodType
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).map((option) => childSchema(unwrap(option), segment)).find(Boolean)
  return undefined
}

/** What a schema accepts, in words (`a number from 0 to 1`, `false or an object ({ html, json, … })`); undefined when it cannot say. */
export function describeExpected(schema: z.ZodType | undefined): string | undefined {
  const options = schema && expectedOptions(schema)
  if (!options) return undefined
  return options.length <= 2 ? options.join(' or ') : `${options.slice(0, -1).join(', ')} or ${options.at(-1)}`
}

/** What a schema accepts, as the options of a list (a union's branches, `true` and `false` for a boolean). */
function expectedOptions(schema: z.ZodType): string[] | undefined {
  const inner = unwrap(schema)
  if (inner instanceof z.ZodUnion) {
    const options = (inner.options as z.ZodType[]).map(expectedOptions)
    return options.every(Boolean) ? options.flatMap((option) => option ?? []) : undefined
  }
  if (inner instanceof z.ZodLiteral) return [...inner.values].map((value) => JSON.stringify(value))
  if (inner instanceof z.ZodBoolean) return ['true', 'false']
  const described = describeOne(inner)
  return described === undefined ? undefined : [described]
}

function describeOne(inner: z.ZodType): string | undefined {
  if (inner instanceof z.ZodEnum) return `one of ${inner.options.map((option) => JSON.stringify(option)).join(', ')}`
  if (inner instanceof z.ZodURL) return 'a URL'
  if (inner instanceof z.ZodString) {
    const min = checksOf(inner).find((check) => check.check === 'min_length')?.minimum
    return typeof min === 'number' && min > 1 ? `a string of at least ${min} characters` : min === 1 ? 'a non-empty string' : 'a string'
  }
  if (inner instanceof z.ZodNumber) return describeNumber(inner)
  if (inner instanceof z.ZodArray) return 'an array'
  if (inner instanceof z.ZodRecord) return 'an object'
  if (inner instanceof z.ZodObject) {
    const keys = Object.keys(inner.shape)
    return `an object ({ ${[...keys.slice(0, 3), ...(keys.length > 3 ? ['…'] : [])].join(', ')} })`
  }
  // `z.instanceof(RegExp).describe('RegExp')`; the options' other custom check is a function (as config-reference.ts reads them).
  if (inner instanceof z.ZodCustom) return inner.description === 'RegExp' ? 'a RegExp' : 'a function'
  return undefined
}

type CheckDef = { check?: string; value?: unknown; inclusive?: boolean; minimum?: unknown; format?: string }

function checksOf(schema: z.ZodType): CheckDef[] {
  return ((schema._zod.def as { checks?: { _zod: { def: CheckDef } }[] }).checks ?? []).map((check) => check._zod.def)
}

function describeNumber(schema: z.ZodNumber): string {
  const checks = checksOf(schema)
  const kind = schema.format?.includes('int') ? 'a whole number' : 'a number'
  const lower = checks.find((check) => check.check === 'greater_than')
  const upper = checks.find((check) => check.check === 'less_than')
  if (lower?.inclusive && upper?.inclusive) return `${kind} from ${String(lower.value)} to ${String(upper.value)}`
  const bounds = [
    ...(lower ? [lower.inclusive ? `of at least ${String(lower.value)}` : `above ${String(lower.value)}`] : []),
    ...(upper ? [upper.inclusive ? `at most ${String(upper.value)}` : `below ${String(upper.value)}`] : []),
  ]
  return bounds.length ? `${kind} ${bounds.join(' and ')}` : kind
}
