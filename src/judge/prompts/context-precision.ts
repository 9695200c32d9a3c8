import type { z } from 'zod'
import { lazyZodSchema } from '../../lazy-schema.js'
import { loadZod } from '../../load-zod.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

const verdicts = lazyZodSchema((z) => z.array(z.object({ index: z.number().int(), reasoning: z.string(), verdict: z.enum(['useful', 'not-useful']) })))
const schema = lazyZodSchema((z) => z.object({ chunks: verdicts() }))

/**
 * The verdict schema for `count` chunks: exactly one verdict each (`minItems` = `maxItems` = `count` in the
 * JSON schema sent to the provider), so a judge cannot skip or add chunks.
 *
 * @example
 * contextPrecisionSchema(3) // chunks: an array of exactly 3 verdicts
 */
export function contextPrecisionSchema(count: number): ReturnType<typeof schema> {
  return loadZod().z.object({ chunks: verdicts().length(count) })
}

/** Whether each retrieved chunk is useful for answering the question (RAGAS context precision). Slots: question, reference, context. */
export const contextPrecisionPrompt: JudgePrompt<z.infer<ReturnType<typeof schema>>> = {
  id: 'context-precision',
  schemaName: 'context_precision_verdict',
  get schema() {
    return schema()
  },
  system: `You judge retrieved chunks one by one: is the chunk useful for answering the question? ${untrustedRegionsNote('to judge')}`,
  untrusted: { question: 'question', reference: 'reference', context: 'chunk' },
  template: `Question:
{{question}}

Reference answer (may be empty):
{{reference}}

Retrieved chunks, in rank order:
{{context}}

For every chunk, in order, give "index" (its number), "reasoning", then "verdict": "useful" when it contains
information that helps answer the question (towards the reference answer when one is given), else "not-useful".`,
}
