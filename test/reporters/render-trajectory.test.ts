import { describe, expect, test } from 'vitest'
import { caseConversation, caseTrace } from '../../reporters/case-trajectory.js'
import { compareRuns } from '../../reporters/compare.js'
import { escapeHtml } from '../../reporters/escape-html.js'
import { renderHtml } from '../../reporters/render-html.js'
import { conversationHtml, conversationSummary, traceHtml, traceSummary } from '../../reporters/render-trajectory.js'
import { historyRun } from './fixtures.js'
import { embeddedData } from './report-page-fixtures.js'
import { agentCase, HOSTILE, refundConversation, refundTrace } from './trajectory-fixtures.js'

const trace = caseTrace(refundTrace(), 2000)!
const conversation = caseConversation(refundConversation(), 2000)!
const count = (html: string, fragment: string) => html.split(fragment).length - 1

describe('trace HTML', () => {
  const html = traceHtml(trace)

  test('one item per step, with model, tokens and latency, and parallel calls said as such', () => {
    expect(count(html, '<li class="step">')).toBe(3)
    expect(html).toContain('<div class="step-head">step 1 · gpt-4.1-mini · 1,200 in / 40 out tokens · 812 ms · 2 calls in parallel</div>')
    expect(html).toContain('<div class="step-head">step 2 · gpt-4.1-mini · 1,300 in / 30 out tokens · 640 ms</div>')
    expect(traceSummary(trace)).toBe('3 steps · 3 tool calls')
  })

  test('tool calls show their arguments and result, or error, with invalid arguments flagged', () => {
    expect(html).toContain('<code class="tool">lookup_order</code> <span class="sub">call_1</span><pre class="args">{&#34;orderId&#34;:&#34;123&#34;,&#34;note&#34;:&#34;&#60;/script&#62;')
    expect(html).toContain('<pre class="result">Refunds within 30 days.</pre>')
    expect(html).toContain('<pre class="args">{&#34;orderId&#34;: 12</pre><div class="sub">arguments are not valid JSON: Unexpected end of JSON input</div><div class="sub">error</div><pre class="error">refund service down ')
    expect(html).toContain('<pre class="text">Issuing the refund.</pre>')
  })

  test('hostile text in arguments, results, errors and model text is shown as text, never as markup', () => {
    expect(html).not.toContain('<img')
    expect(html).not.toContain('</script>')
    expect(count(html, escapeHtml(HOSTILE))).toBe(4) // in the arguments, the result, the error and the final text
    expect(html).toContain(escapeHtml(JSON.stringify({ orderId: '123', note: HOSTILE })))
  })

  test('says what the bounds left out', () => {
    const steps = Array.from({ length: 40 }, (_, n) => ({ provider: 'anthropic', text: `thought ${n} ${'y'.repeat(900)}`, toolCalls: [{ name: 'search', args: { n } }] }))
    // As boundedTrace stores a run of 50 steps and 150 calls: 40 steps kept, the first 100 calls listed.
    const bounded = caseTrace({ steps, toolCalls: Array.from({ length: 100 }, () => ({ name: 'search', args: {} })), output: '', usage: {}, truncated: { steps: 10, toolCalls: 50 } }, 2000)!
    const shown = bounded.steps.reduce((sum, step) => sum + step.toolCalls.length, 0)
    expect(bounded.steps.length).toBeLessThan(40)
    expect(bounded.omitted).toEqual({ steps: 10 + 40 - bounded.steps.length, toolCalls: 150 - shown })
    expect(traceHtml(bounded)).toContain(`<p class="sub">Left out to keep the report small: ${bounded.omitted?.steps} steps and ${bounded.omitted?.toolCalls} tool calls.</p>`)
  })
})

describe('conversation HTML', () => {
  const html = conversationHtml(conversation)

  test('a transcript: user and assistant per turn, the tools of a turn, and why it ended', () => {
    expect(count(html, '<li class="turn">')).toBe(2)
    expect(html).toContain('<div class="who">turn 2 · user</div><pre class="user">Order 123, as I said.</pre><div class="who">assistant</div><pre class="assistant">Refund issued. ')
    expect(html).toContain('<div class="sub">tools: <code class="tool">lookup_order</code></div>')
    expect(html).toContain('<p class="ended">Ended: max-turns after 2 turns.</p>')
    expect(conversationSummary(conversation)).toBe('2 turns · ended: max-turns')
  })

  test('hostile turns are text', () => {
    expect(html).not.toContain('<img')
    expect(count(html, escapeHtml(HOSTILE))).toBe(2)
  })

  test('says how many turns were left out', () => {
    const turns = Array.from({ length: 30 }, (_, n) => ({ user: `q${n} ${'z'.repeat(500)}`, assistant: `a${n} ${'z'.repeat(500)}` }))
    const bounded = caseConversation({ turns, truncated: { turns: 20 } }, 2000)!
    expect(bounded.turns.length).toBe(6)
    expect(bounded.omittedTurns).toBe(20 + 24)
    expect(conversationHtml(bounded)).toContain('<p class="sub">44 later turns left out to keep the report small.</p>')
    expect(conversationSummary(bounded)).toBe('6 turns (+44 left out)')
  })
})

describe('in the report', () => {
  const run = historyRun('r1', { 'tool-calls': 1, 'task-completion': 1 })
  run.cases = [agentCase('refund', 'tool-calls', { trace, conversation }), agentCase('refund', 'task-completion'), agentCase('plain', 'tool-calls', { output: 'no agent here' })]
  const html = renderHtml({ runs: [run], comparison: compareRuns(run, [], undefined, { tolerance: 0.05, recent: 12 }), gateFailures: [] })

  test("a traced test's outputs name its trace and conversation, stored once in a template", () => {
    const data = embeddedData(html)
    // refund's two metrics are one row; its output names the templates, plain has none.
    expect(data.rows.map((row) => [row.id, row.outputs.map((output) => output.trajectory)])).toEqual([
      ['refund', ['trajectory-1']],
      ['plain', [undefined]],
    ])
    expect(html).toContain('<template id="trajectory-1"><section class="trace"><h4>trace <span class="sub">3 steps · 3 tool calls</span></h4>')
    expect(count(html, '<template id="trajectory-1"')).toBe(1)
    expect(count(html, '<section class="conversation">')).toBe(1)
    expect(count(html, '<li class="step">')).toBe(3)
  })

  test('stays self-contained and never holds the hostile text as markup', () => {
    expect(html).not.toContain('<img')
    expect(count(html, '</script>')).toBe(3) // the data, jsdiff and the report's own script
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//)
    expect(html).toContain(escapeHtml(HOSTILE))
  })
})
