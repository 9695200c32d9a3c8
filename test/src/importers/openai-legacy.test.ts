import { describe, expect, test } from 'vitest'
import { importLegacyOpenAIEval, legacyEvalSpec } from '../../../src/importers/openai-legacy.js'

const registry = (className: string, args = '') => `capitals:\n  id: capitals.dev.v0\ncapitals.dev.v0:\n  class: evals.elsuite.${className}\n  args:\n    samples_jsonl: capitals/samples.jsonl\n${args}`
const samples = [
  { line: 1, value: { input: [{ role: 'system', content: 'City only.' }, { role: 'user', content: 'Capital of France?' }], ideal: 'Paris' } },
  { line: 2, value: { input: 'Capital of Australia?', ideal: ['Canberra', 'Canberra, ACT'] } },
]
const imported = (className: string, args = '') => importLegacyOpenAIEval(legacyEvalSpec('capitals.yaml', registry(className, args)), 'capitals.yaml', 'samples.jsonl', samples)

describe('legacy openai/evals registry', () => {
  test('reads the eval its alias points at', () => {
    expect(legacyEvalSpec('capitals.yaml', registry('basic.includes:Includes'))).toEqual({ name: 'capitals', className: 'Includes', args: { samples_jsonl: 'capitals/samples.jsonl' }, samples: 'capitals/samples.jsonl' })
  })

  test('samples become cases: the messages as a prompt, the ideal answers as the check and expected', () => {
    const result = imported('basic.includes:Includes')
    expect(result.rows[0]).toEqual({ id: 'sample-1', input: { prompt: 'system: City only.\nuser: Capital of France?' }, expected: 'Paris', checks: [{ type: 'text', name: 'Includes', operation: 'contains-any', value: ['Paris'], ignoreCase: false, negate: false }] })
    expect(result.rows[1]?.checks[0]).toMatchObject({ value: ['Canberra', 'Canberra, ACT'] })
  })

  test('Match is starts-with, FuzzyMatch a case-insensitive contains (with a note), the fact spec toBeFactual', () => {
    expect(imported('basic.match:Match').rows[0]?.checks[0]).toMatchObject({ operation: 'starts-with', value: 'Paris' })
    expect(imported('basic.match:Match').notes).toEqual(['Match samples with several ideal answers keep only the first (starts-with)'])
    expect(imported('basic.fuzzy_match:FuzzyMatch').rows[0]?.checks[0]).toMatchObject({ operation: 'contains-any', ignoreCase: true })
    expect(imported('modelgraded.classify:ModelBasedClassify', '    modelgraded_spec: fact\n').rows[0]?.checks).toEqual([{ type: 'factual', name: 'ModelBasedClassify', reference: 'Paris' }])
  })

  test('other classes and specs are listed with their arguments', () => {
    const result = imported('modelgraded.classify:ModelBasedClassify', '    modelgraded_spec: humor\n')
    expect(result.rows[0]?.checks).toEqual([])
    expect(result.notImported).toMatchObject([{ type: 'ModelBasedClassify', where: 'capitals.yaml capitals', why: 'the ModelBasedClassify (modelgraded_spec: humor) eval class has no counterpart here' }])
  })

  test('a YAML file that is not an eval, and a line that is not a sample, are errors naming the file', () => {
    expect(() => legacyEvalSpec('x.yaml', 'prompts: [a]\n')).toThrow('[vitest-llm-evals] x.yaml: is not an OpenAI Evals eval (no entry with `class` and `args.samples_jsonl`)')
    expect(() => importLegacyOpenAIEval(legacyEvalSpec('c.yaml', registry('basic.match:Match')), 'c.yaml', 's.jsonl', [{ line: 3, value: { ideal: 'x' } }])).toThrow('s.jsonl:3: is not a sample (no `input`)')
  })
})
