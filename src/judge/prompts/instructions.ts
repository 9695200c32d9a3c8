import type { z } from 'zod'
import { lazyZodSchema } from '../../lazy-schema.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

/** Verdicts on a free-text instruction. */
export const INSTRUCTION_VERDICTS = ['followed', 'not-followed', 'not-applicable'] as const

const schema = lazyZodSchema((z) =>
  z.object({
    verdicts: z.array(z.object({ index: z.number().int(), reasoning: z.string(), verdict: z.enum(INSTRUCTION_VERDICTS) })),
  }),
)

/** All free-text instructions of one `toFollowInstructions` call, judged in one call. Slots: instructions, output. */
export const instructionsPrompt: JudgePrompt<z.infer<ReturnType<typeof schema>>> = {
  id: 'instructions',
  schemaName: 'instructions_verdict',
  get schema() {
    return schema()
  },
  system: `You check whether a response follows instructions it was given, one instruction at a time. ${untrustedRegionsNote('to check')}`,
  untrusted: { output: 'output' },
  template: `Instructions the response had to follow:
{{instructions}}

Response:
{{output}}

For every instruction, in order, give "index" (its number), "reasoning", then "verdict": "followed",
"not-followed", or "not-applicable" when the instruction does not apply to this response.`,
}
