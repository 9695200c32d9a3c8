// A plain `test()` with matchers has no `task.meta.output` (eval suites set it), so the report and the
// review page could show only scores and reasons: a reviewer cannot label what they cannot see. The
// matchers that score a model's text keep a bounded copy of the first text they score in a test.
import type { MatcherState } from 'vitest'
import { runningTest } from './running-test.js'
import { keepTrialOutput, runsTrials, type TrialOutputs } from '../../src/suites/trial-outputs.js'

/** Longest output kept on a test (reports cut it further, to `history.maxTextChars`). */
export const MAX_KEPT_OUTPUT_CHARS = 20_000

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
  const task = runningTest(state)
  const meta = task?.meta as { output?: unknown; trialOutputs?: TrialOutputs } | undefined
  if (!task || !meta) return
  // Under Vitest's repeats each repeat's first text is kept too (an eval suite keeps its trials' itself).
  const repeat = task.result?.repeatCount ?? 0
  if (runsTrials(task) && meta.trialOutputs?.[String(repeat)] === undefined) keepTrialOutput(meta, repeat, received)
  if (meta.output !== undefined) return
  meta.output = received.length > MAX_KEPT_OUTPUT_CHARS ? received.slice(0, MAX_KEPT_OUTPUT_CHARS) : received
}
