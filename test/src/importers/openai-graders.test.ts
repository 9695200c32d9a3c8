import { describe, expect, test } from 'vitest'
import { mapOpenAIGrader } from '../../../src/importers/openai-graders.js'

const scope = { item: { question: 'How long do refunds take?', answer: '5 days' } }
const map = (grader: Record<string, unknown>, missing: (name: string) => void = () => {}) => mapOpenAIGrader({ name: 'g', ...grader }, scope, missing)
const output = '{{sample.output_text}}'

describe('mapOpenAIGrader', () => {
  test('string_check operations eq, ne, like, ilike become text checks against the rendered reference', () => {
    expect(map({ type: 'string_check', input: output, reference: '{{item.answer}}', operation: 'eq' })).toEqual({ check: { type: 'text', name: 'g', operation: 'equals', value: '5 days', ignoreCase: false, negate: false } })
    expect(map({ type: 'string_check', input: output, reference: 'x', operation: 'ne' })).toMatchObject({ check: { operation: 'equals', negate: true } })
    expect(map({ type: 'string_check', input: output, reference: 'x', operation: 'like' })).toMatchObject({ check: { operation: 'contains', ignoreCase: false } })
    expect(map({ type: 'string_check', input: output, reference: 'x', operation: 'ilike' })).toMatchObject({ check: { operation: 'contains', ignoreCase: true } })
  })

  test('a string check that does not look at the output is skipped', () => {
    expect(map({ type: 'string_check', input: '{{item.question}}', reference: 'x', operation: 'eq' })).toMatchObject({ skipped: { type: 'string_check', why: expect.stringContaining('not the model output') } })
  })

  test('text_similarity metrics map to similarity methods with pass_threshold; the others are skipped', () => {
    const similarity = (metric: string) => map({ type: 'text_similarity', input: output, reference: '{{item.answer}}', evaluation_metric: metric, pass_threshold: 0.6 })
    expect(similarity('fuzzy_match')).toEqual({ check: { type: 'similar', name: 'g', expected: '5 days', method: 'levenshtein', threshold: 0.6 } })
    expect(similarity('bleu')).toMatchObject({ check: { method: 'bleu' } })
    expect(similarity('rouge_l')).toMatchObject({ check: { method: 'rouge-l' } })
    expect(similarity('cosine')).toMatchObject({ check: { method: 'embedding' } })
    for (const metric of ['gleu', 'meteor', 'rouge_1', 'rouge_5']) expect(similarity(metric)).toMatchObject({ skipped: { type: 'text_similarity' } })
  })

  test('label_model becomes a label check: labels, passing labels, model, and the prompt with the item rendered', () => {
    const input = [{ role: 'developer', content: 'Classify the tone.' }, { role: 'user', content: [{ type: 'input_text', text: 'Q: {{item.question}} A: {{sample.output_text}}' }] }]
    expect(map({ type: 'label_model', model: 'gpt-4.1-mini', input, labels: ['polite', 'rude'], passing_labels: ['polite'] })).toEqual({
      check: { type: 'label', name: 'g', labels: ['polite', 'rude'], passing: ['polite'], model: 'gpt-4.1-mini', question: 'developer: Classify the tone.\n\nuser: Q: How long do refunds take? A: (the output being graded)' },
    })
  })

  test('score_model becomes a rubric: an integer range is the scale, pass_threshold normalised to 0..1', () => {
    const input = [{ role: 'system', content: 'Score 1-7. Reference: {{item.answer}}' }]
    expect(map({ type: 'score_model', input, range: [1, 7], pass_threshold: 5.5 })).toEqual({ check: { type: 'rubric', name: 'g', rubric: 'system: Score 1-7. Reference: 5 days', threshold: 0.75, scale: [1, 7] } })
    expect(map({ type: 'score_model', input, pass_threshold: 0.7 })).toEqual({ check: { type: 'rubric', name: 'g', rubric: 'system: Score 1-7. Reference: 5 days', threshold: 0.7 } })
  })

  test('python, multi and endpoint graders are skipped, with the code kept', () => {
    expect(map({ type: 'python', source: 'def grade(sample, item):\n    return 1.0' })).toMatchObject({ skipped: { type: 'python', code: 'def grade(sample, item):\n    return 1.0' } })
    expect(map({ type: 'multi', calculate_output: '(a + b) / 2', graders: { a: {}, b: {} } })).toMatchObject({ skipped: { type: 'multi', code: 'calculate_output: (a + b) / 2\ngraders: a, b' } })
    expect(map({ type: 'endpoint', url: 'https://grader.example/grade' })).toMatchObject({ skipped: { type: 'endpoint' } })
  })

  test('reports template names the item lacks and leaves them as written', () => {
    const missing: string[] = []
    expect(map({ type: 'string_check', input: output, reference: '{{item.nope}}', operation: 'eq' }, (name) => missing.push(name))).toMatchObject({ check: { value: '{{item.nope}}' } })
    expect(missing).toEqual(['item.nope'])
  })
})
