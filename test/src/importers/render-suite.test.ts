import { describe, expect, test } from 'vitest'
import type { ImportResult } from '../../../src/importers/checks.js'
import { inputSchemaSource, quote, renderImport } from '../../../src/importers/render-suite.js'

const base: ImportResult = { source: 'promptfoo', name: "Bob's bot", inputField: 'vars', prompts: [], providers: [], rows: [], notImported: [], notes: [] }

describe('renderImport', () => {
  test('quote makes single-quoted literals that survive quotes, backslashes and newlines', () => {
    expect(quote(`it's "x" \\ y\nz`)).toBe(`'it\\'s "x" \\\\ y\\nz'`)
    expect(eval(quote(`it's "x" \\ y\nz`))).toBe(`it's "x" \\ y\nz`)
  })

  test('the vars schema follows the values: a field missing in some rows is optional, mixed kinds are unknown', () => {
    const rows = [{ id: 'a', input: { q: 'x', n: 1, 'odd-key': true }, checks: [] }, { id: 'b', input: { q: 'y', n: 'two' }, checks: [] }]
    expect(inputSchemaSource(rows)).toBe("z.object({ q: z.string(), n: z.unknown(), 'odd-key': z.boolean().optional() })")
  })

  test('only the check types in use get a zod variant and a scorer', () => {
    const { suite } = renderImport({ ...base, rows: [{ id: 'a', input: {}, checks: [{ type: 'factual', name: 'f', reference: 'r' }] }] }, { datasetFile: 'bob.jsonl', command: 'llm-evals import promptfoo c.yaml' })
    expect(suite).toContain("z.object({ type: z.literal('factual')")
    expect(suite).toContain('toBeFactual({ reference: check.reference })')
    expect(suite).not.toContain('toBeSimilarTo')
    expect(suite).not.toContain('ScoreResult')
    expect(suite).toContain("describeEval('Bob\\'s bot', {")
  })

  test('several prompts become describeEval.each variants', () => {
    const { suite } = renderImport({ ...base, prompts: [{ label: 'short', template: 'Q: {{q}}' }, { label: 'long', template: 'Answer well: {{q}}' }], rows: [{ id: 'a', input: { q: 'x' }, checks: [] }] }, { datasetFile: 'b.jsonl', command: 'c' })
    expect(suite).toContain("{ name: 'short', template: 'Q: {{q}}' },")
    expect(suite).toContain('describeEval.each(PROMPTS)(')
  })

  test('the dataset holds one JSON line per row with its checks', () => {
    const { dataset } = renderImport({ ...base, rows: [{ id: 'a', input: { q: 'x' }, output: 'o', expected: 'e', checks: [{ type: 'json', name: 'is-json', whole: true }] }] }, { datasetFile: 'b.jsonl', command: 'c' })
    expect(dataset).toBe('{"id":"a","vars":{"q":"x"},"output":"o","expected":"e","checks":[{"type":"json","name":"is-json","whole":true}]}\n')
  })
})
