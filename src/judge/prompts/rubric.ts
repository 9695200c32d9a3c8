import type { z } from 'zod'
import type { RubricScale } from '../../metrics/judged/rubric.js'
import { loadZod } from '../../load-zod.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

const rubricSchema = (scale: RubricScale) => {
  const { z } = loadZod()
  return z.object({
    steps: z.array(z.string()),
    reasoning: z.string(),
    score: z.number().int().min(scale[0]).max(scale[1]),
  })
}

/** A rubric verdict: evaluation steps, reasoning, then the score. */
export type RubricVerdict = z.infer<ReturnType<typeof rubricSchema>>

/** The default template of the G-Eval style rubric prompt. Slots: criteria, steps, min, max, output. */
export const RUBRIC_TEMPLATE = `Evaluation criteria:
<criteria>
{{criteria}}
</criteria>

{{steps}}

Text to evaluate:
{{output}}

Fill in, in this order: "steps" (the evaluation steps you follow), "reasoning" (apply each step to the text),
then "score": a whole number from {{min}} (does not meet the criteria at all) to {{max}} (fully meets them).`

/**
 * G-Eval style rubric grading (Liu et al. 2023): criteria, evaluation steps, then a score on `scale`.
 * The schema carries the scale, so each scale has its own prompt version.
 *
 * @example
 * rubricPrompt([1, 5])
 */
export function rubricPrompt(scale: RubricScale): JudgePrompt<RubricVerdict> {
  return {
    id: 'rubric',
    schemaName: 'rubric_verdict',
    schema: rubricSchema(scale),
    system: `You are an exacting evaluator who grades a text against criteria. ${untrustedRegionsNote('to grade')}`,
    template: RUBRIC_TEMPLATE,
    untrusted: { output: 'output' },
  }
}
