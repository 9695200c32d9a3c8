// A `describeEval` trial's own calls. With `repeats`, one test runs several trials, and the cassette session keeps
// the test's calls together: so each trial carries a token in its async context, the model calls it makes are
// tagged with it (their slots) and its `recordTool` calls listed on it, and `testTrace()` inside the trial reads
// only those. A trial that ran out of time can go on beside the next one: its late calls still carry its token.
// The storage is on a global, as the session's source is: the worker's copy of this module tags the slots, the
// test file's copy reads them.
import { AsyncLocalStorage } from 'node:async_hooks'
import { isLlmEvalsError } from '../errors/index.js'
import type { ToolRecord } from './trace-assemble.js'

/** One trial's `recordTool` calls, in the order they started: a call is `done` once it answered. */
interface TrialTool {
  record: ToolRecord
  done: boolean
}

/** One trial of a case: the token its calls carry. */
export interface TrialCalls {
  readonly tools: TrialTool[]
}

const STORAGE = Symbol.for('vitest-llm-evals.trial-calls')
const RUNNING = Symbol.for('vitest-llm-evals.running-trials')

type Holder = { [STORAGE]?: AsyncLocalStorage<TrialCalls>; [RUNNING]?: Set<TrialCalls> }

const running = (): Set<TrialCalls> => ((globalThis as Holder)[RUNNING] ??= new Set())

/**
 * Runs one trial's work with a fresh token in its async context. Only a test with several trials needs it: the
 * async context costs every promise of the worker once it is used.
 *
 * @example
 * const result = await inTrial(() => runTrial(row))
 */
export async function inTrial<T>(work: () => Promise<T>): Promise<T> {
  const storage = ((globalThis as Holder)[STORAGE] ??= new AsyncLocalStorage<TrialCalls>())
  const trial: TrialCalls = { tools: [] }
  running().add(trial)
  try {
    return await storage.run(trial, work)
  } finally {
    running().delete(trial)
  }
}

/** The trial the current code runs for; `undefined` outside a trial (a test with one trial has none). */
export function currentTrial(): TrialCalls | undefined {
  return (globalThis as Holder)[STORAGE]?.getStore()
}

/**
 * The trial a call being made belongs to: the one in its async context, else the only trial running. A call
 * made by code started outside the trial (an app server started in `beforeAll`, which the task calls over
 * HTTP) has no trial in its context; while cases run one at a time, it is the running trial's.
 */
export function callingTrial(): TrialCalls | undefined {
  const trial = currentTrial()
  if (trial) return trial
  const trials = running()
  return trials.size === 1 ? trials.values().next().value : undefined
}

/** What a trace shows for a tool's error (as the cassette session records it): `name: message`. */
function errorText(thrown: unknown): string {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`
  if (typeof thrown === 'string') return `Error: ${thrown}`
  try {
    return `Error: ${JSON.stringify(thrown) ?? String(thrown)}`
  } catch {
    return `Error: ${String(thrown)}`
  }
}

/** A copy of a JSON value; `undefined` for one that is not (the session refuses to record it too). */
function copyOf(value: unknown): unknown {
  try {
    return structuredClone(value)
  } catch {
    return undefined
  }
}

/**
 * Lists a `recordTool` call on the current trial, if any: its result (or error) once `answer` settles. Copies are
 * taken at once, so an app that changes the arguments or the result afterwards does not change the trace.
 *
 * @example
 * return trackTrialTool(name, args, session.callTool(invocation, scope))
 */
export function trackTrialTool<T>(name: string, args: unknown, answer: Promise<T>): Promise<T> {
  const trial = callingTrial()
  if (!trial) return answer
  const tool: TrialTool = { record: { name, args: args === undefined ? null : copyOf(args) }, done: false }
  trial.tools.push(tool)
  // Registered before the app's own `await`, so the result is copied before the app can change it.
  answer.then(
    (result) => {
      const copy = result === undefined ? undefined : copyOf(result)
      if (copy !== undefined) tool.record.result = copy
      tool.done = true
    },
    (thrown: unknown) => {
      // A miss or refusal of this library is not what the tool answered: the session records nothing either.
      if (isLlmEvalsError(thrown)) return
      tool.record.error = errorText(thrown)
      tool.done = true
    },
  )
  return answer
}

/** The trial's finished `recordTool` calls, in the order they started (copies: a trace's results are its own). */
export function trialToolRecords(trial: TrialCalls): ToolRecord[] {
  return trial.tools.filter((tool) => tool.done).map((tool) => structuredClone(tool.record))
}
