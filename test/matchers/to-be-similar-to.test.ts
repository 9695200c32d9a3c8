import { describe, expect, test } from 'vitest'
import type { Embedder } from '../../src/judge/embedder.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()

// Vectors chosen for known cosines: cat·kitten = 24/25, cat·car = 20/25 = 0.8
const embedder: Embedder = {
  embed: async (texts) => texts.map((text) => ({ cat: [3, 4], kitten: [4, 3], car: [0, 5] })[text] ?? [0, 0]),
}

describe('.toBeSimilarTo', () => {
  test('passes when the score reaches the threshold', async () => {
    await expect('the cat sat on the mat').toBeSimilarTo('the cat is on the mat', { method: 'rouge-l', threshold: 0.8 })
  })

  test('passes with every lexical method on identical text', async () => {
    for (const method of ['dice', 'levenshtein', 'rouge-l', 'bleu'] as const) {
      await expect('Paris is the capital of France.').toBeSimilarTo('Paris is the capital of France.', { method, threshold: 1 })
    }
  })

  test('passes when the embedding cosine reaches the threshold (injected embedder)', async () => {
    await expect('cat').toBeSimilarTo('kitten', { method: 'embedding', threshold: 0.96, embedder })
  })

  test('fails when the score is below the threshold, showing score, method, threshold and output', async () => {
    expect(await failureOf(expect('a dog barked at night').toBeSimilarTo('the cat is on the mat', { method: 'rouge-l' }))).toMatchInlineSnapshot(`
      "expect(output).toBeSimilarTo(expected)

      Expected output to be similar to the expected text (rouge-l >= 0.80).

      Score:     0.00 (rouge-l)
      Threshold: 0.80
      Reasons:
        - compared with: "the cat is on the mat"
      Output:
        a dog barked at night"
    `)
  })

  test('fails when the embedding cosine is below the threshold and reports the cosine', async () => {
    expect(await failureOf(expect('cat').toBeSimilarTo('car', { method: 'embedding', threshold: 0.9, embedder }))).toMatchInlineSnapshot(`
      "expect(output).toBeSimilarTo(expected)

      Expected output to be similar to the expected text (embedding >= 0.90).

      Score:     0.80 (embedding)
      Threshold: 0.90
      Reasons:
        - compared with: "car"
        - cosine similarity 0.80
      Output:
        cat"
    `)
  })

  test('fails with the output cut at 400 characters', async () => {
    const message = await failureOf(expect('x'.repeat(450)).toBeSimilarTo('y', { method: 'levenshtein' }))
    expect(message.split('Output:\n')[1]).toBe(`  ${'x'.repeat(400)}… (+50 chars)`)
  })

  test('throws a ConfigError (not a failed assertion) for bad options or a non-string output', async () => {
    // Options the matcher's own check does not accept are explained by the zod schema, loaded then: a rejection.
    await expect(expect('x').toBeSimilarTo('y', { method: 'cosine' as never, threshold: 2 })).rejects.toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toBeSimilarTo() got invalid options:
        - \`method\`: Invalid option: expected one of "dice"|"levenshtein"|"rouge-l"|"bleu"|"embedding" (got "cosine")
        - \`threshold\`: Too big: expected number to be <=1 (got 2)
      Fix the call in your test.]
    `)
    expect(() => expect(42).toBeSimilarTo('42')).toThrow(/needs the output as a string, got number/)
    // The expected text is the test's own, not the model's: the advice says so.
    expect(() => expect('42').toBeSimilarTo(undefined as never)).toThrow("[vitest-llm-evals] toBeSimilarTo() needs the expected as a string, got undefined. Pass the expected as text (a string), e.g. from the dataset row.")
    await expect(expect('x').not.toBeSimilarTo('y', { embedder: {} as Embedder })).rejects.toThrow(/`embedder`: must be an object with an `embed\(texts\)` method/)
    await expect(expect('x').toBeSimilarTo('y', { threshold: 0.5, extra: true } as never)).rejects.toThrow('options: unknown key `extra` (allowed: method, threshold, embedder, maxPairs)')
    await expect(expect('x').toBeSimilarTo('y', { treshold: 0.9 } as never)).rejects.toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toBeSimilarTo() got invalid options:
        - options: unknown key \`treshold\` (allowed: method, threshold, embedder, maxPairs); did you mean \`threshold\`?
      Fix the call in your test.]
    `)
  })

  test('throws a ConfigError (not a failed assertion) for texts too long to compare within `maxPairs`', async () => {
    await expect(expect('the cat sat on the mat').toBeSimilarTo('a dog barked at the moon', { maxPairs: 30 })).rejects.toThrow(
      'rouge-l similarity would compare 6 × 6 words (36 pairs',
    )
    await expect('the cat sat').toBeSimilarTo('the cat sat', { method: 'levenshtein', maxPairs: 1 })
  })
})

describe('.not.toBeSimilarTo', () => {
  test('passes when the score is below the threshold', async () => {
    await expect('a dog barked').not.toBeSimilarTo('the cat is on the mat')
  })

  test('fails when the score reaches the threshold, and the sentence reads negated', async () => {
    expect(await failureOf(expect('the cat sat on the mat').not.toBeSimilarTo('the cat is on the mat', { method: 'bleu', threshold: 0.4 }))).toMatchInlineSnapshot(`
      "expect(output).not.toBeSimilarTo(expected)

      Expected output not to be similar to the expected text (bleu >= 0.40).

      Score:     0.485 (bleu)
      Threshold: 0.40
      Reasons:
        - compared with: "the cat is on the mat"
      Output:
        the cat sat on the mat"
    `)
  })
})
