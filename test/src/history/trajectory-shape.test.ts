// A history file is on disk, editable by anyone: a case's trace or conversation without the shape the reporter writes
// is left out of the HTML report and the review page, which are still built (they failed with a TypeError).
import { describe, expect, test } from 'vitest'
import { isCaseConversation, isCaseTrace, trajectoryOf } from '../../../src/history/trajectory-shape.js'
import { trajectoriesByTest, type CaseScore, type HistoryRun } from '../../../src/history/run-record.js'
import { reviewRows } from '../../../src/review/review-rows.js'
import { trajectoryTemplates } from '../../../reporters/report-outputs.js'

const trace = { steps: [{ model: 'm', text: 'hi', toolCalls: [{ name: 'lookup', args: '{}', result: '1' }], usage: { inputTokens: 1 }, latencyMs: 3 }], omitted: { steps: 1 } }
const conversation = { turns: [{ user: 'u', assistant: 'a', tools: ['lookup'] }], ended: { reason: 'max-turns', turns: 1 }, omittedTurns: 2 }
const damaged: unknown[] = [null, 'x', [], {}, { steps: 'x' }, { steps: [1] }, { steps: [{ text: 'x' }] }, { steps: [{ text: 'x', toolCalls: [{ name: 'n' }] }] }, { steps: [], omitted: 'x' }]
const damagedConversations: unknown[] = ['x', {}, { turns: [{ user: 5, assistant: 'a' }] }, { turns: [], ended: { reason: 1 } }, { turns: [{ user: 'u', assistant: 'a', tools: [1] }] }]

const score = (extra: Record<string, unknown>): CaseScore => ({ suite: 'a.test.ts', test: 'agent', metric: 'm', score: 1, pass: true, trials: 1, ...extra }) as CaseScore

describe('a trace or conversation read from history', () => {
  test('the shapes the reporter writes are kept', () => {
    expect(isCaseTrace(trace)).toBe(true)
    expect(isCaseConversation(conversation)).toBe(true)
    expect(trajectoryOf(score({ trace, conversation }))).toEqual({ trace, conversation })
  })

  test('any other is left out', () => {
    for (const value of damaged) expect(isCaseTrace(value)).toBe(false)
    for (const value of damagedConversations) expect(isCaseConversation(value)).toBe(false)
  })

  test('the report and the review page are built without a damaged one', () => {
    for (const broken of [...damaged.map((value) => ({ trace: value })), ...damagedConversations.map((value) => ({ conversation: value }))]) {
      const cases = [score(broken)]
      expect(trajectoriesByTest(cases).size).toBe(0)
      expect(trajectoryTemplates({ runs: [{ cases } as HistoryRun] } as unknown as Parameters<typeof trajectoryTemplates>[0])).toBe('')
      const [row] = reviewRows({ cases }, [])
      expect(row?.trace).toBeUndefined()
      expect(row?.conversation).toBeUndefined()
    }
  })
})
