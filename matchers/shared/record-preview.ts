// What a failure message shows as "Output" for an agent record: a trace's final text, or the end of a
// conversation (the turns that decide how it went), each message cut short.
import { isConversation, isTrace } from '../../src/agents/shape-guards.js'
import type { Conversation } from '../../src/agents/types.js'
import { truncateOutput } from './failure-message.js'

const TURNS_SHOWN = 3
const MESSAGE_PREVIEW = 120

/**
 * The last turns of a conversation as `user: …` / `assistant: …` lines (earlier turns counted, not shown).
 *
 * @example
 * transcriptPreview(conversation) // 'user: Where is my parcel?\nassistant: It arrives Friday.'
 */
export function transcriptPreview(conversation: Pick<Conversation, 'turns'>): string {
  const hidden = Math.max(0, conversation.turns.length - TURNS_SHOWN)
  const lines = conversation.turns.slice(hidden).flatMap((turn) => [
    `user: ${truncateOutput(turn.user, MESSAGE_PREVIEW)}`,
    `assistant: ${truncateOutput(turn.assistant, MESSAGE_PREVIEW)}`,
  ])
  return [...(hidden > 0 ? [`(${hidden} earlier turn${hidden === 1 ? '' : 's'} not shown)`] : []), ...lines].join('\n')
}

/**
 * The "Output" of a failure message for a text, a trace (its final output) or a conversation (its last turns).
 *
 * @example
 * recordPreview(trace) // trace.output
 */
export function recordPreview(record: unknown): string {
  if (typeof record === 'string') return record
  if (isConversation(record)) return transcriptPreview(record)
  if (isTrace(record)) return record.output
  return ''
}

/**
 * A reason line that says what was judged: a trace's steps and tool names, or a conversation's length and end.
 *
 * @example
 * recordSummary(trace) // ['trace: 2 model steps, tool calls: lookup_order, issue_refund']
 */
export function recordSummary(record: unknown): string[] {
  if (isConversation(record)) {
    const ended = (record as Partial<Conversation>).ended
    return [`conversation: ${record.turns.length} turn${record.turns.length === 1 ? '' : 's'}${ended ? `, ended: ${ended.reason}` : ''}`]
  }
  if (isTrace(record)) {
    const names = record.toolCalls.map((call) => call.name)
    const shown = names.length > 8 ? `${names.slice(0, 8).join(', ')}, … (+${names.length - 8})` : names.join(', ')
    return [`trace: ${record.steps.length} model step${record.steps.length === 1 ? '' : 's'}, tool calls: ${shown || '(none)'}`]
  }
  return []
}
