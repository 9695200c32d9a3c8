// The options of simulateConversation, checked before any call is made: a mistake in them is a ConfigError
// that names the option and shows a working call, never a half-run conversation.
import { ConfigError } from '../errors/index.js'
import type { JudgeOption } from '../judge/judge.js'
import type { Conversation, ConversationMessage } from './types.js'

/** What the app returns for one turn: the reply text, or an object with it (e.g. the AI SDK's `generateText` result). */
export type AppReply = string | { text: string }

/** The app under test: answers the conversation so far (its last message is the user's). */
export type ConversationApp = (messages: ConversationMessage[]) => AppReply | Promise<AppReply>

/** A user that says the lines of a script, one per turn. */
export interface ScriptedUser {
  script: readonly string[]
}

/** A user played by a model (through the judge clients), recorded in cassettes with role `simulator`. */
export interface SimulatedUser {
  /** Who the user is: their situation, manner, what they know. */
  persona: string
  /** What they want from the conversation; the simulated user ends it once its goal is met. */
  goal: string
  /** The model that plays the user; default the configured judge. */
  judge?: JudgeOption
}

/** The conversation so far, as `until` sees it after each turn. */
export type ConversationSoFar = Pick<Conversation, 'turns' | 'messages'>

interface CommonOptions {
  app: ConversationApp
  /** Checked after every turn: true ends the conversation (`ended.reason: 'until'`). */
  until?: (conversation: ConversationSoFar) => boolean | Promise<boolean>
  /** Cancels the simulated user's calls, e.g. the test context's `signal`. */
  signal?: AbortSignal
}

/** Options of `simulateConversation`: a scripted user (`maxTurns` defaults to the script's length) or a simulated one (`maxTurns` required). */
export type SimulateConversationOptions = CommonOptions & ({ user: ScriptedUser; maxTurns?: number } | { user: SimulatedUser; maxTurns: number })

/** The options checked: which kind of user, and the turn limit. */
export type CheckedOptions = CommonOptions & { maxTurns: number } & ({ kind: 'script'; script: readonly string[] } | { kind: 'persona'; user: SimulatedUser })

const EXAMPLE = "e.g. simulateConversation({ app: (messages) => bot(messages), user: { persona: 'A customer whose parcel is late', goal: 'Learn when it arrives' }, maxTurns: 6 })"

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value)
  return Array.isArray(value) ? 'an array' : typeof value === 'function' ? 'a function' : 'an object'
}

function fail(problem: string): never {
  throw new ConfigError(`simulateConversation(): ${problem}\n${EXAMPLE}`)
}

function checkKeys(value: object, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key))
  if (unknown.length > 0) fail(`unknown ${where} ${unknown.map((key) => `\`${key}\``).join(', ')}; the ${where}s are ${allowed.map((key) => `\`${key}\``).join(', ')}.`)
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(`\`${name}\` must be a non-empty string, got ${shown(value)}.`)
  return value
}

function checkUser(user: unknown): { kind: 'script'; script: readonly string[] } | { kind: 'persona'; user: SimulatedUser } {
  if (typeof user !== 'object' || user === null) fail('`user` must be `{ script: string[] }` (a scripted user) or `{ persona, goal, judge? }` (a model plays the user).')
  if ('script' in user && 'persona' in user) fail('`user` has both `script` and `persona`: give a script, or a persona and goal.')
  if ('script' in user) {
    checkKeys(user, ['script'], 'user option')
    const { script } = user as { script: unknown }
    if (!Array.isArray(script) || script.length === 0) fail('`user.script` must be a non-empty array of messages, one per turn.')
    script.forEach((line: unknown, at) => nonEmptyString(line, `user.script[${at}]`))
    return { kind: 'script', script: [...(script as string[])] }
  }
  checkKeys(user, ['persona', 'goal', 'judge'], 'user option')
  const { persona, goal, judge } = user as Partial<SimulatedUser>
  return { kind: 'persona', user: { persona: nonEmptyString(persona, 'user.persona'), goal: nonEmptyString(goal, 'user.goal'), ...(judge === undefined ? {} : { judge }) } }
}

/**
 * Checks simulateConversation's options; every mistake is a ConfigError naming the option.
 *
 * @example
 * const checked = checkConversationOptions({ app, user: { script: ['Hi'] } })
 */
export function checkConversationOptions(options: unknown): CheckedOptions {
  if (typeof options !== 'object' || options === null) fail('needs an options object `{ app, user, maxTurns, until? }`.')
  checkKeys(options, ['app', 'user', 'maxTurns', 'until', 'signal'], 'option')
  const { app, user, maxTurns, until, signal } = options as Partial<SimulateConversationOptions> & { maxTurns?: unknown }
  if (typeof app !== 'function') fail('`app` must be a function that takes the messages so far and returns the reply: a string, or an object with a `text` string.')
  if (until !== undefined && typeof until !== 'function') fail('`until` must be a function `(conversation) => boolean`, called after every turn.')
  if (signal !== undefined && !(signal instanceof AbortSignal)) fail('`signal` must be an AbortSignal (e.g. the test context\'s `signal`).')
  const checkedUser = checkUser(user)
  if (maxTurns === undefined && checkedUser.kind === 'persona') fail('`maxTurns` is required with a simulated user: it bounds how long (and how costly) the conversation can get.')
  const limit = maxTurns ?? (checkedUser.kind === 'script' ? checkedUser.script.length : 0)
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) fail(`\`maxTurns\` must be a whole number of at least 1, got ${shown(maxTurns)}.`)
  return { app, maxTurns: limit, ...(until ? { until } : {}), ...(signal ? { signal } : {}), ...checkedUser }
}
