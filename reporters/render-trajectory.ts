// A case's trace and conversation as HTML fragments for the report: every step with its model, text, tool
// calls (arguments, results, errors), tokens and latency; the conversation as a transcript. Every text from
// a model, a tool or a user goes through `escapeHtml`. Pure: strings in, a string out.
import type { CaseConversation, CaseToolCall, CaseTrace, CaseTraceStep } from '../src/history/run-record.js'
import { groupThousands } from '../src/format-number.js'
import { escapeHtml } from './escape-html.js'

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`
const pre = (className: string, text: string) => `<pre class="${className}">${escapeHtml(text)}</pre>`

/** "3 steps · 4 tool calls": what a trace holds, for its summary line. */
export function traceSummary(trace: CaseTrace): string {
  const calls = trace.steps.reduce((sum, step) => sum + step.toolCalls.length, 0)
  const omitted = trace.omitted?.steps ? ` (+${trace.omitted.steps} left out)` : ''
  return `${plural(trace.steps.length, 'step')}${omitted} · ${plural(calls + (trace.omitted?.toolCalls ?? 0), 'tool call')}`
}

/** "4 turns · ended: max-turns": what a conversation holds, for its summary line. */
export function conversationSummary(conversation: CaseConversation): string {
  const omitted = conversation.omittedTurns ? ` (+${conversation.omittedTurns} left out)` : ''
  return `${plural(conversation.turns.length, 'turn')}${omitted}${conversation.ended ? ` · ended: ${conversation.ended.reason}` : ''}`
}

function stepFacts(step: CaseTraceStep): string {
  const tokens = step.usage ? `${groupThousands(step.usage.inputTokens ?? 0)} in / ${groupThousands(step.usage.outputTokens ?? 0)} out tokens` : ''
  const latency = step.latencyMs === undefined ? '' : `${groupThousands(Math.round(step.latencyMs))} ms`
  return [step.model ?? step.provider ?? '', tokens, latency].filter(Boolean).map(escapeHtml).join(' · ')
}

function toolCallHtml(call: CaseToolCall): string {
  const id = call.id === undefined ? '' : ` <span class="sub">${escapeHtml(call.id)}</span>`
  const args = call.argsError === undefined ? pre('args', call.args) : `${pre('args', call.args)}<div class="sub">arguments are not valid JSON: ${escapeHtml(call.argsError)}</div>`
  const outcome = call.error !== undefined ? `<div class="sub">error</div>${pre('error', call.error)}` : call.result !== undefined ? `<div class="sub">result</div>${pre('result', call.result)}` : '<div class="sub">no result seen</div>'
  return `<li class="call"><code class="tool">${escapeHtml(call.name)}</code>${id}${args}${outcome}</li>`
}

function stepHtml(step: CaseTraceStep, index: number): string {
  const parallel = step.toolCalls.length > 1 ? ` · ${step.toolCalls.length} calls in parallel` : ''
  const text = step.text === '' ? '' : pre('text', step.text)
  const calls = step.toolCalls.length ? `<ol class="calls">${step.toolCalls.map(toolCallHtml).join('')}</ol>` : ''
  return `<li class="step"><div class="step-head">step ${index + 1} · ${stepFacts(step)}${parallel}</div>${text}${calls}</li>`
}

/**
 * A trace as an ordered list of steps: model, tokens and latency; the step's text; its tool calls with
 * arguments and results or errors; and a note of what the bounds left out.
 *
 * @example
 * traceHtml({ steps: [{ model: 'gpt-4.1', text: '', toolCalls: [{ name: 'lookup_order', args: '{"orderId":"123"}' }] }] })
 */
export function traceHtml(trace: CaseTrace): string {
  const omitted = trace.omitted ? `<p class="sub">Left out to keep the report small: ${[trace.omitted.steps ? plural(trace.omitted.steps, 'step') : '', trace.omitted.toolCalls ? plural(trace.omitted.toolCalls, 'tool call') : ''].filter(Boolean).join(' and ')}.</p>` : ''
  return `<ol class="steps">${trace.steps.map(stepHtml).join('')}</ol>${omitted}`
}

/**
 * A conversation as a transcript: each turn's user and assistant text and the tools called in it, then
 * why the conversation ended.
 *
 * @example
 * conversationHtml({ turns: [{ user: 'Refund 123', assistant: 'Done.' }], ended: { reason: 'script-done', turns: 1 } })
 */
export function conversationHtml(conversation: CaseConversation): string {
  const turns = conversation.turns
    .map((turn, index) => {
      const tools = turn.tools?.length ? `<div class="sub">tools: ${turn.tools.map((name) => `<code class="tool">${escapeHtml(name)}</code>`).join(', ')}</div>` : ''
      return `<li class="turn"><div class="who">turn ${index + 1} · user</div>${pre('user', turn.user)}<div class="who">assistant</div>${pre('assistant', turn.assistant)}${tools}</li>`
    })
    .join('')
  const omitted = conversation.omittedTurns ? `<p class="sub">${plural(conversation.omittedTurns, 'later turn')} left out to keep the report small.</p>` : ''
  const ended = conversation.ended ? `<p class="ended">Ended: ${escapeHtml(conversation.ended.reason)} after ${plural(conversation.ended.turns, 'turn')}.</p>` : ''
  return `<ol class="turns">${turns}</ol>${omitted}${ended}`
}
