import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { toFineTuningJsonl, writeFineTuningJsonl } from '../../../src/datasets/fine-tuning.js'
import { examplesFromReviewedFailures } from '../../../src/datasets/reviewed-failures.js'
import { ConfigError, DatasetError } from '../../../src/errors/index.js'
import type { CaseScore, HistoryRun } from '../../../src/history/run-record.js'

const rows = [
  { id: 'a', question: 'Can I return shoes?', answer: 'Yes, within 30 days.', passages: ['Returns: 30 days.', 'Shoes must be unworn.'] },
  { id: 'b', question: 'Do you ship to Oslo?', answer: 'Yes.', passages: [] },
]
const lines = (text: string) => text.trimEnd().split('\n').map((line) => JSON.parse(line))

describe('toFineTuningJsonl', () => {
  test('OpenAI chat format with a system prompt and retrieved context in the user message', () => {
    const jsonl = toFineTuningJsonl(rows, { format: 'openai', system: 'You are a support agent.', input: 'question', output: 'answer', context: 'passages' })
    expect(jsonl.endsWith('\n')).toBe(true)
    expect(lines(jsonl)).toEqual([
      {
        messages: [
          { role: 'system', content: 'You are a support agent.' },
          { role: 'user', content: 'Context:\n[1] Returns: 30 days.\n[2] Shoes must be unworn.\n\nCan I return shoes?' },
          { role: 'assistant', content: 'Yes, within 30 days.' },
        ],
      },
      { messages: [{ role: 'system', content: 'You are a support agent.' }, { role: 'user', content: 'Do you ship to Oslo?' }, { role: 'assistant', content: 'Yes.' }] },
    ])
  })

  test('Anthropic format: system beside the user/assistant pair; functions as readers', () => {
    const jsonl = toFineTuningJsonl(rows.slice(1), { format: 'anthropic', system: (row) => `Answer ${row.id}`, input: (row) => row.question.toUpperCase(), output: 'answer' })
    expect(lines(jsonl)).toEqual([{ system: 'Answer b', messages: [{ role: 'user', content: 'DO YOU SHIP TO OSLO?' }, { role: 'assistant', content: 'Yes.' }] }])
  })

  test('rows without an input or output are errors naming them', () => {
    const bad = [...rows, { id: 'c', question: 'Hello?', answer: '  ' }]
    expect(() => toFineTuningJsonl(bad, { format: 'openai', input: 'question', output: 'answer' })).toThrow(DatasetError)
    expect(() => toFineTuningJsonl(bad, { format: 'openai', input: 'question', output: 'answer' })).toThrow('row 3 (id c): messages.1.content: Too small')
    expect(() => toFineTuningJsonl(rows, { format: 'gemini' as 'openai', input: 'question', output: 'answer' })).toThrow(ConfigError)
  })

  test('writeFineTuningJsonl writes atomically and never replaces a file unless told to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fine-tuning-'))
    try {
      const file = join(dir, 'train.jsonl')
      expect(writeFineTuningJsonl(file, rows, { format: 'openai', input: 'question', output: 'answer' })).toBe(2)
      writeFileSync(file, 'kept')
      expect(() => writeFineTuningJsonl(file, rows, { format: 'openai', input: 'question', output: 'answer' })).toThrow('already exists; pass overwrite: true')
      expect(readFileSync(file, 'utf8')).toBe('kept')
      expect(() => writeFineTuningJsonl(file, [{ question: '', answer: '' }], { format: 'openai', input: 'question', output: 'answer', overwrite: true })).toThrow(DatasetError)
      expect(readFileSync(file, 'utf8')).toBe('kept')
      expect(readdirSync(dir)).toEqual(['train.jsonl'])
      writeFineTuningJsonl(file, rows, { format: 'openai', input: 'question', output: 'answer', overwrite: true })
      expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(existsSync(dir)).toBe(false)
  })
})

describe('examplesFromReviewedFailures', () => {
  const score = (over: Partial<CaseScore>): CaseScore => ({ suite: 'bot.test.ts > intents', test: 'intents > x', metric: 'human-label', score: 0, pass: false, trials: 1, ...over })
  const run = (time: string, cases: CaseScore[]) => ({ time, cases }) as unknown as HistoryRun

  test('failed cases with a human label and an input, newest review first, once per case', () => {
    const runs = [
      run('2025-01-01T00:00:00Z', [score({ caseId: 'c1', input: 'refund me', output: 'shipping', humanLabel: 'old-label' })]),
      run('2025-02-01T00:00:00Z', [
        score({ caseId: 'c1', input: 'refund me', output: 'shipping', humanLabel: 'refund' }),
        score({ caseId: 'c2', input: 'where is it', output: 'shipping', humanLabel: 'shipping', pass: true }),
        score({ caseId: 'c3', input: 'hello', output: 'other' }),
        score({ caseId: 'c4', input: `${'x'.repeat(20)}… (+300 chars)`, humanLabel: 'refund' }),
      ]),
    ]
    expect(examplesFromReviewedFailures(runs)).toEqual([{ id: 'c1', suite: 'bot.test.ts > intents', metric: 'human-label', input: 'refund me', output: 'refund', modelOutput: 'shipping' }])
    expect(examplesFromReviewedFailures(runs, { correction: (each) => JSON.stringify({ intent: each.humanLabel }) })[0]?.output).toBe('{"intent":"refund"}')
    expect(examplesFromReviewedFailures(runs, { suites: ['other'] })).toEqual([])
  })
})
