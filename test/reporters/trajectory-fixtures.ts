import type { CaseScore } from '../../src/history/run-record.js'
import type { StoredTrace } from '../../src/agents/trace-bounded.js'
import type { StoredConversation } from '../../src/agents/conversation-bounded.js'

/** Text that would run code if a page parsed it as HTML. */
export const HOSTILE = '</script><img src=x onerror=alert(1)>'

/** A 3-step agent trace: two tool calls in parallel, one that failed, then the answer. Hostile text in arguments and results. */
export function refundTrace(): StoredTrace {
  const steps: StoredTrace['steps'] = [
    {
      provider: 'openai-chat',
      model: 'gpt-4.1-mini',
      text: '',
      toolCalls: [
        { id: 'call_1', name: 'lookup_order', args: { orderId: '123', note: HOSTILE }, result: { status: 'delivered', memo: HOSTILE } },
        { id: 'call_2', name: 'check_policy', args: { topic: 'refunds' }, result: 'Refunds within 30 days.' },
      ],
      usage: { inputTokens: 1200, outputTokens: 40 },
      latencyMs: 812,
    },
    { provider: 'openai-chat', model: 'gpt-4.1-mini', text: 'Issuing the refund.', toolCalls: [{ id: 'call_3', name: 'issue_refund', args: '{"orderId": 12', argsError: 'Unexpected end of JSON input', error: `refund service down ${HOSTILE}` }], usage: { inputTokens: 1300, outputTokens: 30 }, latencyMs: 640 },
    { provider: 'openai-chat', model: 'gpt-4.1-mini', text: `Your refund is on its way. ${HOSTILE}`, toolCalls: [], usage: { inputTokens: 1400, outputTokens: 20 }, latencyMs: 410 },
  ]
  return { steps, toolCalls: steps.flatMap((step) => step.toolCalls), output: steps[2]!.text, usage: { inputTokens: 3900, outputTokens: 90 } }
}

/** A two-turn conversation with hostile text in both turns. */
export function refundConversation(): StoredConversation {
  return {
    turns: [
      { user: `Refund order 123 ${HOSTILE}`, assistant: 'Which order?', tools: ['lookup_order'] },
      { user: 'Order 123, as I said.', assistant: `Refund issued. ${HOSTILE}` },
    ],
    ended: { reason: 'max-turns', turns: 2 },
  }
}

/** A case score with defaults, for the agent suite. */
export function agentCase(test: string, metric: string, extra: Partial<CaseScore> = {}): CaseScore {
  return { suite: 'agent.test.ts > agent', test: `agent > ${test}`, caseId: test, metric, score: 1, pass: true, trials: 1, ...extra }
}
