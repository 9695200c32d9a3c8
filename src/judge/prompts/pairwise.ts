import type { z } from 'zod'
import { lazyZodSchema } from '../../lazy-schema.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

const schema = lazyZodSchema((z) => z.object({ reasoning: z.string(), winner: z.enum(['A', 'B', 'tie']) }))

/** Which of two answers better meets a criterion. Slots: criterion, question, a, b. */
export const pairwisePrompt: JudgePrompt<z.infer<ReturnType<typeof schema>>> = {
  id: 'pairwise',
  schemaName: 'pairwise_verdict',
  get schema() {
    return schema()
  },
  system:
    'You compare two answers on one criterion, impartially: the order in which they are shown and their length must not ' +
    `influence you. ${untrustedRegionsNote('to compare')}`,
  untrusted: { question: 'question', a: 'answer_a', b: 'answer_b' },
  template: `Criterion:
<criterion>
{{criterion}}
</criterion>

Question or task (may be empty):
{{question}}

Answer A:
{{a}}

Answer B:
{{b}}

First write your reasoning, then the winner: "A", "B", or "tie" when neither is better on the criterion.`,
}
