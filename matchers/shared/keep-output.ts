// A plain `test()` with matchers has no `task.meta.output` (eval suites set it), so the report and the
// review page could show only scores and reasons: a reviewer cannot label what they cannot see. The
// matchers that score a model's text keep a bounded copy of the first text they score in a test.
import type { MatcherState } from 'vitest'
import { runningTest } from './running-test.js'
import { keepTrialOutput, runsTrials, type TrialOutputs } from '../../src/suites/trial-outputs.js'

/** Longest output kept on a test (reports cut it further, to `history.maxTextChars`). */
export const MAX_KEPT_OUTPUT_CHARS = 20_000

/** Per test: the try (`retryCount`) each repeat's kept output came from, so a retry's text replaces a failed try's. */
const keptOnTry = new WeakMap<object, Map<number, number>>()

/** The matchers whose received value is the model's output text (not chunks, ids, traces or conversations). */
export const OUTPUT_MATCHERS: ReadonlySet<string> = new Set(['toBeFactual', 'toBeGroundedIn', 'toBeRelevantTo', 'toBeSimilarTo', 'toFollowInstructions', 'toMatchResponseSnapshot', 'toMatchSchema', 'toPreferOver', 'toRecallReference', 'toSatisfyRubric'])

/**
 * Keeps `received` as the running test's `task.meta.output` when it is text and the test has none yet
 * (an eval suite's output, or the first text scored, stays); under Vitest's `repeats`, also as that repeat's output.
 *
 * @example
 * keepOutput(this, received) // in a matcher wrapper
 */
export function keepOutput(state: MatcherState, received: unknown): void {
  if (typeof received !== 'string') return
  const meta = keepRepeatOutput(state, received)
  if (!meta || meta.output !== undefined) return
  meta.output = received.length > MAX_KEPT_OUTPUT_CHARS ? received.slice(0, MAX_KEPT_OUTPUT_CHARS) : received
}

/**
 * Under Vitest's `repeats`, keeps `received` as the running repeat's output (`task.meta.trialOutputs`) when that repeat
 * has none yet from this try; returns the test's meta (undefined outside a test). An eval suite keeps its trials' itself.
 *
 * @example
 * keepRepeatOutput(this, 'refund') // toMatchHumanLabel: each repeat's row shows, and hashes, what it graded
 */
export function keepRepeatOutput(state: MatcherState, received: string): { output?: unknown } | undefined {
  const task = runningTest(state)
  const meta = task?.meta as { output?: unknown; trialOutputs?: TrialOutputs; trialOutputHashes?: TrialOutputs } | undefined
  if (!task || !meta) return undefined
  // A retry's first text replaces the failed try's: the repeat's kept score is the retry's (summarize.ts finalRecords).
  const repeat = task.result?.repeatCount ?? 0
  const retry = task.result?.retryCount ?? 0
  const tries = keptOnTry.get(task)
  const keptTry = tries?.get(repeat)
  if (runsTrials(task) && (meta.trialOutputs?.[String(repeat)] === undefined || (keptTry !== undefined && keptTry !== retry))) {
    keepTrialOutput(meta, repeat, received)
    if (tries) tries.set(repeat, retry)
    else keptOnTry.set(task, new Map([[repeat, retry]]))
  }
  return meta
}
