import { describe, expect, test } from 'vitest'
import { hitRate, mrr, ndcg, precisionAtK, recallAtK, scoreRetrieval } from '../../../../src/metrics/retrieval/index.js'

const ranked = ['d1', 'x1', 'd2', 'x2', 'd3']
const relevant = ['d1', 'd2', 'd3', 'd4']

describe('recall@k', () => {
  test('is the share of relevant ids in the top k', () => {
    expect(recallAtK(ranked, relevant, 3)).toBe(2 / 4)
    expect(recallAtK(ranked, relevant, 5)).toBe(3 / 4)
  })
  test('counts a repeated id once', () => {
    expect(recallAtK(['d1', 'd1', 'd1'], ['d1', 'd2'], 3)).toBe(1 / 2)
  })
  test('compares numeric and string ids by their string form', () => {
    expect(recallAtK([1, 2], ['2'], 2)).toBe(1)
  })
})

describe('precision@k', () => {
  test('is the share of the top k that is relevant, dividing by k even past the end of the list', () => {
    expect(precisionAtK(ranked, relevant, 2)).toBe(1 / 2)
    expect(precisionAtK(['d1'], relevant, 4)).toBe(1 / 4)
  })
})

describe('hit rate', () => {
  test('is 1 when any relevant id is in the top k, else 0', () => {
    expect(hitRate(ranked, relevant, 1)).toBe(1)
    expect(hitRate(['x1', 'd1'], relevant, 1)).toBe(0)
  })
})

describe('mrr', () => {
  test('is the reciprocal rank of the first relevant id', () => {
    expect(mrr(['x1', 'x2', 'd2'], relevant)).toBe(1 / 3)
    expect(mrr(['x1', 'x2', 'd2'], relevant, 2)).toBe(0)
  })
})

describe('ndcg', () => {
  test('is 1 for the ideal order and uses linear gain with log2 discount', () => {
    expect(ndcg(['a', 'b'], { a: 2, b: 1 }, 2)).toBe(1)
    expect(ndcg(['b', 'a'], { a: 2, b: 1 }, 2)).toBeCloseTo((1 + 2 / Math.log2(3)) / (2 + 1 / Math.log2(3)))
  })
  test('gives grade 1 to each id of a list and counts missing relevant ids in the ideal DCG', () => {
    // DCG = 1/log2(3) (relevant at rank 2); IDCG@2 = 1 + 1/log2(3)
    expect(ndcg(['x', 'a'], ['a', 'b'], 2)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)))
  })
  test('ignores ids graded 0', () => {
    expect(ndcg(['z', 'a'], { a: 1, z: 0 }, 2)).toBeCloseTo(1 / Math.log2(3))
  })
})

describe('scoreRetrieval', () => {
  test('lists the relevant ids found and missed in the top k', () => {
    expect(scoreRetrieval(ranked, relevant, { metric: 'recall', k: 3 })).toEqual({ metric: 'recall', k: 3, score: 0.5, found: ['d1', 'd2'], missed: ['d3', 'd4'] })
  })
  test('rejects a k that is not a positive integer and an empty relevant set', () => {
    expect(() => recallAtK(ranked, relevant, 0)).toThrow(/`k` must be a positive integer/)
    expect(() => recallAtK(ranked, [], 3)).toThrow(/No relevant ids/)
  })
})
