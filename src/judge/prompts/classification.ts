import { loadZod } from '../../load-zod.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

const classificationSchema = (names: readonly [string, ...string[]]) => {
  const { z } = loadZod()
  return z.object({ reasoning: z.string(), category: z.enum(names) })
}

/** A classification verdict: reasoning, then one of the given category names. */
export interface ClassificationVerdict {
  reasoning: string
  category: string
}

/** The default template of the classification prompt. Slots: question, categories, output (question and output untrusted). */
export const CLASSIFICATION_TEMPLATE = `Question or input the text responds to (may be empty):
{{question}}

Text to classify:
{{output}}

Categories (name, then what it means when a description is given):
<categories>
{{categories}}
</categories>

First write your reasoning: which categories could fit the text, and why one fits best. Then give
"category": exactly one of the category names above, spelled as given.`

/**
 * Assigns the output to one of several named categories. The schema constrains `category` to `names` (a
 * JSON-schema `enum`, accepted by OpenAI strict output and Anthropic tool input), so each set of names
 * has its own prompt version.
 *
 * @example
 * classificationPrompt(['resolved', 'partially-resolved', 'unresolved', 'harmful'])
 */
export function classificationPrompt(names: readonly [string, ...string[]]): JudgePrompt<ClassificationVerdict> {
  return {
    id: 'classification',
    schemaName: 'classification_verdict',
    schema: classificationSchema(names),
    system: `You are a careful annotator who assigns a text to exactly one of the given categories. ${untrustedRegionsNote('to classify')}`,
    template: CLASSIFICATION_TEMPLATE,
    untrusted: { question: 'question', output: 'output' },
  }
}
