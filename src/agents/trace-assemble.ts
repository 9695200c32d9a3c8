// Puts a trace together from its steps: tool results attached to the calls they answer (by call id, from
// later requests' messages; else by name and canonical arguments, from `recordTool` records), every call
// listed in order, the final text and the summed token usage. Pure.
import type { TokenUsage } from '../cassettes/entry.js'
import { toolCallKey } from './tool-call-args.js'
import type { ToolCall, Trace, TraceStep } from './types.js'

/** What a tool returned (or the error it reported) for one call. */
export interface ToolOutcome {
  result?: unknown
  error?: string
}

/** One step before assembly, with the tool outcomes its request carried (by call id). */
export interface StepDraft {
  step: TraceStep
  outcomes?: ReadonlyMap<string, ToolOutcome>
}

/** A tool call as `recordTool` records it: the tool's name, its arguments, and its result or error. */
export interface ToolRecord {
  name: string
  args: unknown
  result?: unknown
  error?: string
}

function settle(call: ToolCall, outcome: ToolOutcome): void {
  if (call.result !== undefined || call.error !== undefined) return
  if (outcome.error !== undefined) call.error = outcome.error
  else if (outcome.result !== undefined) call.result = outcome.result
}

function safeKey(name: string, args: unknown): string | undefined {
  try {
    return toolCallKey(name, args)
  } catch {
    // Arguments that cannot be JSON (a cycle in a hand-made list) match no record.
    return undefined
  }
}

/** The k-th record of a name and arguments answers the k-th call with them (identical calls keep their order). */
function attachRecords(calls: readonly ToolCall[], records: readonly ToolRecord[]): void {
  const byKey = new Map<string, ToolCall[]>()
  for (const call of calls) {
    const key = safeKey(call.name, call.args)
    if (key === undefined) continue
    const list = byKey.get(key)
    if (list) list.push(call)
    else byKey.set(key, [call])
  }
  const taken = new Map<string, number>()
  for (const record of records) {
    const key = safeKey(record.name, record.args)
    if (key === undefined) continue
    const index = taken.get(key) ?? 0
    taken.set(key, index + 1)
    const call = byKey.get(key)?.[index]
    if (call) settle(call, record.error !== undefined ? { error: record.error } : { result: record.result })
  }
}

function addUsage(total: TokenUsage, usage: TokenUsage | undefined): void {
  if (usage?.inputTokens !== undefined) total.inputTokens = (total.inputTokens ?? 0) + usage.inputTokens
  if (usage?.outputTokens !== undefined) total.outputTokens = (total.outputTokens ?? 0) + usage.outputTokens
}

/**
 * The trace of `drafts` in order: outcomes linked by call id first, then `toolRecords` by name and
 * canonical arguments for calls still without a result. The steps' call objects are the trace's own.
 *
 * @example
 * assembleTrace([{ step }], [{ name: 'lookup_order', args: { orderId: '123' }, result: { status: 'shipped' } }])
 */
export function assembleTrace(drafts: readonly StepDraft[], toolRecords: readonly ToolRecord[] = []): Trace {
  const steps = drafts.map((draft) => draft.step)
  const toolCalls = steps.flatMap((step) => step.toolCalls)
  const byId = new Map<string, ToolCall>()
  for (const call of toolCalls) if (call.id !== undefined && !byId.has(call.id)) byId.set(call.id, call)
  // A call without an id (Gemini's often have none) is known by its name and canonical arguments
  // (`toolCallKey`, which holds a NUL no provider id has); built only when an outcome asks for one.
  let byKey: Map<string, ToolCall> | undefined
  const keyed = () => {
    byKey = new Map()
    for (const call of toolCalls) {
      const key = call.id === undefined ? safeKey(call.name, call.args) : undefined
      if (key !== undefined && !byKey.has(key)) byKey.set(key, call)
    }
    return byKey
  }
  for (const draft of drafts) {
    for (const [id, outcome] of draft.outcomes ?? []) {
      const call = byId.get(id) ?? (id.includes('\u0000') ? (byKey ?? keyed()).get(id) : undefined)
      if (call) settle(call, outcome)
    }
  }
  if (toolRecords.length > 0) attachRecords(toolCalls, toolRecords)
  const usage: TokenUsage = {}
  for (const step of steps) addUsage(usage, step.usage)
  return { steps, toolCalls, output: steps.at(-1)?.text ?? '', usage }
}
