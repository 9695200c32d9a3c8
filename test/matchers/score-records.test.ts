import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import type { Embedder } from '../../src/judge/embedder.js'
import { registerMatchers } from './support.js'

registerMatchers()

/** Embeds after `delay` ms, so concurrent tests interleave while their matchers are pending. */
const slowEmbedder = (delay: number): Embedder => ({
  embed: async (texts) => {
    await sleep(delay)
    return texts.map(() => [1, 0])
  },
})

describe('score records', () => {
  test('one record per matcher call lands on task.meta.evals with the contract shape', async ({ task }) => {
    Object.assign(task.meta, { caseId: 'case-7' }) // set by the datasets layer in real suites
    await expect('the cat sat on the mat').toBeSimilarTo('the cat is on the mat', { method: 'rouge-l', threshold: 0.5 })
    await expect('a dog').not.toBeSimilarTo('the cat', { method: 'levenshtein' })
    expect(task.meta.evals).toEqual([
      { metric: 'similarity:rouge-l', score: 5 / 6, pass: true, threshold: 0.5, details: { method: 'rouge-l' }, caseId: 'case-7', attempt: { retry: 0, repeat: 0 } },
      { metric: 'similarity:levenshtein', score: expect.any(Number), pass: false, threshold: 0.8, details: { method: 'levenshtein' }, caseId: 'case-7', attempt: { retry: 0, repeat: 0 } },
    ])
    expect(JSON.parse(JSON.stringify(task.meta.evals))).toEqual(task.meta.evals)
  })

  const soft = { continued: false, records: [] as unknown[] }
  test.fails('expect.soft: a failed assertion records its score and the test goes on (this test fails on purpose)', async ({ task }) => {
    await expect.soft('x').toBeSimilarTo('y')
    soft.continued = true
    soft.records = [...(task.meta.evals ?? [])]
  })

  test('expect.soft: the failing score was recorded and the test continued', () => {
    expect(soft).toEqual({ continued: true, records: [expect.objectContaining({ metric: 'similarity:rouge-l', pass: false, score: 0 })] })
  })

  test('misuse records nothing', async ({ task }) => {
    await expect(expect('x').toBeSimilarTo('y', { threshold: -1 })).rejects.toThrow('`threshold`: Too small')
    expect(task.meta.evals).toBeUndefined()
  })

  let attempts = 0
  test('records each attempt of a retried test with its retry counter', { retry: 1 }, async ({ task }) => {
    await expect('same').toBeSimilarTo('same')
    attempts++
    if (attempts === 1) throw new Error('first attempt fails on purpose')
    expect(task.meta.evals?.map((record) => record.attempt)).toEqual([{ retry: 0, repeat: 0 }, { retry: 1, repeat: 0 }])
  })
})

describe.concurrent('score records under test.concurrent with the context expect', () => {
  for (const [name, delay] of [['slow', 60], ['medium', 30], ['fast', 0]] as const) {
    test(`lands on its own test (${name})`, async ({ expect, task }) => {
      await expect(name).toBeSimilarTo(name, { method: 'embedding', embedder: slowEmbedder(delay), threshold: 1 })
      await expect(name).toBeSimilarTo(name, { method: 'dice', threshold: 1 })
      expect(task.meta.evals?.map((record) => record.metric)).toEqual(['similarity:embedding', 'similarity:dice'])
    })
  }
})
