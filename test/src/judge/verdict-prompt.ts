import { z } from 'zod'
import type { JudgePrompt } from '../../../src/judge/prompt.js'

/** The yes/no prompt the judge tests ask every provider's judge. */
export const verdictPrompt: JudgePrompt<{ reasoning: string; verdict: 'yes' | 'no' }> = {
  id: 'test-verdict',
  schemaName: 'test_verdict',
  system: 'You answer yes or no.',
  template: 'Is {{thing}} blue?',
  schema: z.object({ reasoning: z.string(), verdict: z.enum(['yes', 'no']) }),
}
