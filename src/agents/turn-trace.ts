// Where a conversation turn's trace comes from: the app's model calls made while it answered the turn.
import { isLlmEvalsError } from '../errors/index.js'
import { settledTrace, testTrace } from './test-trace.js'
import { assembleTrace } from './trace-assemble.js'
import type { Trace } from './types.js'

/** An app reply with the trace of the model calls it made, when that is known. */
export interface TracedReply<T> {
  value: T
  trace?: Trace
}

/** The running test's trace so far, once its pending recordings are stored; `undefined` outside a test or with cassettes off. */
async function traceSoFar(): Promise<Trace | undefined> {
  let trace: Trace
  try {
    trace = testTrace()
  } catch (error) {
    if (isLlmEvalsError(error)) return undefined
    throw error
  }
  return (await settledTrace(trace)) as Trace
}

/**
 * Runs one turn of the app and returns its reply with the turn's trace: the steps of the test's trace
 * (app calls only; simulator and judge calls are never part of it) added while `answer` ran. No trace
 * outside a test, with cassettes off, or when the app made no model call.
 *
 * @example
 * const { value, trace } = await withTurnTrace(() => app(messages))
 */
export async function withTurnTrace<T>(answer: () => Promise<T>): Promise<TracedReply<T>> {
  const before = await traceSoFar()
  const value = await answer()
  if (!before) return { value }
  const after = await traceSoFar()
  const steps = after?.steps.slice(before.steps.length) ?? []
  return steps.length === 0 ? { value } : { value, trace: assembleTrace(steps.map((step) => ({ step }))) }
}
