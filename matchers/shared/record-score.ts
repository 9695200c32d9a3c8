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

/**
 * `value` as a JSON round trip returns it. Most matchers' `details` are flat plain objects of strings,
 * finite numbers and booleans (`{ method: 'levenshtein' }`): those are copied field by field, which gives the
 * same object as the round trip without serializing and parsing text per call (thousands of cases). Anything
 * else (arrays, nested objects, class instances, `toJSON`, NaN, bigint) takes the round trip itself.
 */
function detached(value: object): unknown {
  // A proxy's traps and a getter run once, in the round trip, as before this fast path.
  if (types.isProxy(value)) return jsonClone(value)
  const prototype = Object.getPrototypeOf(value) as unknown
  if (prototype !== Object.prototype && prototype !== null) return jsonClone(value)
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)
    if (!descriptor || !('value' in descriptor)) return jsonClone(value)
    const field = descriptor.value as unknown
    if (field === undefined) continue // the round trip leaves undefined fields out
    // `__proto__` as a key would set the copy's prototype; -0 reads back as 0; NaN and Infinity as null.
    const plain = typeof field === 'string' || typeof field === 'boolean' || (typeof field === 'number' && Number.isFinite(field) && !Object.is(field, -0))
    if (!plain || key === '__proto__') return jsonClone(value)
    copy[key] = field
  }
  return copy
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
