// What a `describeEval` case shows as its output when its task returns an agent run: a Trace's final
// text, or a Conversation's transcript, with bounded copies of the trace and the conversation kept for reports.
import { boundedConversation, type StoredConversation } from '../agents/conversation-bounded.js'
import { boundedTrace, type StoredTrace } from '../agents/trace-bounded.js'
import { isTrace, traceOf } from '../agents/trace-of.js'
import type { Conversation } from '../agents/types.js'

/** The case output of an agent run: its text, and the trace and conversation reports show. */
export interface AgentOutput {
  text: string
  trace?: StoredTrace
  conversation?: StoredConversation
}

function isConversation(value: unknown): value is Conversation {
  const candidate = value as Partial<Conversation> | null
  return typeof candidate === 'object' && candidate !== null && Array.isArray(candidate.turns) && Array.isArray(candidate.messages)
}

/** A conversation as text: each turn's user and assistant lines, turns separated by a blank line. */
export function transcript(conversation: Conversation): string {
  return conversation.turns.map((turn) => `User: ${turn.user}\nAssistant: ${turn.assistant}`).join('\n\n')
}

/**
 * The text and trace of a task's output when it is a Trace (`trace.output`) or a Conversation (its
 * transcript, a bounded copy of it, and its turns' traces merged); `undefined` for any other output.
 *
 * @example
 * agentOutput(testTrace()) // { text: 'Your refund is on its way.', trace: { steps: [...], ... } }
 */
export function agentOutput(output: unknown): AgentOutput | undefined {
  if (isTrace(output)) return { text: output.output, trace: boundedTrace(output) }
  if (!isConversation(output)) return undefined
  const traced = output.turns.some((turn) => turn.trace !== undefined)
  return { text: transcript(output), conversation: boundedConversation(output), ...(traced ? { trace: boundedTrace(traceOf(output)) } : {}) }
}
