// What the trace matchers share: reading the received value as a trace (anything `traceOf` reads),
// keeping a bounded copy of it with the test, Vitest's equality for argument leaves, and the failure
// message laid out as every matcher's (hint, one sentence, labelled blocks) with a table of calls.
import type { MatcherState } from 'vitest'
import { boundedConversation } from '../../src/agents/conversation-bounded.js'
import { isConversation } from '../../src/agents/shape-guards.js'
import { boundedTrace } from '../../src/agents/trace-bounded.js'
import { traceOf } from '../../src/agents/trace-of.js'
import { settledTrace } from '../../src/agents/test-trace.js'
import type { ArgsEquals } from '../../src/agents/tool-calls-args.js'
import type { ToolCall, Trace } from '../../src/agents/types.js'
import { ConfigError, ERROR_PREFIX, isLlmEvalsError } from '../../src/errors/index.js'
import { formatScore, withoutSecrets } from './failure-message.js'
import { visibleText } from '../../src/visible-text.js'
import { runningTest } from './running-test.js'

/** The meta key of the bounded copy of the last trace a matcher asserted on (see `boundedTrace`). */
export const TRACE_META_KEY = 'trace'

/** The meta key of the bounded copy of the last conversation a matcher judged (see `boundedConversation`). */
export const CONVERSATION_META_KEY = 'conversation'

/**
 * The received value as a trace, once its responses are stored (a `testTrace()` taken while one was still
 * being recorded). Misuse (a value `traceOf` cannot read) throws at once: a ConfigError naming the matcher.
 */
export function receivedTrace(matcherName: string, received: unknown): Promise<Trace> {
  let trace: Trace
  try {
    trace = traceOf(received as object)
  } catch (error) {
    if (!isLlmEvalsError(error)) throw error
    throw new ConfigError(`${matcherName}() needs a trace as the received value. ${error.message.slice(ERROR_PREFIX.length + 1)}`)
  }
  return settledTrace(trace)
}

/** Keeps a bounded copy of `trace` on the running test's meta (`task.meta.trace`), for reports. */
export function keepTrace(state: MatcherState, trace: Trace): void {
  const meta = runningTest(state)?.meta as Record<string, unknown> | undefined
  if (meta) meta[TRACE_META_KEY] = boundedTrace(trace)
}

/**
 * Keeps a bounded copy of `received` on the running test's meta (`task.meta.conversation`) when it is a
 * conversation, and its turns' merged trace (`task.meta.trace`) when none is kept yet; anything else is left.
 */
export function keepConversation(state: MatcherState, received: unknown): void {
  const meta = runningTest(state)?.meta as Record<string, unknown> | undefined
  if (!meta || !isConversation(received)) return
  meta[CONVERSATION_META_KEY] = boundedConversation(received)
  if (meta[TRACE_META_KEY] !== undefined || !received.turns.some((turn) => turn.trace !== undefined)) return
  try {
    meta[TRACE_META_KEY] = boundedTrace(traceOf(received))
  } catch {
    // A hand-made conversation `traceOf` cannot read: the transcript is still kept, the matcher judges it as it is.
  }
}

/** Leaf equality for arguments: Vitest's, so asymmetric matchers (`expect.closeTo`, `expect.stringMatching`) and custom testers work. */
export function vitestEquals(state: MatcherState): ArgsEquals {
  const testers = state.customTesters ?? []
  return (actual, expected) => state.equals(actual, expected, testers)
}

/** The parts of a trace matcher's failure message. */
export interface TraceFailure {
  matcherName: string
  expectedLabel: string
  /** Completes "Expected the trace …". */
  expectation: string
  score: number
  reasons: readonly string[]
  /** A labelled block of lines, e.g. `Calls:` and the table. */
  block: { label: string; lines: readonly string[] }
}

/**
 * Matcher hint, a blank line, one sentence, then `Score:`, `Reasons:` and the calls; reads right under `.not`.
 *
 * @example
 * traceFailureMessage(this, { matcherName: 'toCallTool', expectedLabel: 'name', expectation: 'to call lookup_order', score: 0, reasons, block })
 */
export function traceFailureMessage(state: MatcherState, failure: TraceFailure): string {
  const hint = state.utils.matcherHint(`.${failure.matcherName}`, 'trace', failure.expectedLabel, { isNot: state.isNot, promise: state.promise })
  // Tool names and arguments are the model's: no key, no character a terminal acts on (as `failureMessage`).
  return withoutSecrets([
    hint,
    '',
    `Expected the trace ${state.isNot ? 'not ' : ''}${visibleText(failure.expectation)}.`,
    '',
    `Score:     ${formatScore(failure.score)}`,
    'Reasons:',
    ...failure.reasons.map((reason) => `  - ${visibleText(reason)}`),
    `${failure.block.label}:`,
    ...failure.block.lines.map(visibleText),
  ].join('\n'))
}

/**
 * The calls as a failure message lists them: keys hidden in their arguments before a label cuts them (a cut
 * label keeps part of a key, which the message's own scrub no longer recognises).
 */
export function shownCalls(calls: readonly ToolCall[]): ToolCall[] {
  return calls.map((call) => ({ ...call, args: withoutSecretsDeep(call.args) }))
}

/** A mismatch note as a failure message shows it: without keys, before it is cut to the table's width. */
export const shownNote = (note: string): string => withoutSecrets(note)

function withoutSecretsDeep(value: unknown): unknown {
  if (typeof value === 'string') return withoutSecrets(value)
  if (Array.isArray(value)) return value.map(withoutSecretsDeep)
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, withoutSecretsDeep(field)]))
  }
  return value
}
