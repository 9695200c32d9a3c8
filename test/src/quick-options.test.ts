import { describe, expect, test } from 'vitest'
import { parseOptions } from '../../src/config.js'
import { MAX_JUDGE_TIMEOUT_MS } from '../../src/judge/judge.js'
import { MAX_TIMEOUT_MS, quickParseOptions } from '../../src/quick-options.js'

const normalize = (request: object) => request

/** Options users write, each of which the hand check must accept (no zod at start-up for them). */
const common: unknown[] = [
  undefined,
  null,
  {},
  { history: false, report: false },
  { cassettes: false },
  { cassettes: { mode: 'replay', dir: 'cassettes', hosts: ['llm.internal:8080', '*.example.com', 'localhost:*'], redact: ['acme-secret', /tok_\d+/g], maxInlineBytes: 1024 } },
  { cassettes: { normalizeRequest: normalize } },
  { judge: { provider: 'openai', model: 'gpt-4o-mini' } },
  { judge: { provider: 'anthropic', model: 'claude', temperature: 0, maxConcurrency: 4, samples: 3, maxRetries: 0, maxTokens: 512, timeoutMs: 120_000 } },
  { history: { file: 'h.jsonl', baselineBranch: 'main', keepCaseScores: 0, keepCaseDetails: 5, maxTextChars: 100, watch: true } },
  { report: { html: 'r.html', json: false, stepSummary: false, live: true } },
  { gate: { failOnRegression: true, tolerance: 0.02, confidence: 0.9, minScore: 0.5, agreement: { minKappa: -0.5, minFailureRecall: 0.8, minN: 20 } } },
  { gate: { minScore: { faithfulness: 0.8, relevance: 1 } } },
  { labels: { file: 'labels.jsonl' }, annotations: false },
  { pricing: { 'gpt-4o-mini': { input: 0.15, output: 0.6 }, free: { input: 0, output: 0 } } },
]

/** Options the hand check must leave to the schema: wrong ones, and the unusual ones it does not know. */
const leftToSchema: unknown[] = [
  { cassete: {} },
  { cassettes: { mdoe: 'replay' } },
  { cassettes: { mode: 'recrod' } },
  { cassettes: true },
  { cassettes: { dir: '' } },
  { cassettes: { hosts: ['https://x.com/path'] } },
  // A hole in an array (the schema reads it as undefined).
  { cassettes: { hosts: [, 'x.internal'] } },
  { cassettes: { redact: ['abc'] } },
  { cassettes: { redact: [42] } },
  { cassettes: { normalizeRequest: 'x => x' } },
  { cassettes: { maxInlineBytes: 0 } },
  { cassettes: { maxInlineBytes: 1.5 } },
  { judge: { provider: 'openai-compatible', model: 'm', baseURL: 'https://api.groq.com/openai/v1' } },
  { judge: { provider: 'openai-compatible', model: 'm' } },
  { judge: { provider: 'openai', model: 'm', apiKeyEnv: 'KEY' } },
  { judge: { provider: 'gemini', model: 'x' } },
  { judge: { provider: 'openai' } },
  { judge: { provider: 'openai', model: '' } },
  { judge: { provider: 'openai', model: 'm', samples: 2 } },
  { judge: { provider: 'openai', model: 'm', temperature: 3 } },
  { judge: { provider: 'openai', model: 'm', timeoutMs: 2 ** 31 } },
  { judge: { provider: 'openai', model: 'm', timeoutMs: 0 } },
  { judge: { specificationVersion: 'v2', doGenerate: () => undefined, provider: 'openai', modelId: 'm' } },
  { judge: { complete: () => undefined } },
  { history: true },
  { history: { file: '' } },
  { history: { keepCaseScores: -1 } },
  { report: { html: '' } },
  { report: { pdf: true } },
  { gate: { tolerance: 2 } },
  { gate: { tolerance: Number.NaN } },
  { gate: { tolerance: Number.POSITIVE_INFINITY } },
  { gate: { confidence: 0.4 } },
  { gate: { minScore: { a: 2 } } },
  { gate: { agreement: { kappa: 0.6 } } },
  { gate: { agreement: { minN: 0 } } },
  { labels: {} },
  { labels: { file: 'l.jsonl', extra: 1 } },
  { annotations: 'yes' },
  { pricing: { m: { input: -1, output: 0 } } },
  { pricing: { m: { input: 1 } } },
  { pricing: [] },
  [],
  'options',
  new (class Options {})(),
]

function schemaVerdict(input: unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parseOptions(input) }
  } catch {
    return { ok: false }
  }
}

describe('quickParseOptions', () => {
  test.each(common.map((input) => [JSON.stringify(input) ?? String(input), input]))('passes when the options are common and valid: %s', (_name, input) => {
    const verdict = schemaVerdict(input)
    expect(verdict.ok).toBe(true)
    expect(quickParseOptions(input)).toEqual(verdict.ok ? verdict.value : undefined)
  })

  test.each(leftToSchema.map((input) => [JSON.stringify(input) ?? String(input), input]))('leaves to the schema options it does not know or finds wrong: %s', (_name, input) => {
    expect(quickParseOptions(input)).toBeUndefined()
  })

  test('never accepts what the schema rejects, and returns what the schema returns', () => {
    for (const input of [...common, ...leftToSchema]) {
      const quick = quickParseOptions(input)
      if (quick === undefined) continue
      const verdict = schemaVerdict(input)
      expect(verdict.ok, JSON.stringify(input)).toBe(true)
      expect(quick).toEqual(verdict.ok ? verdict.value : undefined)
    }
  })

  test('returns a copy: changing the options object afterwards changes nothing', () => {
    const input = { history: { file: 'a.jsonl' }, cassettes: { hosts: ['x.internal'] } }
    const parsed = quickParseOptions(input)
    input.history.file = 'b.jsonl'
    input.cassettes.hosts.push('y.internal')
    expect(parsed).toEqual({ history: { file: 'a.jsonl' }, cassettes: { hosts: ['x.internal'] } })
  })

  test("its judge timeout ceiling is the judge's", () => {
    expect(MAX_TIMEOUT_MS).toBe(MAX_JUDGE_TIMEOUT_MS)
  })
})
