// What a case's trace and conversation become in history and reports: read defensively from the test's meta
// (any JSON can be there), every value turned into text, each text cut, and the whole held to a budget
// tied to `maxTextChars`, so an agent case costs a few outputs' worth, not a whole agent run. Pure.
import type { CaseConversation, CaseToolCall, CaseTrace, CaseTraceStep } from '../src/history/run-record.js'

/** Characters of step texts and tool values one case's trace may use, per `maxTextChars`; its conversation has as many. */
export const TRAJECTORY_BUDGET_FACTOR = 3
/** Shortest piece kept once a step or turn is started, so a nearly spent budget cuts with a readable note. */
const MIN_PIECE = 80

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0)

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (+${text.length - limit} chars)`
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Hands out characters: each piece is cut at its own cap and at what is left of the budget. */
class Budget {
  constructor(private left: number) {}
  get spent(): boolean {
    return this.left <= 0
  }
  take(value: unknown, cap: number): string {
    const text = cut(asText(value), Math.min(cap, Math.max(this.left, MIN_PIECE)))
    this.left -= text.length
    return text
  }
}

function toolCall(call: Record<string, unknown>, budget: Budget, cap: number): CaseToolCall {
  const kept: CaseToolCall = { name: cut(asText(call.name ?? '(unnamed)'), 200), args: budget.take(call.args ?? null, cap) }
  if (call.id !== undefined) kept.id = cut(asText(call.id), 200)
  if (call.argsError !== undefined) kept.argsError = budget.take(call.argsError, cap)
  if (call.result !== undefined) kept.result = budget.take(call.result, cap)
  if (call.error !== undefined) kept.error = budget.take(call.error, cap)
  return kept
}

function usageOf(value: unknown): CaseTraceStep['usage'] {
  if (!isRecord(value)) return undefined
  const usage: NonNullable<CaseTraceStep['usage']> = {}
  if (typeof value.inputTokens === 'number') usage.inputTokens = value.inputTokens
  if (typeof value.outputTokens === 'number') usage.outputTokens = value.outputTokens
  return Object.keys(usage).length ? usage : undefined
}

/**
 * A case's trace for history and reports, from `task.meta.trace` (a `StoredTrace`, or anything else,
 * read defensively); `undefined` when it holds no step. Step texts are cut at half `maxTextChars`, tool
 * values at a quarter, and steps stop once `3 × maxTextChars` characters are used (the rest counted).
 *
 * @example
 * caseTrace(meta.trace, 2000) // { steps: [{ model: 'gpt-4.1', text: '', toolCalls: [{ name: 'lookup_order', args: '{"orderId":"123"}' }] }] }
 */
export function caseTrace(stored: unknown, maxTextChars: number): CaseTrace | undefined {
  if (!isRecord(stored)) return undefined
  const steps = list(stored.steps).filter(isRecord)
  if (steps.length === 0) return undefined
  const budget = new Budget(maxTextChars * TRAJECTORY_BUDGET_FACTOR)
  const kept: CaseTraceStep[] = []
  const before = isRecord(stored.truncated) ? stored.truncated : {}
  let stepsLeftOut = count(before.steps)
  let callsInSteps = 0
  let callsShown = 0
  for (const step of steps) {
    const calls = list(step.toolCalls).filter(isRecord)
    callsInSteps += calls.length
    if (budget.spent) {
      stepsLeftOut += 1
      continue
    }
    const each: CaseTraceStep = { text: budget.take(step.text ?? '', Math.ceil(maxTextChars / 2)), toolCalls: [] }
    for (const call of calls) if (!budget.spent) each.toolCalls.push(toolCall(call, budget, Math.ceil(maxTextChars / 4)))
    callsShown += each.toolCalls.length
    if (typeof step.provider === 'string') each.provider = step.provider
    if (typeof step.model === 'string') each.model = cut(step.model, 200)
    const usage = usageOf(step.usage)
    if (usage) each.usage = usage
    if (typeof step.latencyMs === 'number' && Number.isFinite(step.latencyMs)) each.latencyMs = step.latencyMs
    kept.push(each)
  }
  // The stored trace lists every call it kept once more, with a count of those it left out: the run's total.
  const allCalls = Math.max(callsInSteps, list(stored.toolCalls).length + count(before.toolCalls))
  const omitted = { steps: stepsLeftOut, toolCalls: allCalls - callsShown }
  const left = Object.fromEntries(Object.entries(omitted).filter(([, value]) => value > 0))
  return { steps: kept, ...(Object.keys(left).length ? { omitted: left } : {}) }
}

/**
 * A case's conversation for history and reports, from `task.meta.conversation` (a `StoredConversation`,
 * read defensively); `undefined` when it holds no turn. Texts are cut at half `maxTextChars`, and turns
 * stop once `3 × maxTextChars` characters are used (the rest counted).
 *
 * @example
 * caseConversation(meta.conversation, 2000) // { turns: [{ user: 'Refund 123', assistant: 'Done.' }], ended: { reason: 'script-done', turns: 1 } }
 */
export function caseConversation(stored: unknown, maxTextChars: number): CaseConversation | undefined {
  if (!isRecord(stored)) return undefined
  const turns = list(stored.turns).filter(isRecord)
  if (turns.length === 0) return undefined
  const budget = new Budget(maxTextChars * TRAJECTORY_BUDGET_FACTOR)
  const kept: CaseConversation['turns'] = []
  let omittedTurns = isRecord(stored.truncated) ? count(stored.truncated.turns) : 0
  for (const turn of turns) {
    if (budget.spent) {
      omittedTurns += 1
      continue
    }
    const cap = Math.ceil(maxTextChars / 2)
    const tools = list(turn.tools).slice(0, 20).map((name) => cut(asText(name), 200))
    kept.push({ user: budget.take(turn.user ?? '', cap), assistant: budget.take(turn.assistant ?? '', cap), ...(tools.length ? { tools } : {}) })
  }
  const ended = isRecord(stored.ended) && typeof stored.ended.reason === 'string' ? { reason: cut(stored.ended.reason, 50), turns: count(stored.ended.turns) } : undefined
  return { turns: kept, ...(ended ? { ended } : {}), ...(omittedTurns ? { omittedTurns } : {}) }
}
