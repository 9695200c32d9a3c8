// A case's trace and conversation as the history file holds them are read back from a file on disk (hand-edited,
// merged, or written by another version): every page and command that shows them relies on their shape, so one that
// does not have it is left out (the case is shown without it) instead of failing the report or the review page.
import type { CaseConversation, CaseScore, CaseTrace } from './run-record.js'

type Fields = Record<string, unknown>

const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value)
const isText = (value: unknown) => typeof value === 'string'
const isCount = (value: unknown) => typeof value === 'number' && Number.isFinite(value)
const optional = (check: (value: unknown) => boolean) => (value: unknown) => value === undefined || check(value)
const optionalText = optional(isText)
const optionalCount = optional(isCount)

const isToolCall = (call: unknown) =>
  isRecord(call) && isText(call['name']) && isText(call['args']) && optionalText(call['id']) && optionalText(call['argsError']) && optionalText(call['result']) && optionalText(call['error'])

// A token count the provider gave as NaN or Infinity is written as `null`: shown as 0, as it was.
const isTokenCount = (value: unknown) => value === null || optionalCount(value)
const isUsage = (usage: unknown) => isRecord(usage) && isTokenCount(usage['inputTokens']) && isTokenCount(usage['outputTokens'])

const isStep = (step: unknown) =>
  isRecord(step) &&
  isText(step['text']) &&
  Array.isArray(step['toolCalls']) &&
  step['toolCalls'].every(isToolCall) &&
  optionalText(step['provider']) &&
  optionalText(step['model']) &&
  optional(isUsage)(step['usage']) &&
  optionalCount(step['latencyMs'])

/** True when `value` has the shape of a {@link CaseTrace} (what the reporter writes). */
export function isCaseTrace(value: unknown): value is CaseTrace {
  if (!isRecord(value) || !Array.isArray(value['steps']) || !value['steps'].every(isStep)) return false
  const omitted = value['omitted']
  return omitted === undefined || (isRecord(omitted) && optionalCount(omitted['steps']) && optionalCount(omitted['toolCalls']))
}

const isTurn = (turn: unknown) =>
  isRecord(turn) && isText(turn['user']) && isText(turn['assistant']) && optional((tools) => Array.isArray(tools) && tools.every(isText))(turn['tools'])

/** True when `value` has the shape of a {@link CaseConversation} (what the reporter writes). */
export function isCaseConversation(value: unknown): value is CaseConversation {
  if (!isRecord(value) || !Array.isArray(value['turns']) || !value['turns'].every(isTurn)) return false
  const ended = value['ended']
  return (ended === undefined || (isRecord(ended) && isText(ended['reason']) && isCount(ended['turns']))) && optionalCount(value['omittedTurns'])
}

/**
 * The trace and conversation of a case score that have their shape (either may be absent).
 *
 * @example
 * trajectoryOf({ ...score, trace: 'not a trace' }) // {} (plus the conversation, when it is one)
 */
export function trajectoryOf(score: Pick<CaseScore, 'trace' | 'conversation'>): Pick<CaseScore, 'trace' | 'conversation'> {
  const { trace, conversation } = score
  return { ...(trace !== undefined && isCaseTrace(trace) ? { trace } : {}), ...(conversation !== undefined && isCaseConversation(conversation) ? { conversation } : {}) }
}
