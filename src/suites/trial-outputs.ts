// Each trial's output, kept beside the test's `output` when a case runs several trials (`repeats`, or Vitest's
// own repeats), so the review page shows what each trial said and a human label is tied to the output it judged.
// Bounded: the last MAX_KEPT_TRIALS trials of a case, each cut at MAX_TRIAL_OUTPUT_CHARS. Pure, no Vitest.
import { storedOutputHash } from '../review/output-hash.js'

/** Most trials whose output is kept per case (the newest ones): a case with 100 repeats keeps 10 outputs. */
export const MAX_KEPT_TRIALS = 10

/** Longest trial output kept on a test (reports cut it further, to `history.maxTextChars`). */
export const MAX_TRIAL_OUTPUT_CHARS = 20_000

/**
 * Per trial (`attempt.repeat`, 0-based, as a string key): the output it scored. Plain JSON on `task.meta.trialOutputs`;
 * for an output cut at {@link MAX_TRIAL_OUTPUT_CHARS}, `task.meta.trialOutputHashes` holds the whole output's hash.
 */
export type TrialOutputs = Record<string, string>

/**
 * Keeps `output` as the output of trial `repeat` (0-based, the records' `attempt.repeat`) on `meta.trialOutputs`;
 * a retry of the trial replaces it, and past {@link MAX_KEPT_TRIALS} the oldest trial's output goes.
 *
 * @example
 * keepTrialOutput(task.meta, 2, 'Refunds take 5 days.') // task.meta.trialOutputs['2']
 */
export function keepTrialOutput(meta: { trialOutputs?: TrialOutputs; trialOutputHashes?: TrialOutputs }, repeat: number, output: string): void {
  const kept = (meta.trialOutputs ??= {})
  const key = String(repeat)
  kept[key] = output.length > MAX_TRIAL_OUTPUT_CHARS ? output.slice(0, MAX_TRIAL_OUTPUT_CHARS) : output
  // A cut output keeps the hash of the whole one: labels (and `toMatchHumanLabel`) compare that hash.
  if (output.length > MAX_TRIAL_OUTPUT_CHARS) (meta.trialOutputHashes ??= {})[key] = storedOutputHash(output)
  else if (meta.trialOutputHashes) delete meta.trialOutputHashes[key]
  const repeats = Object.keys(kept)
  if (repeats.length <= MAX_KEPT_TRIALS) return
  const oldest = repeats.map(Number).sort((a, b) => a - b).slice(0, repeats.length - MAX_KEPT_TRIALS)
  for (const repeat of oldest) {
    delete kept[String(repeat)]
    if (meta.trialOutputHashes) delete meta.trialOutputHashes[String(repeat)]
  }
}

/**
 * Whether a test runs its case more than once: `describeEval`'s `repeats`, or Vitest's (`test(…, { repeats })`, `--repeats`).
 *
 * @example
 * runsTrials({ repeats: 2 }, 1) // true
 */
export function runsTrials(task: { repeats?: number | undefined }, suiteRepeats = 1): boolean {
  return suiteRepeats > 1 || (task.repeats ?? 0) > 0
}
