import { describe, expect, test, type RunnerTestSuite } from 'vitest'
import { traceOf } from '../../../src/agents/trace-of.js'
import type { Conversation } from '../../../src/agents/types.js'
import { agentOutput, transcript } from '../../../src/suites/agent-output.js'
import { describeEval } from '../../../src/suites/describe-eval.js'
import type { EvalTaskMeta } from '../../../src/suites/task-meta.js'
import { registerMatchers } from '../../matchers/support.js'

registerMatchers()

const refund = traceOf([
  { name: 'lookup_order', args: { orderId: '123' }, result: { status: 'delivered' } },
  { name: 'issue_refund', args: { orderId: '123' } },
])
const agentTrace = { ...refund, output: 'Your refund is on its way.' }
const conversation: Conversation = {
  turns: [
    { user: 'refund 123', assistant: 'Looking it up.', trace: traceOf([{ name: 'lookup_order', args: { orderId: '123' } }]) },
    { user: 'thanks', assistant: 'Refund issued.' },
  ],
  messages: [],
  ended: { reason: 'script-done', turns: 2 },
}

describeEval('agent outputs', {
  data: [{ id: 'trace' }, { id: 'conversation' }],
  task: (row) => (row.id === 'trace' ? agentTrace : conversation),
  scorers: [async (output, { expect }) => expect(output).toCallTool('lookup_order', { args: { orderId: '123' } })],
})

describe('describeEval with an agent task', () => {
  test('a Trace shows as its output text, a Conversation as its transcript; both keep a bounded trace; scorers get the value itself', ({ task }) => {
    const suite = task.file.tasks.find((each) => each.name === 'agent outputs') as RunnerTestSuite
    const [fromTrace, fromConversation] = suite.tasks.map((each) => each.meta as EvalTaskMeta)
    expect(fromTrace).toMatchObject({ output: 'Your refund is on its way.', trace: { toolCalls: [{ name: 'lookup_order' }, { name: 'issue_refund' }] }, evals: [{ metric: 'tool-call:lookup_order', pass: true }] })
    expect(fromConversation).toMatchObject({ output: 'User: refund 123\nAssistant: Looking it up.\n\nUser: thanks\nAssistant: Refund issued.', trace: { toolCalls: [{ name: 'lookup_order' }] } })
    expect(fromConversation?.trace?.steps[0]).not.toHaveProperty('messages')
    expect(fromConversation?.conversation).toEqual({
      turns: [
        { user: 'refund 123', assistant: 'Looking it up.', tools: ['lookup_order'] },
        { user: 'thanks', assistant: 'Refund issued.' },
      ],
      ended: { reason: 'script-done', turns: 2 },
    })
    expect(fromTrace).not.toHaveProperty('conversation')
  })
})

describe('agentOutput', () => {
  test('other outputs are left to the suite', () => {
    expect(agentOutput('Paris')).toBeUndefined()
    expect(agentOutput({ answer: 'Paris' })).toBeUndefined()
  })

  test('a conversation without traces has its transcript and no trace', () => {
    const plain = { ...conversation, turns: conversation.turns.map(({ user, assistant }) => ({ user, assistant })) }
    expect(agentOutput(plain)).toEqual({ text: transcript(plain), conversation: { turns: plain.turns, ended: { reason: 'script-done', turns: 2 } } })
  })
})
