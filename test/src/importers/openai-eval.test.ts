import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { importOpenAIEval } from '../../../src/importers/openai-eval.js'

const dir = resolve(import.meta.dirname, '../../fixtures/importers/openai')
const evalText = readFileSync(join(dir, 'eval.json'), 'utf8')
const items = readFileSync(join(dir, 'items.jsonl'), 'utf8').trim().split('\n').map((line, index) => ({ line: index + 1, value: JSON.parse(line) as unknown }))

describe('importOpenAIEval on a real-shaped export', () => {
  test('one row per item: the item as input, sample.output_text as output, the criteria as checks', () => {
    const result = importOpenAIEval('eval.json', evalText, 'items.jsonl', items)
    expect(result).toMatchObject({ source: 'openai-evals', name: 'Support answers', inputField: 'item' })
    expect(result.rows.map((row) => row.id)).toEqual(['refund-time', 'opening-hours', 'cancel-order'])
    const [first] = result.rows
    expect(first?.output).toBe('Refunds are paid within 5 working days to your original card.')
    expect(first?.expected).toBe('5 working days')
    expect(first?.checks.map((check) => `${check.type}:${check.name}`)).toEqual(['text:Mentions the answer', 'text:No placeholder', 'similar:Close to the answer', 'label:Tone', 'rubric:Helpfulness'])
  })

  test('lists each unmapped criterion once, with its index and name, and says what changed in the mapped ones', () => {
    const result = importOpenAIEval('eval.json', evalText, 'items.jsonl', items)
    expect(result.notImported.map((item) => `${item.type} @ ${item.where}`)).toEqual(['text_similarity @ eval.json testing_criteria[3] ("METEOR")', 'python @ eval.json testing_criteria[6] ("Short enough")'])
    expect(result.notImported[1]?.code).toContain('def grade(sample, item)')
    expect(result.notes.join('\n')).toContain('fuzzy_match became levenshtein')
  })

  test('bare items (no { item } wrapper) and items without an id work too', () => {
    const result = importOpenAIEval('eval.json', evalText, 'items.jsonl', [{ line: 1, value: { question: 'Q?', answer: 'A' } }])
    expect(result.rows[0]).toMatchObject({ id: 'item-1', input: { question: 'Q?', answer: 'A' } })
    expect(result.rows[0]?.output).toBeUndefined()
    expect(result.notes).toContain('the eval expects generated samples: the items have none, so the generated task must call your model')
  })

  test('bad input names the file and place', () => {
    expect(() => importOpenAIEval('eval.json', '{ "name": ', 'items.jsonl', items)).toThrow(/^\[vitest-llm-evals\] eval\.json: not valid JSON/)
    expect(() => importOpenAIEval('eval.json', '{ "name": "x" }', 'items.jsonl', items)).toThrow('eval.json: is not an OpenAI eval object (no `testing_criteria` array)')
    expect(() => importOpenAIEval('eval.json', evalText, 'items.jsonl', [{ line: 4, value: 'text' }])).toThrow('items.jsonl:4: is not a JSON object')
    expect(() => importOpenAIEval('eval.json', evalText, 'items.jsonl', [])).toThrow('items.jsonl: has no items')
  })
})
