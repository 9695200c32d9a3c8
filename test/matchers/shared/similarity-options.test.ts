import { describe, expect, test } from 'vitest'
import { checkSimilarityOptions, parseSimilarityOptions } from '../../../matchers/shared/similarity-options.js'
import { similarityOptionsSchema } from '../../../matchers/shared/similarity-options-schema.js'

const embedder = { embed: async (texts: string[]) => texts.map(() => [1, 0]) }

// Every value the hand check accepts must be accepted by the zod schema with the same result; values it leaves
// to the schema may be valid (then the schema accepts them) or not.
const cases: unknown[] = [
  undefined,
  {},
  { method: 'levenshtein', threshold: 0.8 },
  { method: 'dice' },
  { method: 'bleu', threshold: 0 },
  { method: 'rouge-l', threshold: 1, maxPairs: 30 },
  { method: 'embedding', embedder },
  { threshold: undefined, method: undefined },
  { method: 'cosine' },
  { threshold: 2 },
  { threshold: -0.1 },
  { threshold: Number.NaN },
  { threshold: '0.8' },
  { maxPairs: 0 },
  { maxPairs: Number.POSITIVE_INFINITY },
  { embedder: {} },
  { embedder: null },
  { extra: true },
  { method: 'dice', extra: undefined },
  null,
  'levenshtein',
  [],
  Object.create({ method: 'dice' }),
]

describe('checkSimilarityOptions', () => {
  test('accepts plain options with the defaults applied, as the zod schema does', () => {
    expect(checkSimilarityOptions({})).toEqual({ method: 'rouge-l', threshold: 0.8 })
    expect(checkSimilarityOptions({ method: 'levenshtein' })).toEqual({ method: 'levenshtein', threshold: 0.8 })
    expect(checkSimilarityOptions({ threshold: 0.5, maxPairs: 10 })).toEqual({ method: 'rouge-l', threshold: 0.5, maxPairs: 10 })
    expect(checkSimilarityOptions({ method: 'embedding', embedder })?.embedder).toBe(embedder)
  })

  test('leaves unknown keys, wrong types and out-of-range values to the schema', () => {
    for (const options of [{ method: 'cosine' }, { threshold: 2 }, { threshold: Number.NaN }, { maxPairs: 0 }, { embedder: {} }, { extra: 1 }, undefined, null, []]) {
      expect(checkSimilarityOptions(options)).toBeUndefined()
    }
  })

  test.each(cases.map((options) => [options]))('agrees with the zod schema on %o', (options) => {
    const checked = checkSimilarityOptions(options)
    const parsed = similarityOptionsSchema().safeParse(options)
    if (checked !== undefined) {
      expect(parsed.success).toBe(true)
      expect(checked).toEqual(Object.fromEntries(Object.entries(parsed.data ?? {}).filter(([, value]) => value !== undefined)))
    }
  })
})

describe('parseSimilarityOptions', () => {
  test('returns plain options synchronously (no schema needed)', () => {
    expect(parseSimilarityOptions('toBeSimilarTo', { method: 'dice', threshold: 0.9 })).toEqual({ method: 'dice', threshold: 0.9 })
  })

  test('checks other options with the schema, loaded on demand: valid ones resolve, invalid ones reject with the ConfigError', async () => {
    await expect(parseSimilarityOptions('toBeSimilarTo', { threshold: 3 })).rejects.toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toBeSimilarTo() got invalid options:
        - \`threshold\`: Too big: expected number to be <=1 (got 3)
      Fix the call in your test.]
    `)
    // Not a plain object, so not the hand check's to accept; the schema reads its inherited fields, as it always did.
    await expect(parseSimilarityOptions('toBeSimilarTo', Object.create({ method: 'dice' }))).resolves.toEqual({ method: 'dice', threshold: 0.8 })
  })
})
