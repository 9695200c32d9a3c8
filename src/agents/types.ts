// The shapes agent evals share: what an agent did (a Trace) and a dialogue (a Conversation). Plain JSON, so
// they can be stored in task meta, history and reports. Pure types: nothing here imports Vitest or an SDK.
import type { TokenUsage } from '../cassettes/entry.js'

/** Where a trace step came from. */
export type TraceProvider = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'bedrock' | 'ai-sdk' | 'tool-list'

/** One tool call the model made, with its result when the trace saw it (a later request, or `recordTool`). */
export interface ToolCall {
  /** The provider's call id (`call_…`, `toolu_…`), when there is one. */
  id?: string
  name: string
  /** The parsed JSON arguments; the raw text when they are not valid JSON (see `argsError`). */
  args: unknown
  /** Set when the model sent arguments that are not valid JSON: `args` then holds the raw text. */
  argsError?: string
  /** What the tool returned, when the trace saw it. */
  result?: unknown
  /** Set when the tool threw (from `recordTool`) or reported an error (`is_error`). */
  error?: string
}

/** One model exchange of an agent run. */
export interface TraceStep {
  provider: TraceProvider
  model?: string
  /** The messages sent (as the provider's request had them), when known. */
  messages?: unknown[]
  /** The text the model answered in this step ('' when it only called tools). */
  text: string
  toolCalls: ToolCall[]
  usage?: TokenUsage
  latencyMs?: number
}

/** What an agent did: its model steps in order, every tool call in order, and its final text. */
export interface Trace {
  steps: TraceStep[]
  /** Every step's tool calls, in order (parallel calls in the order the model listed them). */
  toolCalls: ToolCall[]
  /** The last step's text. */
  output: string
  usage: TokenUsage
}

/** One turn of a conversation: what the user said and what the app answered. */
export interface ConversationTurn {
  user: string
  assistant: string
  /** The app's model calls during this turn (from the cassette session), when any. */
  trace?: Trace
}

/** A chat message as conversations pass it to the app. */
export interface ConversationMessage {
  role: 'user' | 'assistant'
  content: string
}

/** Why a simulated conversation stopped. */
export type ConversationEnd =
  | { reason: 'max-turns'; turns: number }
  | { reason: 'until'; turns: number }
  | { reason: 'goal-met'; turns: number }
  | { reason: 'script-done'; turns: number }

/** A dialogue between a (scripted or simulated) user and the app. */
export interface Conversation {
  turns: ConversationTurn[]
  messages: ConversationMessage[]
  ended: ConversationEnd
}
