import { fileURLToPath } from 'node:url'
import { describeEval, humanLabel, loadDataset } from 'vitest-llm-evals'
import { z } from 'zod'
import { classify, INTENTS } from './classifier.js'

const Ticket = z.object({ id: z.string(), message: z.string(), intent: z.enum(INTENTS) })
const tickets = loadDataset(fileURLToPath(new URL('./evals/tickets.jsonl', import.meta.url)), Ticket)

// Each intent is compared with the reviewers' label in evals/labels.jsonl (the plugin's `labels.file`); after
// the score table the run prints the classifier-human agreement: accuracy, kappa and the confusion matrix.
describeEval('ticket routing', {
  data: tickets,
  input: (row) => row.message,
  task: (row, { signal }) => classify(row.message, { signal }),
  scorers: [(intent, { row, expect }) => expect(intent).toMatchHumanLabel(humanLabel(row.id, 'intent'))],
  threshold: { passRate: 0.75 },
})
