// A case's trace and conversation in the summary: read defensively, bounded by a budget tied to maxTextChars,
// kept once per test (not per metric), and dropped from old runs by the history's retention like outputs.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { caseConversation, caseTrace, TRAJECTORY_BUDGET_FACTOR } from '../../reporters/case-trajectory.js'
import { DEFAULT_PRICES } from '../../reporters/pricing.js'
import { summarizeRun } from '../../reporters/summarize.js'
import { appendRun, readHistory } from '../../src/history/history-file.js'
import { trajectoriesByTest } from '../../src/history/run-record.js'
import { collected, historyRun, record } from './fixtures.js'
import { agentCase, refundConversation, refundTrace } from './trajectory-fixtures.js'

describe('caseTrace', () => {
  test('keeps each step\'s model, text, tool calls (values as JSON text), tokens and latency', () => {
    expect(caseTrace(refundTrace(), 2000)?.steps[0]).toEqual({
      provider: 'openai-chat',
      model: 'gpt-4.1-mini',
      text: '',
      toolCalls: [
        { id: 'call_1', name: 'lookup_order', args: '{"orderId":"123","note":"</script><img src=x onerror=alert(1)>"}', result: '{"status":"delivered","memo":"</script><img src=x onerror=alert(1)>"}' },
        { id: 'call_2', name: 'check_policy', args: '{"topic":"refunds"}', result: 'Refunds within 30 days.' },
      ],
      usage: { inputTokens: 1200, outputTokens: 40 },
      latencyMs: 812,
    })
  })

  test('holds a long trace to its budget: texts cut with a note, later steps counted as left out', () => {
    const steps = Array.from({ length: 50 }, (_, n) => ({ provider: 'openai-chat', text: 'x'.repeat(5000), toolCalls: [{ name: 'read', args: { n, blob: 'y'.repeat(5000) }, result: 'z'.repeat(5000) }] }))
    const bounded = caseTrace({ steps, toolCalls: [], output: '', usage: {} }, 200)!
    expect(bounded.steps[0]?.text).toBe(`${'x'.repeat(100)}… (+4900 chars)`)
    expect(bounded.steps[0]?.toolCalls[0]?.args).toMatch(/^\{"n":0,"blob":"y{35}… \(\+\d+ chars\)$/)
    const shown = bounded.steps.reduce((sum, step) => sum + step.toolCalls.length, 0)
    expect(shown).toBeLessThan(bounded.steps.length + 1)
    expect(bounded.omitted).toEqual({ steps: 50 - bounded.steps.length, toolCalls: 50 - shown })
    // Within the budget plus one step's worth of notes and structure.
    expect(JSON.stringify(bounded).length).toBeLessThan(200 * TRAJECTORY_BUDGET_FACTOR + 800)
  })

  test('reads whatever is in the meta without failing: nothing usable gives nothing', () => {
    expect(caseTrace('a trace', 2000)).toBeUndefined()
    expect(caseTrace({ steps: 'many' }, 2000)).toBeUndefined()
    expect(caseTrace({ steps: [42, null] }, 2000)).toBeUndefined()
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(caseTrace({ steps: [{ text: 7, toolCalls: [{ name: { odd: true }, args: cycle }, 'not a call'], usage: 'lots', latencyMs: 'slow' }] }, 2000)).toEqual({
      steps: [{ text: '7', toolCalls: [{ name: '{"odd":true}', args: '[object Object]' }] }],
    })
    expect(caseConversation({ turns: [{ user: 1 }], ended: { reason: 3 } }, 2000)).toEqual({ turns: [{ user: '1', assistant: '' }] })
  })
})

describe('in the summary and the history', () => {
  const meta = (extra: object) => ({ evals: [record('tool-calls', 1), record('task-completion', 0.5)], ...extra })

  test('a test\'s trace and conversation go on its first case score only', () => {
    const summary = summarizeRun([collected('refund', [], { meta: meta({ trace: refundTrace(), conversation: refundConversation() }) })], { pricing: DEFAULT_PRICES, maxTextChars: 2000 })
    const [first, second] = summary.cases ?? []
    expect(first?.trace?.steps).toHaveLength(3)
    expect(first?.conversation?.turns).toHaveLength(2)
    expect(second).not.toHaveProperty('trace')
    expect(second).not.toHaveProperty('conversation')
    expect(trajectoriesByTest(summary.cases ?? []).get(`${second?.suite}\u0000${second?.test}`)?.trace).toBe(first?.trace)
  })

  test('history keeps them like outputs: written with the run, dropped once the run is older than keepCaseDetails', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'trajectory-history-')), 'history.jsonl')
    const trace = caseTrace(refundTrace(), 2000)
    const conversation = caseConversation(refundConversation(), 2000)
    const retention = { caseScores: 10, caseDetails: 1 }
    appendRun(file, historyRun('r1', {}, { cases: [agentCase('refund', 'tool-calls', { trace, conversation }), agentCase('refund', 'task-completion')] }), retention)
    expect(readHistory(file)[0]?.cases?.[0]).toMatchObject({ trace, conversation })
    appendRun(file, historyRun('r2', { rouge: 1 }), retention)
    const [older] = readHistory(file)
    expect(older?.cases).toHaveLength(2)
    expect(older?.cases?.[0]).not.toHaveProperty('trace')
    expect(older?.cases?.[0]).not.toHaveProperty('conversation')
  })
})
