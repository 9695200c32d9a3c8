// Every score record also becomes a Vitest test annotation (Vitest >= 3.2: `context.annotate`), so scores
// show in the Vitest UI, Vitest's HTML, JUnit, TAP and verbose reporters and GitHub Actions notices, with or
// without this library's reporter. The full record stays in `task.meta.evals`.
import type { MatcherState } from 'vitest'
import type { ScoreRecord } from '../../src/metrics/score-record.js'
import { MAX_SCORE_ANNOTATIONS, moreScoresText, SCORE_ANNOTATION_TYPE, scoreAnnotationText } from './score-annotation-text.js'
import { hideSecrets, liveSecrets } from '../../src/cassettes/redact.js'
import { runningTest } from './running-test.js'

type RunningTest = NonNullable<MatcherState['task']>
type Annotate = (message: string, type?: string) => Promise<unknown>

let enabled = true
let warned = false
const annotated = new WeakSet<object>()
const counts = new WeakMap<RunningTest, number>()
const pending = new WeakMap<RunningTest, Set<Promise<void>>>()
// Tests whose scores wait to be annotated (a `confirmFailures` scorer: only the kept run's records are).
const deferred = new WeakMap<object, number>()
// Where each matcher call was made, keyed by its matcher state (one object per call).
const callSites = new WeakMap<object, Error>()
// Frames between a matcher and the test's line: Vitest's expect wrappers and ours.
const CALL_SITE_FRAMES = 40

/**
 * Turns score annotations on or off in this worker (the plugin's `annotations` option). On by default.
 *
 * @example
 * setScoreAnnotations(false)
 */
export function setScoreAnnotations(on: boolean): void {
  enabled = on
}

function warnOnce(error: unknown): void {
  if (warned) return
  warned = true
  console.warn(`[vitest-llm-evals] Scores could not be added as test annotations (${error instanceof Error ? error.message : String(error)}); they are still in task.meta.evals and the report. Set \`annotations: false\` in llmEvals() options to stop trying.`)
}

const canAnnotate = (task: RunningTest | undefined): task is RunningTest =>
  enabled && task !== undefined && typeof (task as { context?: { annotate?: unknown } }).context?.annotate === 'function' && task.result?.state === 'run'

/**
 * Notes where a matcher was called (the test file's line), while the call is still synchronous: Vitest
 * places an annotation at the test file's frame of the stack it sees, and a matcher's score comes after
 * awaits that lose it. Only an `Error` is made here; its stack is formatted only if a score is annotated.
 *
 * @example
 * noteMatcherCall(this) // first thing in the matcher wrapper
 */
export function noteMatcherCall(state: MatcherState): void {
  if (!canAnnotate(runningTest(state))) return
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = CALL_SITE_FRAMES
  callSites.set(state, new Error('call site'))
  Error.stackTraceLimit = limit
}

/** The formatted stack of the matcher call, read outside any override (it runs Vitest's source mapping). */
function callSiteStack(state: object | undefined): string | undefined {
  const site = state ? callSites.get(state) : undefined
  if (!site) return undefined
  try {
    return site.stack
  } catch {
    return undefined
  }
}

/**
 * The annotation text of `record`, live secret values (a key a judge quoted) hidden in its reason before it is
 * cut to length, so that no part of one reaches the JUnit file, the Vitest UI or a GitHub notice.
 */
function annotationText(record: ScoreRecord): string {
  if (typeof record.reason !== 'string') return scoreAnnotationText(record)
  return scoreAnnotationText({ ...record, reason: hideSecrets(record.reason, liveSecrets()) })
}

/**
 * Adds a score record to its test as an annotation, once per record, while the test body runs (Vitest
 * refuses annotations after it). Never throws and never fails the test: an annotation that cannot be made
 * is left out with one warning. The annotation is awaited with the test (Vitest awaits it after the test
 * function; {@link settleScoreAnnotations} in `afterEach` catches one started later).
 *
 * @example
 * annotateScore(this.task, record)
 */
export function annotateScore(task: RunningTest | undefined, record: ScoreRecord, state?: MatcherState): void {
  if (task && deferred.get(task)) return
  if (annotated.has(record)) return
  annotated.add(record)
  // Feature-detected: Vitest before 3.2 has no `annotate`; outside the test body it throws.
  if (!canAnnotate(task)) return
  const count = (counts.get(task) ?? 0) + 1
  counts.set(task, count)
  if (count > MAX_SCORE_ANNOTATIONS + 1) return
  const annotate = (task as unknown as { context: { annotate: Annotate } }).context.annotate
  const stack = callSiteStack(state)
  // Vitest 4.1 and 5 read the location from a stack taken synchronously inside `annotate`: for that one
  // call it is the matcher call's stack, so the annotation (and a GitHub notice) points at the test's line.
  const previous = Error.prepareStackTrace
  let replaced = false
  let started: Promise<unknown>
  try {
    if (stack) {
      Error.prepareStackTrace = () => stack
      replaced = true
    }
    started = annotate(count > MAX_SCORE_ANNOTATIONS ? moreScoresText() : annotationText(record), SCORE_ANNOTATION_TYPE)
  } catch (error) {
    return warnOnce(error)
  } finally {
    if (replaced) Error.prepareStackTrace = previous
  }
  track(task, started)
}

/**
 * Runs `body` with the test's score annotations held back: records made meanwhile are annotated later, by
 * {@link annotateScores}, if they are kept (`describeEval`'s `confirmFailures` discards the runs outvoted).
 *
 * @example
 * const kept = await deferScoreAnnotations(context.task, () => confirmFailure(first, 2, rerun))
 */
export async function deferScoreAnnotations<T>(task: RunningTest, body: () => Promise<T>): Promise<T> {
  deferred.set(task, (deferred.get(task) ?? 0) + 1)
  try {
    return await body()
  } finally {
    const left = (deferred.get(task) ?? 1) - 1
    if (left > 0) deferred.set(task, left)
    else deferred.delete(task)
  }
}

/**
 * Annotates the records of `records` not annotated yet (those a `describeEval` scorer returned as plain
 * objects; matcher records were annotated when made).
 *
 * @example
 * annotateScores(context.task, meta.evals ?? [])
 */
export function annotateScores(task: RunningTest | undefined, records: readonly ScoreRecord[]): void {
  for (const record of records) annotateScore(task, record)
}

// Vitest tracks the annotation in `task.promises` and fails the test if it rejects: it is swapped for a
// copy that cannot reject, which removes itself once settled (as Vitest's own does).
function track(task: RunningTest, started: Promise<unknown>): void {
  const safe: Promise<void> = started.then(
    () => undefined,
    (error: unknown) => warnOnce(error),
  )
  const tracked = (task as { promises?: Promise<unknown>[] }).promises
  if (Array.isArray(tracked)) {
    const index = tracked.indexOf(started)
    if (index === -1) tracked.push(safe)
    else tracked[index] = safe
  }
  let set = pending.get(task)
  if (!set) pending.set(task, (set = new Set()))
  set.add(safe)
  void safe.finally(() => {
    set.delete(safe)
    const list = (task as { promises?: Promise<unknown>[] }).promises
    const at = list ? list.indexOf(safe) : -1
    if (list && at !== -1) list.splice(at, 1)
  })
}

/**
 * Waits for the test's annotations still in flight (one started by a matcher nobody awaited), so none
 * outlives its test; undefined when there are none.
 *
 * @example
 * afterEach((context) => settleScoreAnnotations(context.task))
 */
export function settleScoreAnnotations(task: RunningTest): Promise<void> | undefined {
  const set = pending.get(task)
  if (!set?.size) return undefined
  return Promise.all(set).then(() => undefined)
}
