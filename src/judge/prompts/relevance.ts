import type { z } from 'zod'
import { lazyZodSchema } from '../../lazy-schema.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

/** Relevance categories, best first. */
export const RELEVANCE_VERDICTS = ['relevant', 'partially-relevant', 'irrelevant'] as const

const schema = lazyZodSchema((z) => z.object({ reasoning: z.string(), verdict: z.enum(RELEVANCE_VERDICTS) }))

/** Does the output address the question. Slots: question, output. */
export const relevancePrompt: JudgePrompt<z.infer<ReturnType<typeof schema>>> = {
  id: 'relevance',
  schemaName: 'relevance_verdict',
  get schema() {
    return schema()
  },
  system:
    'You judge whether an answer addresses the question it was given. Judge relevance only, not correctness or style. ' +
    untrustedRegionsNote('to judge'),
  untrusted: { question: 'question', output: 'output' },
  template: `Question:
{{question}}

Answer:
{{output}}

First write your reasoning, then the verdict:
- "relevant": the answer addresses the question directly (a justified refusal or "I don't know" about the question counts).
- "partially-relevant": it addresses part of the question, or mostly talks about something else.
- "irrelevant": it does not address the question.`,
}
