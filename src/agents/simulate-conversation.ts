// A multi-turn dialogue between a user (scripted, or played by a model) and the app under test. The app's
// calls are recorded as usual (role `app`), the simulated user's with role `simulator`, so in `replay` the
// same dialogue comes back offline, turn for turn.
import { ConfigError, isLlmEvalsError, LlmEvalsError } from '../errors/index.js'
import { defaultJudgeOption } from '../judge/default-judge.js'
import type { Judge } from '../judge/judge.js'
import { resolveJudge } from '../judge/resolve-judge.js'
import { checkConversationOptions, type CheckedOptions, type ConversationApp, type SimulateConversationOptions } from './conversation-options.js'
import { simulatedUserMove } from './simulated-user.js'
import { withTurnTrace } from './turn-trace.js'
import type { Conversation, ConversationEnd, ConversationMessage, ConversationTurn } from './types.js'

function describeReply(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return `an object without a \`text\` string (keys: ${Object.keys(value).slice(0, 6).join(', ') || 'none'})`
  return typeof value
}

/** Asks the app for its reply to the messages so far (a fresh copy: the app may change it freely). */
async function appReply(app: ConversationApp, messages: readonly ConversationMessage[], turn: number): Promise<{ text: string; turn: Omit<ConversationTurn, 'user' | 'assistant'> }> {
  let result: Awaited<ReturnType<typeof withTurnTrace<unknown>>>
  try {
    result = await withTurnTrace(async () => app(messages.map((message) => ({ ...message }))))
  } catch (error) {
    // The library's own errors (a missing recording, a judge failure) already say where and how to fix them.
    if (isLlmEvalsError(error)) throw error
    const said = messages.at(-1)?.content ?? ''
    throw new LlmEvalsError(
      `simulateConversation(): \`app\` threw at turn ${turn}, answering ${JSON.stringify(said.length > 120 ? `${said.slice(0, 120)}…` : said)}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  }
  const { value, trace } = result
  const text = typeof value === 'string' ? value : typeof (value as { text?: unknown } | null)?.text === 'string' ? (value as { text: string }).text : undefined
  if (text === undefined) {
    throw new ConfigError(
      `simulateConversation(): \`app\` returned ${describeReply(value)} at turn ${turn}. Return the reply text (a string) or an object with a \`text\` string (e.g. the AI SDK's generateText result).`,
    )
  }
  return { text, turn: trace ? { trace } : {} }
}

function simulatorJudge(options: CheckedOptions): Judge | undefined {
  if (options.kind !== 'persona') return undefined
  if (options.user.judge === undefined && defaultJudgeOption() === undefined) {
    throw new ConfigError(
      'simulateConversation(): a simulated user needs a model to play it, and no judge is configured. Pass `user: { persona, goal, judge: { provider: \'openai\', model: \'gpt-4o-mini\' } }`, ' +
        "or set one in vitest.config.ts: `llmEvals({ judge: { provider: 'openai', model: 'gpt-4o-mini' } })`.",
    )
  }
  return resolveJudge(options.user.judge, 'simulateConversation')
}

const snapshot = (turns: readonly ConversationTurn[], messages: readonly ConversationMessage[]) => ({
  turns: turns.map((turn) => ({ ...turn })),
  messages: messages.map((message) => ({ ...message })),
})

/**
 * Runs a conversation between a user and `app`: a scripted user says its lines in order, a simulated user
 * (a model playing `persona` towards `goal`) writes each message from the conversation so far. It ends at
 * `maxTurns`, when `until(conversation)` is true after a turn, when the simulated user says its goal is
 * met, or when the script runs out; `ended.reason` says which.
 *
 * @example
 * const conversation = await simulateConversation({
 *   app: (messages) => supportBot(messages),
 *   user: { persona: 'A customer whose parcel is a week late', goal: 'Get a refund or a delivery date' },
 *   maxTurns: 6,
 * })
 * await expect(conversation).toCompleteTask('The customer gets a refund or a firm delivery date.')
 */
export async function simulateConversation(options: SimulateConversationOptions): Promise<Conversation> {
  const checked = checkConversationOptions(options)
  const judge = simulatorJudge(checked)
  const turns: ConversationTurn[] = []
  const messages: ConversationMessage[] = []
  const end = (reason: ConversationEnd['reason']): Conversation => ({ ...snapshot(turns, messages), ended: { reason, turns: turns.length } })
  const nextUserMessage = async (): Promise<{ message: string } | { ended: Conversation }> => {
    if (checked.kind === 'script') {
      if (turns.length === checked.script.length) return { ended: end('script-done') }
      if (turns.length >= checked.maxTurns) return { ended: end('max-turns') }
      return { message: checked.script[turns.length]! }
    }
    const move = await simulatedUserMove(judge!, checked.user, turns, checked.signal)
    // The opening message is always sent: a goal cannot be met before the app has said anything.
    if (move.goalMet && turns.length > 0) return { ended: end('goal-met') }
    if (turns.length >= checked.maxTurns) return { ended: end('max-turns') }
    return { message: move.message }
  }

  for (;;) {
    const next = await nextUserMessage()
    if ('ended' in next) return next.ended
    messages.push({ role: 'user', content: next.message })
    const reply = await appReply(checked.app, messages, turns.length + 1)
    messages.push({ role: 'assistant', content: reply.text })
    turns.push({ user: next.message, assistant: reply.text, ...reply.turn })
    if (checked.until && (await checked.until(snapshot(turns, messages)))) return end('until')
  }
}
