import { describe, expect, test } from 'vitest'
import { mapPromptfooAssertion } from '../../../src/importers/promptfoo-assertions.js'

const map = (assertion: Record<string, unknown>, vars: Record<string, unknown> = {}) => mapPromptfooAssertion(assertion, vars, String(assertion.type))

describe('mapPromptfooAssertion', () => {
  test('string assertions become text checks, with not- as negate and i- as ignoreCase', () => {
    expect(map({ type: 'equals', value: '4' })).toEqual({ check: { type: 'text', name: 'equals', operation: 'equals', value: '4', ignoreCase: false, negate: false } })
    expect(map({ type: 'not-icontains', value: 'As an AI' })).toEqual({ check: { type: 'text', name: 'not-icontains', operation: 'contains', value: 'As an AI', ignoreCase: true, negate: true } })
    expect(map({ type: 'icontains-all', value: ['a', 'b'] })).toMatchObject({ check: { operation: 'contains-all', value: ['a', 'b'], ignoreCase: true } })
    expect(map({ type: 'starts-with', value: 'Yes' })).toMatchObject({ check: { operation: 'starts-with', value: 'Yes' } })
    expect(map({ type: 'regex', value: '^\\d+$' })).toMatchObject({ check: { operation: 'regex', value: '^\\d+$' } })
  })

  test('renders {{vars}} in values from the test', () => {
    expect(map({ type: 'contains', value: 'Capital: {{city}}' }, { city: 'Paris' })).toMatchObject({ check: { value: 'Capital: Paris' } })
  })

  test('similar becomes an embedding comparison with its threshold (default 0.75), bleu a bleu one (default 0.5)', () => {
    expect(map({ type: 'similar', value: 'Hello', threshold: 0.9 })).toMatchObject({ check: { type: 'similar', method: 'embedding', expected: 'Hello', threshold: 0.9 } })
    expect(map({ type: 'similar', value: 'Hello' })).toMatchObject({ check: { threshold: 0.75 } })
    expect(map({ type: 'bleu', value: 'Hello' })).toMatchObject({ check: { method: 'bleu', threshold: 0.5 } })
    const several = map({ type: 'similar', value: ['a', 'b'] })
    expect(several).toMatchObject({ check: { expected: 'a' }, note: expect.stringContaining('only the first') })
  })

  test('JSON assertions keep their schema; a schema given as a JSON string is parsed', () => {
    expect(map({ type: 'is-json' })).toEqual({ check: { type: 'json', name: 'is-json', whole: true } })
    expect(map({ type: 'contains-json', value: '{"type":"object"}' })).toEqual({ check: { type: 'json', name: 'contains-json', whole: false, schema: { type: 'object' } } })
    expect(map({ type: 'is-json', value: 'not a schema' })).toMatchObject({ skipped: { type: 'is-json' } })
  })

  test('model-graded assertions become rubric and factuality checks', () => {
    expect(map({ type: 'llm-rubric', value: 'Is polite', threshold: 0.6 })).toEqual({ check: { type: 'rubric', name: 'llm-rubric', rubric: 'Is polite', threshold: 0.6 } })
    expect(map({ type: 'model-graded-closedqa', value: 'Mentions {{city}}' }, { city: 'Oslo' })).toMatchObject({ check: { type: 'rubric', rubric: 'The output meets this criterion: Mentions Oslo' } })
    expect(map({ type: 'factuality', value: 'Paris is the capital' })).toEqual({ check: { type: 'factual', name: 'factuality', reference: 'Paris is the capital' } })
  })

  test('code, file references and types without a counterpart are skipped with why and what to do', () => {
    expect(map({ type: 'javascript', value: 'output.length < 10' })).toEqual({ skipped: { type: 'javascript', why: 'custom code is not translated', todo: expect.stringContaining('scorer'), code: 'output.length < 10' } })
    expect(map({ type: 'python', value: 'file://check.py' })).toMatchObject({ skipped: { type: 'python', code: 'file://check.py' } })
    expect(map({ type: 'contains', value: 'file://expected.txt' })).toMatchObject({ skipped: { why: 'its value is read from file://expected.txt' } })
    expect(map({ type: 'levenshtein', value: 'x', threshold: 3 })).toMatchObject({ skipped: { todo: expect.stringContaining("method: 'levenshtein'") } })
    expect(map({ type: 'not-similar', value: 'x' })).toMatchObject({ skipped: { type: 'not-similar', todo: expect.stringContaining('.not') } })
    expect(map({ type: 'moderation' })).toMatchObject({ skipped: { why: 'this assertion type is not supported by the importer' } })
  })
})

describe('mapPromptfooAssertion with a transform', () => {
  test('is skipped: the check would run on a different text than promptfoo checked', () => {
    expect(mapPromptfooAssertion({ type: 'contains', value: 'x', transform: 'output.toUpperCase()' }, {}, 'contains')).toMatchObject({ skipped: { type: 'contains', why: 'it transforms the output first (transform)', code: 'output.toUpperCase()' } })
  })
})
