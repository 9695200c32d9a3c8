import { describe, expect, test } from 'vitest'
import { boundedConversation, STORED_CONVERSATION_LIMITS } from '../../../src/agents/conversation-bounded.js'
import { traceOf } from '../../../src/agents/trace-of.js'
import type { Conversation } from '../../../src/agents/types.js'

describe('boundedConversation', () => {
  test('keeps each turn\'s texts and tool names, and why it ended, without messages or traces', () => {
    const conversation: Conversation = {
      turns: [{ user: 'Refund 123', assistant: 'Done.', trace: traceOf([{ name: 'lookup_order', args: {} }, { name: 'issue_refund', args: {} }]) }],
      messages: [{ role: 'user', content: 'Refund 123' }, { role: 'assistant', content: 'Done.' }],
      ended: { reason: 'goal-met', turns: 1 },
    }
    expect(boundedConversation(conversation)).toEqual({ turns: [{ user: 'Refund 123', assistant: 'Done.', tools: ['lookup_order', 'issue_refund'] }], ended: { reason: 'goal-met', turns: 1 } })
  })

  test('keeps the first 50 turns, cuts long texts with a note, and says how many turns were left out', () => {
    const turns = Array.from({ length: 80 }, (_, n) => ({ user: `question ${n} ${'x'.repeat(5000)}`, assistant: `answer ${n}` }))
    const stored = boundedConversation({ turns, ended: { reason: 'max-turns', turns: 80 } })
    expect(stored.turns).toHaveLength(STORED_CONVERSATION_LIMITS.turns)
    expect(stored.truncated).toEqual({ turns: 30 })
    expect(stored.turns[0]?.user).toMatch(/^question 0 x+… \(\+3011 chars\)$/)
    expect(stored.turns[0]?.user).toHaveLength(STORED_CONVERSATION_LIMITS.text + '… (+3011 chars)'.length)
    expect(JSON.stringify(stored).length).toBeLessThan(120_000)
  })

  test('an unknown end reason is left out rather than kept as it is', () => {
    expect(boundedConversation({ turns: [{ user: 'a', assistant: 'b' }], ended: { reason: '<img src=x>', turns: 1 } } as never)).toEqual({ turns: [{ user: 'a', assistant: 'b' }] })
  })
})
