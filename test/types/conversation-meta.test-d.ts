// Type test of the stored conversation, checked by `npm run typecheck` (tsc).
import { expectTypeOf, test } from 'vitest'
import '../../matchers/types.js'
import { boundedConversation, type Conversation, type StoredConversation } from '../../src/index.js'

test('task.meta.conversation is the stored copy boundedConversation makes', ({ task }) => {
  expectTypeOf(task.meta.conversation).toEqualTypeOf<StoredConversation | undefined>()
  expectTypeOf(boundedConversation({} as Conversation)).toEqualTypeOf<StoredConversation>()
  // @ts-expect-error a stored conversation has no message list
  void ({} as StoredConversation).messages
})
