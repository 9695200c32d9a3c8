// Where a conversation turn's trace comes from: the app's model calls made while it answered the turn.
import type { Trace } from './types.js'

/** An app reply with the trace of the model calls it made, when that is known. */
export interface TracedReply<T> {
  value: T
  trace?: Trace
}

/**
 * Runs one turn of the app and returns its reply with the turn's trace. The trace is left out for now:
 * once `testTrace()` exists this reads the test's trace before and after `answer` and keeps the steps in
 * between (simulator calls are not part of it), and `simulateConversation` stores it as `turn.trace`.
 *
 * @example
 * const { value, trace } = await withTurnTrace(() => app(messages))
 */
export async function withTurnTrace<T>(answer: () => Promise<T>): Promise<TracedReply<T>> {
  return { value: await answer() }
}
