import { describe, expect, test } from 'vitest'
import type { Embedder } from '../../../../src/judge/embedder.js'
import { createOpenAIEmbedder } from '../../../../src/judge/embedder.js'
import { cosineSimilarity, embeddingSimilarity } from '../../../../src/metrics/similarity/index.js'

const fakeEmbedder = (vectors: Record<string, number[]>): Embedder => ({
  embed: async (texts) => texts.map((text) => vectors[text] ?? [0, 0]),
})

describe('cosine similarity', () => {
  test('is the cosine of the angle: 45 degrees gives √2/2', () => {
    expect(cosineSimilarity([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2)
  })
  test('is 0 for a zero vector and rejects vectors of different sizes', () => {
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0)
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(/differ in length/)
  })
})

describe('embedding similarity', () => {
  test('embeds both texts and scores their cosine', async () => {
    const embedder = fakeEmbedder({ cat: [3, 4], kitten: [4, 3] })
    await expect(embeddingSimilarity('cat', 'kitten', embedder)).resolves.toEqual({ score: 24 / 25, cosine: 24 / 25 })
  })
  test('clamps a negative cosine to a score of 0', async () => {
    const embedder = fakeEmbedder({ up: [0, 1], down: [0, -1] })
    await expect(embeddingSimilarity('up', 'down', embedder)).resolves.toEqual({ score: 0, cosine: -1 })
  })
  test('rejects an embedder that returns the wrong number of vectors', async () => {
    await expect(embeddingSimilarity('a', 'b', { embed: async () => [[1]] })).rejects.toThrow(/returned 1 vectors for 2 texts/)
  })
})

describe('OpenAI embedder', () => {
  test('asks the client for text-embedding-3-small and orders vectors by index', async () => {
    const calls: unknown[] = []
    const client = {
      embeddings: {
        create: async (params: { model: string; input: string[] }) => {
          calls.push(params)
          return { data: [{ index: 1, embedding: [0, 1] }, { index: 0, embedding: [1, 0] }] }
        },
      },
    }
    await expect(createOpenAIEmbedder({ client }).embed(['a', 'b'])).resolves.toEqual([[1, 0], [0, 1]])
    expect(calls).toEqual([{ model: 'text-embedding-3-small', input: ['a', 'b'] }])
  })
})
