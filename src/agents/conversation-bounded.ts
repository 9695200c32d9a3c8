// A bounded, detached copy of a conversation: what is kept with a test (`task.meta.conversation`) so reports
// and the review page can show the transcript without a long dialogue filling them. Pure.
import type { Conversation, ConversationEnd } from './types.js'

/** One turn as stored: the user's and the assistant's text, and the tools the app called during the turn. */
export interface StoredTurn {
  user: string
  assistant: string
  /** Names of the tools called during this turn, in order (from the turn's trace), when any. */
  tools?: string[]
}

/** A conversation as stored with a test: bounded, and saying how many turns were left out. */
export interface StoredConversation {
  turns: StoredTurn[]
  /** Why it stopped, when the conversation says so (a hand-made one may not). */
  ended?: ConversationEnd
  /** How many turns were left out (beyond {@link STORED_CONVERSATION_LIMITS}.turns), when any were. */
  truncated?: { turns: number }
}

/** The limits of a stored conversation. */
export const STORED_CONVERSATION_LIMITS = { turns: 50, text: 2000, toolsPerTurn: 20 } as const

function cutText(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}… (+${text.length - limit} chars)` : text
}

const ENDINGS = new Set(['max-turns', 'until', 'goal-met', 'script-done'])

function storedEnd(ended: unknown): ConversationEnd | undefined {
  const candidate = ended as Partial<ConversationEnd> | null | undefined
  if (typeof candidate !== 'object' || candidate === null || !ENDINGS.has(String(candidate.reason))) return undefined
  return { reason: candidate.reason, turns: Number.isFinite(candidate.turns) ? Number(candidate.turns) : 0 } as ConversationEnd
}

/**
 * A detached JSON copy of `conversation` within {@link STORED_CONVERSATION_LIMITS}: the first 50 turns,
 * each text cut at 2,000 characters with a note, each turn's tool names instead of its whole trace (the
 * merged trace is kept on its own, as `task.meta.trace`), and without the message list (the turns say it).
 *
 * @example
 * task.meta.conversation = boundedConversation(await simulateConversation({ app, user, maxTurns: 4 }))
 */
export function boundedConversation(conversation: Pick<Conversation, 'turns'> & { ended?: unknown }): StoredConversation {
  const { turns: most, text, toolsPerTurn } = STORED_CONVERSATION_LIMITS
  const turns = conversation.turns.slice(0, most).map((turn): StoredTurn => {
    const calls = turn.trace?.toolCalls
    const tools = (Array.isArray(calls) ? calls : []).slice(0, toolsPerTurn).map((call) => cutText(String(call.name), 200))
    return { user: cutText(String(turn.user), text), assistant: cutText(String(turn.assistant), text), ...(tools.length ? { tools } : {}) }
  })
  const ended = storedEnd(conversation.ended)
  return {
    turns,
    ...(ended ? { ended } : {}),
    ...(conversation.turns.length > most ? { truncated: { turns: conversation.turns.length - most } } : {}),
  }
}
