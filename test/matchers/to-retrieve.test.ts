import { describe, expect, test } from 'vitest'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()

const hits = [{ id: 'doc-1', text: '…' }, { id: 'doc-9' }, { id: 'doc-3' }, { id: 'doc-4' }]

describe('.toRetrieve', () => {
  test('passes when every relevant id is retrieved (default: recall over the whole list, threshold 1)', async () => {
    await expect(hits).toRetrieve(['doc-1', 'doc-3'])
  })

  test('passes on a list of ids with another metric, k and threshold', async () => {
    await expect(['a', 'x', 'b']).toRetrieve(['a', 'b'], { metric: 'precision', k: 3, threshold: 0.6 })
    await expect(['x', 'a']).toRetrieve(['a'], { metric: 'mrr', threshold: 0.5 })
    await expect(['a', 'b']).toRetrieve({ a: 3, b: 1 }, { metric: 'ndcg', k: 2 })
  })

  test('records the metric at k with found and missed ids', async ({ task }) => {
    await expect(hits).toRetrieve(['doc-1', 'doc-3', 'doc-7'], { k: 2, threshold: 0.3 })
    expect(task.meta.evals).toEqual([
      {
        metric: 'retrieval:recall@2',
        score: 1 / 3,
        pass: true,
        threshold: 0.3,
        details: { metric: 'recall', k: 2, found: ['doc-1'], missed: ['doc-3', 'doc-7'] },
        attempt: { retry: 0, repeat: 0 },
      },
    ])
  })

  test('fails when the score is below the threshold, listing found and missed ids', async () => {
    expect(await failureOf(expect(hits).toRetrieve(['doc-3', 'doc-7'], { k: 3 }))).toMatchInlineSnapshot(`
      "expect(output).toRetrieve(relevant)

      Expected output to retrieve the relevant ids (recall@3 >= 1.00).

      Score:     0.50 (recall@3)
      Threshold: 1.00
      Reasons:
        - found in top 3: doc-3
        - missed: doc-7
      Output:
        ["doc-1","doc-9","doc-3","doc-4"]"
    `)
  })

  test('throws a ConfigError for a received value that is not a ranking, or bad options', () => {
    expect(() => expect('doc-1').toRetrieve(['doc-1'])).toThrow(/needs a ranked array of ids or of objects with an `id`/)
    expect(() => expect(['a']).toRetrieve([])).toThrow(/relevant ids as a non-empty array/)
    expect(() => expect(['a']).toRetrieve(['a'], { k: 0, metric: 'map' as never })).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] toRetrieve() got invalid options:
        - \`k\`: Too small: expected number to be >0 (got 0)
        - \`metric\`: Invalid option: expected one of "recall"|"precision"|"hit-rate"|"mrr"|"ndcg" (got "map")
      Fix the call in your test.]
    `)
  })
})

describe('.not.toRetrieve', () => {
  test('passes when the relevant ids are not retrieved', async () => {
    await expect(['x', 'y']).not.toRetrieve(['a'], { metric: 'hit-rate' })
  })

  test('fails when they are', async () => {
    expect(await failureOf(expect(['a', 'x']).not.toRetrieve(['a'], { metric: 'hit-rate', k: 1 }))).toMatchInlineSnapshot(`
      "expect(output).not.toRetrieve(relevant)

      Expected output not to retrieve the relevant ids (hit-rate@1 >= 1.00).

      Score:     1.00 (hit-rate@1)
      Threshold: 1.00
      Reasons:
        - found in top 1: a
        - missed: none
      Output:
        ["a","x"]"
    `)
  })
})
