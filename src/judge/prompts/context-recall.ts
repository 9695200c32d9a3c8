import type { z } from 'zod'
import { lazyZodSchema } from '../../lazy-schema.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

const schema = lazyZodSchema((z) =>
  z.object({
    claims: z.array(z.object({ claim: z.string(), reasoning: z.string(), verdict: z.enum(['attributed', 'not-attributed']) })),
  }),
)

/** Which claims of a reference answer the retrieved context supports (RAGAS context recall). Slots: context, reference. */
export const contextRecallPrompt: JudgePrompt<z.infer<ReturnType<typeof schema>>> = {
  id: 'context-recall',
  schemaName: 'context_recall_verdict',
  get schema() {
    return schema()
  },
  system:
    'You check which statements of a reference answer can be attributed to retrieved context. Use only the context. ' +
    untrustedRegionsNote('to check'),
  untrusted: { context: 'context', reference: 'reference' },
  template: `Retrieved context:
{{context}}

Reference answer:
{{reference}}

Break the reference answer into its atomic factual claims. For each, in this order: "claim", "reasoning", then
"verdict": "attributed" when the context states or directly implies it, else "not-attributed".`,
}
