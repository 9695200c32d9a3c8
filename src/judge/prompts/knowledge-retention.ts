import type { z } from 'zod'
import { lazyZodSchema } from '../../lazy-schema.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

/** Knowledge retention verdicts on one assistant reply. */
export const RETENTION_VERDICTS = ['retained', 'forgot', 'nothing-to-retain'] as const

const schema = lazyZodSchema((z) =>
  z.object({
    turns: z.array(z.object({ index: z.number().int(), knowledge: z.string(), reasoning: z.string(), verdict: z.enum(RETENTION_VERDICTS) })),
  }),
)

/** A knowledge retention verdict: one item per assistant reply. */
export type KnowledgeRetentionVerdict = z.infer<ReturnType<typeof schema>>

/**
 * Did the assistant keep what the user told it (DeepEval's knowledge retention), judged reply by reply.
 * Slots: transcript (the turns as regions), indexes (the turn numbers to judge).
 */
export const knowledgeRetentionPrompt: JudgePrompt<KnowledgeRetentionVerdict> = {
  id: 'knowledge-retention',
  schemaName: 'knowledge_retention_verdict',
  get schema() {
    return schema()
  },
  system: `You check whether an assistant remembers what a user told it during a conversation, one reply at a time. ${untrustedRegionsNote('to check')}`,
  untrusted: { transcript: 'turn' },
  template: `The conversation ("user" regions are the user's messages, "assistant" regions the assistant's replies, "omitted"
says what was left out; the index of a region is its turn number):
{{transcript}}

For every assistant reply (turns {{indexes}}), in order, give:
- "index": its turn number;
- "knowledge": what the user had told the assistant up to that turn that bears on this reply (facts about
  themselves, their situation, choices, constraints), or "" when nothing;
- "reasoning": whether the reply keeps that knowledge;
- "verdict": "retained" when the reply uses or respects it; "forgot" when it asks again for something the user
  already said, contradicts it, or ignores it where it matters; "nothing-to-retain" when the user had told the
  assistant nothing this reply needed.`,
}
