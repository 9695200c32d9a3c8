// The conversation matchers keep a bounded copy of what they judged on `task.meta.conversation`, so the
// report and the review page can show the transcript (and the turns' merged trace on `task.meta.trace`).
import { describe, expect, test } from 'vitest'
import { traceOf } from '../../src/agents/trace-of.js'
import type { Conversation } from '../../src/agents/types.js'
import { keepConversation } from '../../matchers/shared/trace-matching.js'
import { enqueueVerdict, scriptedJudge } from '../src/judge/scripted-judges.js'
import { useScriptedServer } from './judged-support.js'
import { registerMatchers } from './support.js'

registerMatchers()
const scripted = useScriptedServer()

const conversation: Conversation = {
  turns: [
    { user: 'Refund order 123.', assistant: 'Refund r_9 is issued.', trace: traceOf([{ name: 'issue_refund', args: { orderId: '123' }, result: { refundId: 'r_9' } }]) },
    { user: 'When?', assistant: 'Within 5 working days.' },
  ],
  messages: [],
  ended: { reason: 'script-done', turns: 2 },
}

const stateWith = (meta: Record<string, unknown>) => ({ task: { meta } }) as unknown as Parameters<typeof keepConversation>[0]

describe('keepConversation', () => {
  test('toCompleteTask keeps the conversation it judged, and its turns\' merged trace', async ({ task }) => {
    enqueueVerdict(scripted.server, 'openai', 'task_completion_verdict', { outcome: 'Refund issued.', reasoning: 'Done.', verdict: 'completed' })
    await expect(conversation).toCompleteTask('The refund is issued.', { judge: scriptedJudge(scripted.server, 'openai') })
    expect(task.meta.conversation).toEqual({
      turns: [
        { user: 'Refund order 123.', assistant: 'Refund r_9 is issued.', tools: ['issue_refund'] },
        { user: 'When?', assistant: 'Within 5 working days.' },
      ],
      ended: { reason: 'script-done', turns: 2 },
    })
    expect(task.meta.trace?.toolCalls.map((call) => call.name)).toEqual(['issue_refund'])
  })

  test('toRetainKnowledge keeps the conversation it judged', async ({ task }) => {
    enqueueVerdict(scripted.server, 'openai', 'knowledge_retention_verdict', { turns: [{ index: 1, knowledge: '', reasoning: 'r', verdict: 'nothing-to-retain' }, { index: 2, knowledge: 'order 123', reasoning: 'r', verdict: 'retained' }] })
    await expect(conversation).toRetainKnowledge({ judge: scriptedJudge(scripted.server, 'openai') })
    expect(task.meta.conversation?.turns.map((turn) => turn.user)).toEqual(['Refund order 123.', 'When?'])
  })

  test('leaves a trace a trace matcher kept, and ignores values that are not conversations', () => {
    const kept = { steps: [], toolCalls: [], output: 'kept', usage: {} }
    const meta: Record<string, unknown> = { trace: kept }
    keepConversation(stateWith(meta), conversation)
    expect(meta.trace).toBe(kept)
    const other: Record<string, unknown> = {}
    keepConversation(stateWith(other), 'Your refund is issued.')
    keepConversation(stateWith(other), { steps: [], toolCalls: [], output: '' })
    expect(other).toEqual({})
  })

  test('a hand-made conversation without an end keeps its transcript, even when traceOf cannot read it', () => {
    const meta: Record<string, unknown> = {}
    keepConversation(stateWith(meta), { turns: conversation.turns, messages: [] })
    expect(meta.conversation).toEqual({ turns: [expect.objectContaining({ user: 'Refund order 123.' }), expect.objectContaining({ user: 'When?' })] })
  })
})
