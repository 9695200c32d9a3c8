import { types } from 'node:util'
import type { MatcherState } from 'vitest'
import { ERROR_PREFIX } from '../../src/errors/index.js'
import type { ScoreRecord } from '../../src/metrics/score-record.js'
import { matcherLocation } from './call-site.js'
import { runningTest } from './running-test.js'

/** What a matcher knows about its score; the test supplies `caseId` and `attempt`. */
export type ScoreInput = Omit<ScoreRecord, 'attempt' | 'caseId'>

type RunningTest = NonNullable<MatcherState['task']>

function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** Returned by {@link plainCopy} for a value it does not copy as the round trip would. */
const NOT_PLAIN = Symbol('not plain')

/** Nesting past this takes the round trip (which also reports a cycle as it always did). */
const MAX_PLAIN_DEPTH = 20

/**
 * `value` as a JSON round trip returns it. Most matchers' `details` are small plain objects of strings, finite
 * numbers, booleans and `null`, some with a nested object or array (`toCallTool`'s `times: { min, max }`): those
 * are copied field by field, which gives the same value as the round trip without serializing and parsing text
 * per call (thousands of cases). Anything else (class instances, `toJSON`, getters, NaN, bigint, an `undefined`
 * array item) takes the round trip itself.
 */
function detached(value: object): unknown {
  const copy = plainCopy(value, 0)
  return copy === NOT_PLAIN ? jsonClone(value) : copy
}

function plainCopy(value: object, depth: number): unknown {
  // A proxy's traps and a getter run once, in the round trip, as before this fast path.
  if (depth > MAX_PLAIN_DEPTH || types.isProxy(value)) return NOT_PLAIN
  if (Array.isArray(value)) {
    const items = value as unknown[]
    if (typeof (items as { toJSON?: unknown }).toJSON === 'function') return NOT_PLAIN
    const copy: unknown[] = []
    for (let index = 0; index < items.length; index++) {
      // A hole or an undefined item reads back as null: the round trip says so.
      const item = index in items ? plainField(items[index], depth) : NOT_PLAIN
      if (item === NOT_PLAIN || item === undefined) return NOT_PLAIN
      copy.push(item)
    }
    return copy
  }
  const prototype = Object.getPrototypeOf(value) as unknown
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)
    // `__proto__` as a key would set the copy's prototype.
    if (!descriptor || !('value' in descriptor) || key === '__proto__') return NOT_PLAIN
    const field = plainField(descriptor.value, depth)
    if (field === NOT_PLAIN) return NOT_PLAIN
    if (field !== undefined) copy[key] = field // the round trip leaves undefined fields out
  }
  return copy
}

/** A field as the round trip gives it (`undefined` stays undefined: the caller decides), or NOT_PLAIN. */
function plainField(field: unknown, depth: number): unknown {
  // -0 reads back as 0; NaN and Infinity as null.
  if (field === undefined || field === null || typeof field === 'string' || typeof field === 'boolean') return field
  if (typeof field === 'number') return Number.isFinite(field) && !Object.is(field, -0) ? field : NOT_PLAIN
  return typeof field === 'object' ? plainCopy(field, depth + 1) : NOT_PLAIN
}

/** Retry and repeat counters of the attempt that is running. */
function currentAttempt(task: RunningTest): ScoreRecord['attempt'] {
  return { retry: task.result?.retryCount ?? 0, repeat: task.result?.repeatCount ?? 0 }
}

/**
 * Builds the score record of one matcher call and pushes it onto the test the assertion belongs to
 * (`this.task`, which the test context's `expect` binds; with the global `expect` in a concurrent test, the
 * test whose code made the call: see `running-test.ts`).
 * The record keeps the test file line of the matcher call (`location`), where the reporter's annotation of
 * the score points (see `reporters/score-annotations.ts`). Outside a test (no task) the record is only returned.
 *
 * @example
 * recordScore(this, { metric: 'schema', score: 1, pass: true })
 */
export function recordScore(state: MatcherState, input: ScoreInput): ScoreRecord {
  if (!Number.isFinite(input.score) || input.score < 0 || input.score > 1) {
    throw new RangeError(`${ERROR_PREFIX} ${input.metric} produced the score ${input.score}; scores must be within 0..1 (a bug in the scorer).`)
  }
  const task = runningTest(state)
  const meta = (task?.meta ?? {}) as { evals?: ScoreRecord[]; caseId?: unknown }
  const caseId = typeof meta.caseId === 'string' || typeof meta.caseId === 'number' ? String(meta.caseId) : undefined
  // A plain, detached record (it crosses to the main process and into the history): undefined fields are
  // left out and nested values cloned through JSON, as a JSON round trip of the whole record would (at a
  // fraction of its cost, which matters at thousands of cases).
  const record: Record<string, unknown> = {}
  for (const key of Object.keys(input)) {
    const value = (input as Record<string, unknown>)[key]
    if (value !== undefined) record[key] = typeof value === 'object' && value !== null ? detached(value) : value
  }
  if (caseId !== undefined) record.caseId = caseId
  record.attempt = task ? currentAttempt(task) : { retry: 0, repeat: 0 }
  if (task) {
    const location = matcherLocation(state, task.file?.filepath)
    if (location) record.location = location
    meta.evals ??= []
    meta.evals.push(record as unknown as ScoreRecord)
  }
  return record as unknown as ScoreRecord
}
