import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { inspectDataset, isLlmEvalsError, loadDataset, oversample, toFineTuningJsonl, writeFineTuningJsonl } from 'vitest-llm-evals'
import { z } from 'zod'
import { retrieve } from '../rag-chunking/retriever.js'
import { INTENTS, SYSTEM } from '../ticket-classifier/classifier.js'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const Ticket = z.object({ id: z.string(), message: z.string(), intent: z.enum(INTENTS) })
const Question = z.object({ id: z.string(), question: z.string(), relevant: z.array(z.string()), reference: z.string() })

// Candidate training data for the ticket router, checked against the eval set of examples/ticket-classifier.
const train = await loadDataset(here('./data/train.jsonl'), Ticket)
const evalTickets = await loadDataset(here('../ticket-classifier/evals/tickets.jsonl'), Ticket)

describe('fine-tuning data for the ticket router', () => {
  test('inspection finds the imbalance, the duplicates and the eval row leaked into training', () => {
    const training = inspectDataset(train, { label: 'intent' })
    expect(training.tasks).toEqual([{ task: '(all)', rows: 12, labels: { refund: 6, shipping: 3, account: 2, product: 1 } }])
    expect(training.exactDuplicates).toEqual([['tr03', 'tr04']])
    expect(training.nearDuplicates.map((pair) => pair.ids)).toEqual([['tr07', 'tr08']])
    expect(training.warnings).toContain('labels in the dataset are imbalanced: "refund" 6 vs "product" 1 (ratio 6.0 > 3); see oversample()')

    const evals = inspectDataset(evalTickets, { label: 'intent', against: train })
    expect(evals.leakage).toEqual([{ id: 't01', trainingId: 'tr06', similarity: 1 }])
  })

  test('after cleaning, oversampling balances the intents with the same rows on every run', () => {
    const cleaned = train.filter((row) => !['tr04', 'tr08', 'tr06'].includes(row.id))
    const balanced = oversample(cleaned, 'intent', { seed: 7 })
    expect(inspectDataset(balanced, { label: 'intent' }).tasks[0]?.labels).toEqual({ refund: 4, shipping: 4, account: 4, product: 4 })
    expect(balanced.slice(0, cleaned.length)).toEqual(cleaned)
    expect(oversample(cleaned, 'intent', { seed: 7 })).toEqual(balanced)

    const jsonl = toFineTuningJsonl(balanced, { format: 'openai', system: SYSTEM, input: 'message', output: 'intent' })
    const lines = jsonl.trimEnd().split('\n').map((line) => JSON.parse(line) as { messages: { role: string; content: string }[] })
    expect(lines).toHaveLength(16)
    expect(lines[0]).toEqual({
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: 'Please refund the bag of beans I returned last week.' },
        { role: 'assistant', content: 'refund' },
      ],
    })
    for (const line of lines) expect(line.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant'])
  })

  test('the export file is written once and never replaced by accident', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fine-tuning-')), 'train.jsonl')
    expect(writeFineTuningJsonl(file, evalTickets, { format: 'openai', input: 'message', output: 'intent' })).toBe(8)
    const error = (() => {
      try {
        writeFineTuningJsonl(file, train, { format: 'openai', input: 'message', output: 'intent' })
      } catch (caught) {
        return caught
      }
    })()
    expect(isLlmEvalsError(error) && error.message).toContain('already exists; pass overwrite: true')
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(8)
  })
})

describe('fine-tuning data with retrieved context (RAG questions)', () => {
  test('each answer is exported with the passages it was grounded in, in the Anthropic format', async () => {
    const questions = await loadDataset(here('../rag-chunking/evals/questions.jsonl'), Question)
    const variant = { name: 'chunks-40+expansion', chunkSize: 40, expandQuery: true }
    const jsonl = toFineTuningJsonl(questions, {
      format: 'anthropic',
      system: 'Answer from the numbered help-centre passages only.',
      input: 'question',
      output: 'reference',
      context: (row) => retrieve(row.question, variant).map((chunk) => chunk.text),
    })
    const lines = jsonl.trimEnd().split('\n').map((line) => JSON.parse(line) as { system: string; messages: { role: string; content: string }[] })
    expect(lines).toHaveLength(6)
    const first = lines[0]!
    expect(first.system).toBe('Answer from the numbered help-centre passages only.')
    expect(first.messages.map((message) => message.role)).toEqual(['user', 'assistant'])
    expect(first.messages[0]?.content).toMatch(/^Context:\n\[1\] office\. Refunds are issued when the return arrives.*\n\[2\] .*\n\[3\] .*\n\nWhen do I get my money back after sending something back\?$/s)
    expect(first.messages[1]?.content).toBe('The refund is issued when the return arrives and reaches the original card within 5 working days.')
  })
})
