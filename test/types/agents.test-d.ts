// Type tests of the agent matchers and simulateConversation, checked by `npm run typecheck`. Each
// `@ts-expect-error` line proves a misuse is rejected: the line must fail to compile.
import { expect, expectTypeOf, test } from 'vitest'
import { simulateConversation } from '../../src/agents/simulate-conversation.js'
import type { Conversation, ConversationMessage } from '../../src/agents/types.js'

const judge = { provider: 'anthropic', model: 'claude-haiku-4-5' } as const
const app = async (messages: ConversationMessage[]) => `You said ${messages.length} things.`

test('toCompleteTask and toRetainKnowledge are typed on expect(…) and return a promise', async () => {
  const conversation = await simulateConversation({ app, user: { script: ['Hi'] } })
  expectTypeOf(conversation).toEqualTypeOf<Conversation>()
  expectTypeOf(expect(conversation).toCompleteTask('Greets the user.', { threshold: 0.5, scores: { 'partially-completed': 0.4 }, judge })).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect('Hello!').not.toCompleteTask('Greets the user.')).toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect(conversation).toRetainKnowledge({ threshold: 0.8, samples: 3 })).toEqualTypeOf<Promise<void>>()
  // @ts-expect-error the goal is required
  void expect(conversation).toCompleteTask()
  // @ts-expect-error unknown verdict in scores
  void expect(conversation).toCompleteTask('Greets.', { scores: { done: 1 } })
  // @ts-expect-error toRetainKnowledge takes no goal
  void expect(conversation).toRetainKnowledge('Remembers the name.')
})

test('simulateConversation: a simulated user needs maxTurns, a script does not; the app returns text or { text }', () => {
  void simulateConversation({ app, user: { persona: 'Ada', goal: 'Get help', judge }, maxTurns: 4, until: ({ turns }) => turns.length > 2 })
  void simulateConversation({ app: () => ({ text: 'Hi' }), user: { script: ['a', 'b'] } })
  // @ts-expect-error maxTurns is required with a simulated user
  void simulateConversation({ app, user: { persona: 'Ada', goal: 'Get help' } })
  // @ts-expect-error the app returns a string or { text }
  void simulateConversation({ app: () => 42, user: { script: ['a'] } })
})
