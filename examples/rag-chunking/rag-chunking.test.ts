import { fileURLToPath } from 'node:url'
import { describeEval, loadDataset } from 'vitest-llm-evals'
import { z } from 'zod'
import { answerFrom } from './answer.js'
import { retrieve, type RetrievalVariant } from './retriever.js'

const Question = z.object({ id: z.string(), question: z.string(), relevant: z.array(z.string()).min(1), reference: z.string() })
const questions = loadDataset(fileURLToPath(new URL('./evals/questions.jsonl', import.meta.url)), Question)

const variants: RetrievalVariant[] = [
  { name: 'chunks-40', chunkSize: 40 },
  { name: 'chunks-120', chunkSize: 120 },
  { name: 'chunks-40+expansion', chunkSize: 40, expandQuery: true },
]
const documentsOf = (question: string, variant: RetrievalVariant) => [...new Set(retrieve(question, variant).map((chunk) => chunk.document))]

// The chunking experiment: retrieval only (no model call), each strategy side by side in the report.
describeEval.each(variants)('retrieval', {
  data: questions,
  task: (row, { variant }) => documentsOf(row.question, variant),
  scorers: [
    (ranked, { row, expect }) => expect(ranked).toRetrieve(row.relevant, { k: 1, metric: 'hit-rate' }),
    (ranked, { row, expect }) => expect(ranked).toRetrieve(row.relevant, { k: 3, metric: 'mrr', threshold: 0.5 }),
  ],
  threshold: { mean: 0.5 },
})

// Generation on the best strategy: is the answer supported by what was retrieved, and does it agree with the reference?
const best = variants[2]!
describeEval(`grounded answers (${best.name})`, {
  data: questions,
  task: (row, { signal }) => answerFrom(row.question, retrieve(row.question, best), { signal }),
  scorers: [
    (answer, { row, expect }) => expect(answer).toBeGroundedIn(retrieve(row.question, best).map((chunk) => chunk.text)),
    (answer, { row, expect }) => expect(answer).toBeFactual({ reference: row.reference, question: row.question }),
  ],
  threshold: { mean: 0.8, passRate: 0.8 },
})
