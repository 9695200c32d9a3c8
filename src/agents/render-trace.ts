// A trace or a conversation as the judge sees it: every untrusted text (model text, tool arguments and
// results, user and assistant turns) in its own tagged region, in order. Deterministic, because the prompt
// is part of the judge call's cassette key: tool arguments print with their keys sorted (a replayed call
// parses them in another key order than the live one did), and nothing volatile (ids, latency) is shown.
import { stableStringify } from '../cassettes/canonical.js'
import type { TaggedText } from '../judge/prompt.js'
import { boundRegions, cutText, DEFAULT_RENDER_LIMITS, type BoundedRegions, type RenderLimits } from './bound-regions.js'
import type { ConversationTurn, ToolCall, Trace } from './types.js'

/**
 * A tool argument or result as text: a string as it is, anything else as JSON with its keys sorted at every
 * depth (so the same value always prints the same), or its `String()` when it is not JSON (a cycle, a BigInt).
 *
 * @example
 * toolValueText({ b: 1, a: { d: 2, c: 3 } }) // '{"a":{"c":3,"d":2},"b":1}'
 */
export function toolValueText(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return stableStringify(value)
  } catch {
    return String(value)
  }
}

/** Collects regions, cutting each text at its limit and counting the cuts. */
class RegionList {
  readonly regions: TaggedText[] = []
  cutTexts = 0
  constructor(readonly limits: RenderLimits) {}

  add(tag: string, text: string, index: number, limit: number): void {
    const cut = cutText(text, limit)
    if (cut.cut) this.cutTexts += 1
    this.regions.push({ tag, text: cut.text, index })
  }

  toolCall(call: ToolCall, index: number): void {
    const args = call.argsError === undefined ? `arguments: ${toolValueText(call.args)}` : `arguments (not valid JSON: ${call.argsError}): ${toolValueText(call.args)}`
    this.add('tool_call', `name: ${call.name}\n${args}`, index, this.limits.toolChars)
    if (call.result !== undefined) this.add('tool_result', toolValueText(call.result), index, this.limits.toolChars)
    if (call.error !== undefined) this.add('tool_error', call.error, index, this.limits.toolChars)
  }

  bounded(unit: string): BoundedRegions {
    const { regions, omitted } = boundRegions(this.regions, this.limits.totalChars, unit)
    return { regions, cuts: { cutTexts: this.cutTexts, omittedRegions: omitted } }
  }
}

/**
 * A trace's regions: per step (its number as index) the model's text and each tool call with its
 * arguments and result, then the final `output`; bounded by `limits`.
 *
 * @example
 * traceRegions(trace).regions // [{ tag: 'tool_call', text: 'name: lookup_order\narguments: {"orderId":"123"}', index: 1 }, …]
 */
export function traceRegions(trace: Trace, limits: RenderLimits = DEFAULT_RENDER_LIMITS): BoundedRegions {
  const list = new RegionList(limits)
  if (trace.steps.length === 0) trace.toolCalls.forEach((call, at) => list.toolCall(call, at + 1))
  trace.steps.forEach((step, at) => {
    const last = at === trace.steps.length - 1
    // The last step's text is the final output, shown once, as `output`.
    if (step.text !== '' && !(last && step.text === trace.output)) list.add('model_text', step.text, at + 1, limits.textChars)
    for (const call of step.toolCalls) list.toolCall(call, at + 1)
  })
  list.add('output', trace.output, Math.max(trace.steps.length, 1), limits.textChars)
  return list.bounded('step')
}

/**
 * A conversation's regions: per turn (its number as index) the `user` message, the tool calls of the
 * turn's trace when it has one, and the `assistant` reply; bounded by `limits`.
 *
 * @example
 * conversationRegions(conversation).regions // [{ tag: 'user', text: 'Hi', index: 1 }, { tag: 'assistant', text: 'Hello!', index: 1 }]
 */
export function conversationRegions(conversation: { readonly turns: readonly ConversationTurn[] }, limits: RenderLimits = DEFAULT_RENDER_LIMITS): BoundedRegions {
  const list = new RegionList(limits)
  conversation.turns.forEach((turn, at) => {
    list.add('user', turn.user, at + 1, limits.textChars)
    for (const call of turn.trace?.toolCalls ?? []) list.toolCall(call, at + 1)
    list.add('assistant', turn.assistant, at + 1, limits.textChars)
  })
  return list.bounded('turn')
}

/**
 * A plain text output as one `output` region, cut at the text limit.
 *
 * @example
 * outputRegions('Your refund is on its way.').regions // [{ tag: 'output', text: 'Your refund is on its way.', index: 1 }]
 */
export function outputRegions(output: string, limits: RenderLimits = DEFAULT_RENDER_LIMITS): BoundedRegions {
  const list = new RegionList(limits)
  list.add('output', output, 1, limits.textChars)
  return list.bounded('output')
}
