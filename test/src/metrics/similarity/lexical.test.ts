import { describe, expect, test } from 'vitest'
import { bleu, diceSimilarity, levenshteinSimilarity, longestCommonSubsequence, rougeL, scoreSimilarity, wordTokens } from '../../../../src/metrics/similarity/index.js'

describe('word tokens', () => {
  test('lower-cases and keeps Unicode letters and digits, drops punctuation', () => {
    expect(wordTokens('Déjà vu, 2 Times!')).toEqual(['déjà', 'vu', '2', 'times'])
  })
})

describe('dice', () => {
  test('is the bigram Dice coefficient: night/nacht share 1 of 4+4 bigrams', () => {
    expect(diceSimilarity('night', 'nacht')).toBeCloseTo(0.25)
  })
  test('is 1 for identical texts and 0 for no shared bigram', () => {
    expect(diceSimilarity('same text', 'same text')).toBe(1)
    expect(diceSimilarity('abc', 'xyz')).toBe(0)
  })
})

describe('levenshtein', () => {
  test('is 1 - distance / longer length: kitten -> sitting is 3 edits over 7', () => {
    expect(levenshteinSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7)
  })
  test('is 1 for two empty strings and 0 against an empty string', () => {
    expect(levenshteinSimilarity('', '')).toBe(1)
    expect(levenshteinSimilarity('abc', '')).toBe(0)
  })
})

describe('rouge-l', () => {
  test('longest common subsequence counts tokens in order, not contiguously', () => {
    expect(longestCommonSubsequence(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd'])).toBe(3)
  })
  test('is the LCS F1: same-length texts sharing 5 of 6 tokens score 5/6', () => {
    expect(rougeL('the cat sat on the mat', 'the cat is on the mat')).toBeCloseTo(5 / 6)
  })
  test('weighs precision and recall equally: P = 1, R = 1/2 gives 2/3', () => {
    expect(rougeL('the cat', 'the big cat sat')).toBeCloseTo(2 / 3)
  })
  test('ignores case and punctuation', () => {
    expect(rougeL('The cat!', 'the cat')).toBe(1)
  })
  test('is 0 with no common token and 1 for two empty texts', () => {
    expect(rougeL('a b', 'c d')).toBe(0)
    expect(rougeL('', '...')).toBe(1)
  })
})

describe('bleu', () => {
  test('is the geometric mean of BLEU+1 smoothed precisions: (5/6 · 4/6 · 2/5 · 1/4)^(1/4)', () => {
    // unigrams 5/6 unsmoothed; bigrams 3/5 -> 4/6; trigrams 1/4 -> 2/5; 4-grams 0/3 -> 1/4; no brevity penalty
    expect(bleu('the cat sat on the mat', 'the cat is on the mat')).toBeCloseTo((1 / 18) ** 0.25, 10)
  })
  test('applies the brevity penalty exp(1 - r/c) to short outputs', () => {
    // all n-grams of "the cat sat" appear in the reference; c = 3, r = 6, effective order 3
    expect(bleu('the cat sat', 'the cat sat on the mat')).toBeCloseTo(Math.exp(1 - 6 / 3), 10)
  })
  test('is 1 for identical texts and 0 without a shared word', () => {
    expect(bleu('a quick brown fox jumps', 'a quick brown fox jumps')).toBe(1)
    expect(bleu('alpha beta', 'gamma delta')).toBe(0)
  })
  test('clips repeated words to their count in the reference', () => {
    // "the the the the": 1 clipped unigram of 4; bigram 0/3 -> 1/4; trigram 0/2 -> 1/3; 4-gram 0/1 -> 1/2
    expect(bleu('the the the the', 'the cat')).toBeCloseTo((1 / 4 * 1 / 4 * 1 / 3 * 1 / 2) ** 0.25, 10)
  })
})

describe('scoreSimilarity', () => {
  test('reports the method with the score', async () => {
    await expect(scoreSimilarity('abc', 'abc', { method: 'levenshtein' })).resolves.toEqual({ method: 'levenshtein', score: 1 })
  })
  test('needs an embedder for the embedding method', async () => {
    await expect(scoreSimilarity('a', 'b', { method: 'embedding' })).rejects.toThrow(/needs an `embedder`/)
  })
})
