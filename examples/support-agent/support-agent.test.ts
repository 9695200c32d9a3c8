import { afterEach, describe, expect, test } from 'vitest'
import { recordTool, resolveCassetteMode, simulateConversation, testTrace } from 'vitest-llm-evals'
import { anthropicAgent } from './anthropic-agent.js'
import { openaiAgent } from './openai-agent.js'
import { backendCalls, shopTools, type ShopTools } from './shop.js'

// The agent gets recorded tools: their calls are stored in the cassette beside the model calls and replayed
// from it, so a whole agent run is deterministic offline.
const tools: ShopTools = {
  lookup_order: recordTool('lookup_order', shopTools.lookup_order),
  check_refund_policy: recordTool('check_refund_policy', shopTools.check_refund_policy),
  issue_refund: recordTool('issue_refund', shopTools.issue_refund),
}

// In replay (the examples' configured mode) the tools answer from the cassette: the backend is never reached.
afterEach(() => {
  if (resolveCassetteMode(process.env, 'replay') === 'replay') expect(backendCalls).toEqual([])
})

describe('support agent (OpenAI)', () => {
  test('refunds a damaged blender after checking the order and the policy', async () => {
    await openaiAgent([{ role: 'user', content: 'My blender from order A-1001 arrived cracked. I want my money back.' }], tools)
    const trace = testTrace()
    await expect(trace).toCallTools(['lookup_order', 'check_refund_policy', 'issue_refund'], { mode: 'strict' })
    await expect(trace).toCallTool('issue_refund', { args: { orderId: 'A-1001', amount: expect.closeTo(49.9, 2) }, times: 1 })
    await expect(trace).toCompleteTask('The customer asked for a refund of a blender (order A-1001) that arrived damaged: the full price is refunded and the customer is told when the money arrives.')
  })

  test('streamed: declines a change-of-mind refund past the 14-day window, without refunding', async () => {
    const answer = await openaiAgent([{ role: 'user', content: "I don't need the coffee grinder from order A-1002 any more. Can I return it for a refund?" }], tools, { stream: true })
    const trace = testTrace()
    await expect(trace).not.toCallTool('issue_refund')
    await expect(trace).toCallTools(['check_refund_policy', 'lookup_order'], { mode: 'unordered' })
    await expect(trace).toCallTool('check_refund_policy', { args: { reason: 'changed-mind' } })
    expect(answer).toMatch(/14 days/)
  })
})

describe('support agent (Anthropic)', () => {
  test('a simulated customer with a broken kettle gets a refund, and is never asked twice for what they said', async () => {
    const conversation = await simulateConversation({
      app: (messages) => anthropicAgent(messages, tools),
      user: {
        persona: 'Grace, whose new kettle (order A-1003) arrived with a cracked lid. Brief and a little annoyed; gives the order number only when asked.',
        goal: 'Get the money back for the kettle.',
      },
      maxTurns: 4,
    })
    expect(conversation.ended.reason).toBe('goal-met')
    // Each turn keeps the agent's model calls and tool calls; the simulated customer's calls are not part of them.
    await expect(conversation).toCallTool('issue_refund', { args: { orderId: 'A-1003' }, times: 1 })
    await expect(conversation).toCompleteTask('The customer with a damaged kettle (order A-1003) is refunded in full and told when the money arrives.')
    await expect(conversation).toRetainKnowledge()
  })
})
