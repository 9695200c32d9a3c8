// A bounded, detached copy of a trace: what is kept with a test's records (`task.meta.trace`) so reports
// can show what the agent did without a long agent run filling the history or the report. Pure.
import { jsonCopy } from '../cassettes/json-copy.js'
import type { ToolCall, Trace, TraceStep } from './types.js'

/** A trace as stored with a test: bounded, and saying how much was left out. */
export interface StoredTrace extends Trace {
  /** How many steps and tool calls were left out, when any were. */
  truncated?: { steps?: number; toolCalls?: number }
}

/** The limits of a stored trace. */
export const STORED_TRACE_LIMITS = { steps: 50, toolCalls: 100, callsPerStep: 20, text: 2000, json: 1000 } as const

function cutText(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}… (+${text.length - limit} chars)` : text
}

/** `value` as plain JSON when its JSON is short, else its JSON text cut (so a huge result costs a bounded share). */
function boundedJson(value: unknown, limit: number): unknown {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (error) {
    // A cycle (in a hand-made list) or nesting too deep to serialise.
    return `(not JSON: ${error instanceof Error ? error.message.slice(0, 100) : 'unserializable'})`
  }
  if (text === undefined) return undefined
  return text.length <= limit ? (JSON.parse(text) as unknown) : cutText(text, limit)
}

function boundedCall(call: ToolCall): ToolCall {
  const { json } = STORED_TRACE_LIMITS
  const result = call.result === undefined ? undefined : boundedJson(call.result, json)
  return {
    ...(call.id !== undefined ? { id: cutText(call.id, 200) } : {}),
    name: cutText(call.name, 200),
    args: boundedJson(call.args, json) ?? null,
    ...(call.argsError !== undefined ? { argsError: cutText(call.argsError, 300) } : {}),
    ...(result !== undefined ? { result } : {}),
    ...(call.error !== undefined ? { error: cutText(call.error, 500) } : {}),
  }
}

/**
 * The steps' calls are the trace's `toolCalls` too (the same objects): each is bounded once (its JSON printed and
 * parsed once), and a second place gets a copy of that, so the stored trace shares no object between them.
 */
function boundedCalls(): (call: ToolCall) => ToolCall {
  const done = new Map<ToolCall, ToolCall>()
  return (call) => {
    const known = done.get(call)
    if (known) return jsonCopy(known)
    const bounded = boundedCall(call)
    done.set(call, bounded)
    return bounded
  }
}

function boundedStep(step: TraceStep, bounded: (call: ToolCall) => ToolCall): TraceStep {
  return {
    provider: step.provider,
    ...(step.model !== undefined ? { model: step.model } : {}),
    text: cutText(step.text, STORED_TRACE_LIMITS.text),
    toolCalls: step.toolCalls.slice(0, STORED_TRACE_LIMITS.callsPerStep).map((call) => bounded(call)),
    ...(step.usage ? { usage: { ...step.usage } } : {}),
    ...(step.latencyMs !== undefined ? { latencyMs: step.latencyMs } : {}),
  }
}

/**
 * A detached JSON copy of `trace` within {@link STORED_TRACE_LIMITS}: the first 50 steps (without the
 * messages each request sent), the first 100 tool calls, texts and JSON values cut with a note.
 *
 * @example
 * task.meta.trace = boundedTrace(trace)
 */
export function boundedTrace(trace: Trace): StoredTrace {
  const { steps, toolCalls, text } = STORED_TRACE_LIMITS
  const truncated = {
    ...(trace.steps.length > steps ? { steps: trace.steps.length - steps } : {}),
    ...(trace.toolCalls.length > toolCalls ? { toolCalls: trace.toolCalls.length - toolCalls } : {}),
  }
  const bounded = boundedCalls()
  return {
    steps: trace.steps.slice(0, steps).map((step) => boundedStep(step, bounded)),
    toolCalls: trace.toolCalls.slice(0, toolCalls).map((call) => bounded(call)),
    output: cutText(trace.output, text * 2),
    usage: { ...trace.usage },
    ...(Object.keys(truncated).length > 0 ? { truncated } : {}),
  }
}
