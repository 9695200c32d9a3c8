// The shape check of a cassette read from disk, by hand: zod took ~0.1 ms per entry (a 1,000-call cassette
// cost ~0.1 s before its first replay) and loading zod itself is a fixed cost of every worker that replays.
// It accepts only what the zod schema (`cassette-schema.ts`) accepts unchanged: anything else, an unknown
// field included (zod drops those), goes through zod, which explains a bad entry or returns the cleaned copy.
// One deliberate difference: an own `__proto__` key of a query or headers record is accepted here as data; zod would
// drop it (parseCassette puts it back when a cassette takes zod's path for another reason).
import type { CassetteDocument, ToolRecord } from './entry.js'

type Check = (value: unknown) => boolean

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isString: Check = (value) => typeof value === 'string'
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value)
const isInteger: Check = (value) => Number.isSafeInteger(value)
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0
const optional = (check: Check): Check => (value) => value === undefined || check(value)
const anything: Check = () => true
const isArrayOf = (check: Check): Check => (value) => Array.isArray(value) && value.every(check)

/** An object with only these fields, each passing its check (absent fields are `undefined`). */
function isExactly(fields: Readonly<Record<string, Check>>): Check {
  const names = Object.keys(fields)
  return (value) => {
    if (!isObject(value)) return false
    for (const name in value) if (!Object.hasOwn(fields, name)) return false
    return names.every((name) => (fields[name] as Check)(value[name]))
  }
}

/** A record (`z.record(z.string(), …)`). An own `__proto__` key (JSON.parse makes one) is data, checked like any other. */
const isRecordOf = (check: Check): Check => (value) => {
  if (!isObject(value)) return false
  for (const name in value) if (!check(value[name])) return false
  return true
}

const isStrings = isArrayOf(isString)
const isQueryValue: Check = (value) => typeof value === 'string' || isStrings(value)
const isTypedHeader = isExactly({ type: isString, value: (inner) => typeof inner === 'string' || typeof inner === 'boolean' || isNumber(inner) })
const isEventHeader: Check = (value) => typeof value === 'string' || isTypedHeader(value)

const isRequest = isExactly({ url: isString, method: isString, path: isString, query: isRecordOf(isQueryValue), headers: isRecordOf(isString), body: anything })

const isEntry = isExactly({
  test: isString,
  project: optional(isString),
  repeat: isCount,
  call: isCount,
  role: (value) => value === 'app' || value === 'judge' || value === 'simulator',
  key: optional(isString),
  // zod gives an absent body as \`body: undefined\`; the library always writes one (\`null\` when there is none).
  request: (value) => isObject(value) && Object.hasOwn(value, 'body') && isRequest(value),
  response: isExactly({
    status: isInteger,
    statusText: optional(isString),
    headers: isRecordOf(isString),
    json: anything,
    text: optional(isString),
    chunks: optional(isStrings),
    aborted: optional((value) => value === true),
    events: optional(isArrayOf(isExactly({ headers: isRecordOf(isEventHeader), json: anything, text: optional(isString), base64: optional(isString), bytesJson: optional((value) => value === true) }))),
    file: optional(isString),
  }),
  meta: isExactly({ recordedAt: isString, latencyMs: isNumber, usage: optional(isExactly({ inputTokens: optional(isNumber), outputTokens: optional(isNumber) })) }),
})

const isTool = isExactly({
  test: isString,
  project: optional(isString),
  repeat: isCount,
  call: isCount,
  name: isString,
  key: isString,
  occurrence: isCount,
  args: anything,
  result: anything,
  error: optional(isExactly({ name: isString, message: isString, code: optional((value) => typeof value === 'string' || isNumber(value)) })),
  meta: isExactly({ recordedAt: isString, latencyMs: isNumber }),
})

const isUnrecorded = isExactly({
  test: isString,
  project: optional(isString),
  repeat: isCount,
  key: isString,
  occurrence: isCount,
  method: isString,
  path: isString,
  reason: (value) => value === 'test-timeout' || value === 'app-abort' || value === 'test-ended' || value === 'refused',
  detail: optional(isString),
  at: isString,
  mode: isString,
})

/**
 * True when `raw` (parsed JSON) is a cassette document exactly as the schema would return it: version 1, every
 * entry and tool record well formed, no field the schema does not know.
 */
export function isPlainCassette(raw: unknown): raw is CassetteDocument & { tools?: ToolRecord[] } {
  if (!isObject(raw)) return false
  for (const name in raw) if (name !== 'version' && name !== 'entries' && name !== 'tools' && name !== 'unrecorded') return false
  return raw['version'] === 1 && isArrayOf(isEntry)(raw['entries']) && optional(isArrayOf(isTool))(raw['tools']) && optional(isArrayOf(isUnrecorded))(raw['unrecorded'])
}
