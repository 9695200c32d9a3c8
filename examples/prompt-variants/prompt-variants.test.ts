import { fileURLToPath } from 'node:url'
import { describeEval, loadDataset } from 'vitest-llm-evals'
import { z } from 'zod'
import { answer, type PromptVariant } from './assistant.js'

const Question = z.object({ id: z.string(), question: z.string(), expected: z.string() })
const questions = loadDataset(fileURLToPath(new URL('./evals/questions.jsonl', import.meta.url)), Question)

const variants: PromptVariant[] = [{ name: 'zero-shot' }, { name: 'few-shot' }, { name: 'self-explaining' }]

// One suite per prompt variant over the same questions; the report shows the variants side by side.
describeEval.each(variants)('support answers', {
  data: questions,
  task: (row, { variant, signal }) => answer(row.question, variant, { signal }),
  scorers: [
    (output, { row, expect }) => expect(output).toBeSimilarTo(row.expected, { method: 'rouge-l', threshold: 0.4 }),
    (output, { expect }) => expect(output).toFollowInstructions([{ id: 'length_constraints:number_words', num_words: 40, relation: 'less than' }]),
    (output, { row, expect }) => expect(output).toBeFactual({ reference: row.expected, question: row.question }),
  ],
  // Each variant must hold the bar on its own; the scores show which prompt is better.
  threshold: { mean: 0.4 },
})
