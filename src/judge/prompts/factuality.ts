import type { z } from 'zod'
import { lazyZodSchema } from '../../lazy-schema.js'
import { FACTUALITY_CATEGORIES, type FactualityCategory } from '../../metrics/judged/factuality.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

const schema = lazyZodSchema((z) =>
  z.object({
    reasoning: z.string(),
    category: z.enum(FACTUALITY_CATEGORIES as [FactualityCategory, ...FactualityCategory[]]),
  }),
)

/** The 5-way comparison of an output with a reference answer (after OpenAI's `fact` eval). Slots: question, reference, output. */
export const factualityPrompt: JudgePrompt<z.infer<ReturnType<typeof schema>>> = {
  id: 'factuality',
  schemaName: 'factuality_verdict',
  get schema() {
    return schema()
  },
  system:
    'You are a careful grader. You compare the factual content of a submitted answer with an expert answer. ' +
    `Ignore differences in style, grammar, punctuation and wording. ${untrustedRegionsNote('to grade')}`,
  untrusted: { question: 'question', reference: 'reference', output: 'output' },
  template: `Question (may be empty):
{{question}}

Expert answer:
{{reference}}

Submitted answer:
{{output}}

Compare the factual content of the submitted answer with the expert answer and choose one category:
- "subset": the submitted answer is a subset of the expert answer and fully consistent with it.
- "superset": the submitted answer is a superset of the expert answer and fully consistent with it.
- "same": the submitted answer contains all the same details as the expert answer.
- "contradicts": there is a disagreement between the submitted answer and the expert answer.
- "irrelevant-difference": the answers differ, but the differences do not matter for factuality.

First write your reasoning, then the category.`,
}
