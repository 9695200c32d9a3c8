import type { z } from 'zod'
import { lazyZodSchema } from '../../lazy-schema.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

/** Labels of a claim checked against a context. */
export const GROUNDING_VERDICTS = ['supported', 'contradicted', 'not-in-context'] as const

const schema = lazyZodSchema((z) =>
  z.object({
    claims: z.array(
      z.object({
        claim: z.string(),
        evidence: z.string(),
        reasoning: z.string(),
        verdict: z.enum(GROUNDING_VERDICTS),
      }),
    ),
  }),
)

/** Claims of an output, each labelled against the context with evidence. Slots: context, output. */
export const groundingPrompt: JudgePrompt<z.infer<ReturnType<typeof schema>>> = {
  id: 'grounding',
  schemaName: 'grounding_verdict',
  get schema() {
    return schema()
  },
  system:
    'You check whether a text is supported by a given context, claim by claim. Use only the context, not your own knowledge. ' +
    untrustedRegionsNote('to check'),
  untrusted: { context: 'context', output: 'output' },
  template: `Context:
{{context}}

Text to check:
{{output}}

Break the text into its atomic factual claims: each a single statement that can be true or false. Skip greetings,
opinions, questions and offers of help. For each claim, in this order:
- "claim": the claim, as a short sentence;
- "evidence": the sentence(s) of the context that bear on it, quoted exactly (empty if none);
- "reasoning": why the evidence does or does not support it;
- "verdict": "supported" (the context states or directly implies it), "contradicted" (the context states otherwise)
  or "not-in-context" (the context does not say).
A text with no factual claims gives an empty list.`,
}
