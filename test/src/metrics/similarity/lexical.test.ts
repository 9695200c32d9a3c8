import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../../src/errors/index.js'
import { smallEditDistance } from '../../../../src/metrics/similarity/levenshtein.js'
import { bleu, diceSimilarity, levenshteinSimilarity, longestCommonSubsequence, rougeL, scoreSimilarity, wordTokens } from '../../../../src/metrics/similarity/index.js'

/** A deterministic pseudo-random source (a linear congruential generator). */
function randomSource(seed: number): (below: number) => number {
  let state = seed
  return (below) => Math.floor(((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * below)
}

/** `count` items drawn from `alphabet`. */
function randomItems<T>(random: (below: number) => number, alphabet: readonly T[], count: number): T[] {
  return Array.from({ length: count }, () => alphabet[random(alphabet.length)]!)
}

/** Edit distance by the textbook dynamic programme: the oracle for the fast algorithms. */
function textbookEditDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length]!
}

/** Longest common subsequence by the textbook dynamic programme. */
function textbookLcs(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0)
  for (const tokenA of a) {
    const current = [0]
    for (let j = 1; j <= b.length; j++) current[j] = tokenA === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!)
    previous = current
  }
  return previous[b.length]!
}

/** Milliseconds `run` takes. */
function timeOf(run: () => void): number {
  const started = performance.now()
  run()
  return performance.now() - started
}

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
  test('agrees with the textbook edit distance on 3,000 random pairs up to 150 characters', () => {
    const random = randomSource(11)
    for (let run = 0; run < 3_000; run++) {
      const alphabet = [...'abcdé\u{1F600}'].slice(0, 2 + random(5))
      const a = randomItems(random, alphabet, random(150)).join('')
      // Half the pairs are edits of each other (small distances), half unrelated.
      const b = run % 2 === 0 ? randomItems(random, alphabet, random(150)).join('') : [...a].map((char) => (random(10) === 0 ? alphabet[random(alphabet.length)] : char)).join('') + (random(2) === 0 ? 'ab' : '')
      const longest = Math.max(a.length, b.length)
      expect({ a, b, score: levenshteinSimilarity(a, b) }).toEqual({ a, b, score: longest === 0 ? 1 : 1 - textbookEditDistance(a, b) / longest })
    }
  })
  test('the shortcut for small distances agrees with the textbook edit distance, and gives up past its budget', () => {
    const random = randomSource(13)
    for (let run = 0; run < 3_000; run++) {
      const alphabet = [...'abcd'].slice(0, 1 + random(4))
      const a = randomItems(random, alphabet, random(120)).join('')
      const b = run % 2 === 0 ? randomItems(random, alphabet, random(120)).join('') : [...a].filter(() => random(12) !== 0).map((char) => (random(12) === 0 ? 'x' : char)).join('')
      expect({ a, b, distance: smallEditDistance(a, b, 1e9) }).toEqual({ a, b, distance: textbookEditDistance(a, b) })
    }
    expect(smallEditDistance('a'.repeat(1_000), 'b'.repeat(1_000), 10_000)).toBeUndefined()
    expect(smallEditDistance('a'.repeat(1_000), `${'a'.repeat(500)}b${'a'.repeat(499)}`, 10_000)).toBe(1)
  })
  test('is exact, and fast, for two 400,000-character texts that differ in 100 scattered characters', () => {
    const random = randomSource(3)
    const a = randomItems(random, [...'abcdefghij '], 400_000)
    const b = [...a]
    for (let edit = 0; edit < 100; edit++) b[1_234 + edit * 3_989] = '#' // not in a: each needs its own edit
    expect(timeOf(() => expect(levenshteinSimilarity(a.join(''), b.join(''))).toBe(1 - 100 / 400_000))).toBeLessThan(2_000)
  })
  test('refuses a comparison of more than `maxPairs` character pairs with a ConfigError saying how to proceed', () => {
    expect(() => levenshteinSimilarity(`x${'a'.repeat(20_000)}y`, `x${'b'.repeat(30_000)}y`, { maxPairs: 100_000_000 })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: [vitest-llm-evals] levenshtein similarity would compare 20,000 × 30,000 characters (600,000,000 pairs, not counting a start and an end the texts share), more than \`maxPairs\` allows (100,000,000). Its time grows with that product: the default limit, 10,000,000,000 (two texts of 100,000 characters), takes seconds. Compare shorter texts (a section at a time), use method \`dice\` or \`bleu\` (linear time), or raise the \`maxPairs\` option.]`)
  })
  test('stops two different 10 MB texts at once under the default limit', () => {
    const [a, b] = ['a'.repeat(10_000_000), 'b'.repeat(10_000_000)]
    expect(timeOf(() => expect(() => levenshteinSimilarity(a, b)).toThrow(ConfigError))).toBeLessThan(10_000)
  })
})

describe('rouge-l', () => {
  test('longest common subsequence counts tokens in order, not contiguously', () => {
    expect(longestCommonSubsequence(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd'])).toBe(3)
  })
  test('longest common subsequence agrees with the textbook dynamic programme on 3,000 random token lists', () => {
    const random = randomSource(17)
    for (let run = 0; run < 3_000; run++) {
      const vocabulary = ['the', 'cat', 'sat', 'on', 'mat', 'a', 'dog'].slice(0, 2 + random(6))
      const a = randomItems(random, vocabulary, random(140))
      const b = run % 2 === 0 ? randomItems(random, vocabulary, random(140)) : a.filter(() => random(8) !== 0).concat(random(2) === 0 ? ['cat'] : [])
      expect({ a, b, lcs: longestCommonSubsequence(a, b) }).toEqual({ a, b, lcs: textbookLcs(a, b) })
    }
  })
  test('scores two 117 KB texts exactly, in well under two seconds', () => {
    const random = randomSource(23)
    const vocabulary = 'the quick brown fox jumps over a lazy dog while seven wizards quietly hex jolly boxing frogs'.split(' ')
    const reference = randomItems(random, vocabulary, 21_000)
    // 525 words dropped and 525 words that occur nowhere else inserted: the LCS is everything else.
    const output = reference.flatMap((word, index) => (index % 40 === 7 ? [] : index % 40 === 23 ? [word, `novel${index}`] : [word]))
    const score = (21_000 - 525) / 21_000
    expect(output.join(' ').length).toBeGreaterThan(117_000)
    expect(timeOf(() => expect(rougeL(output.join(' '), reference.join(' '))).toBeCloseTo(score, 12))).toBeLessThan(2_000)
  })
  test('refuses a comparison of more than `maxPairs` word pairs with a ConfigError saying how to proceed', () => {
    expect(() => rougeL('a b c d e f', 'u v w x y z', { maxPairs: 35 })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: [vitest-llm-evals] rouge-l similarity would compare 6 × 6 words (36 pairs, not counting a start and an end the texts share), more than \`maxPairs\` allows (35). Its time grows with that product: the default limit, 10,000,000,000 (two texts of 100,000 words), takes seconds. Compare shorter texts (a section at a time), use method \`dice\` or \`bleu\` (linear time), or raise the \`maxPairs\` option.]`)
    expect(rougeL('a b c d e f', 'a b c x y z', { maxPairs: 9 })).toBeCloseTo(0.5) // the common start is not compared
  })
  test('stops two different 10 MB texts at once under the default limit', () => {
    const [output, expected] = ['a '.repeat(5_000_000), 'b '.repeat(5_000_000)]
    expect(timeOf(() => expect(() => rougeL(output, expected)).toThrow(/rouge-l similarity would compare 5,000,000 × 5,000,000 words/))).toBeLessThan(10_000)
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
  test('counts n-grams as joined strings would, on 2,000 random pairs', () => {
    const random = randomSource(31)
    const counts = (tokens: string[], order: number) => {
      const grams = new Map<string, number>()
      for (let i = 0; i + order <= tokens.length; i++) grams.set(tokens.slice(i, i + order).join(' '), (grams.get(tokens.slice(i, i + order).join(' ')) ?? 0) + 1)
      return grams
    }
    const textbookBleu = (candidate: string[], reference: string[]) => {
      const order = Math.min(4, candidate.length)
      let logSum = 0
      for (let n = 1; n <= order; n++) {
        const referenceCounts = counts(reference, n)
        let [matches, total] = [0, 0]
        for (const [gram, count] of counts(candidate, n)) [matches, total] = [matches + Math.min(count, referenceCounts.get(gram) ?? 0), total + count]
        if (n === 1 && matches === 0) return 0
        logSum += Math.log(n === 1 ? matches / total : (matches + 1) / (total + 1))
      }
      return (candidate.length >= reference.length ? 1 : Math.exp(1 - reference.length / candidate.length)) * Math.exp(logSum / order)
    }
    for (let run = 0; run < 2_000; run++) {
      const vocabulary = ['the', 'cat', 'sat', 'on', 'a', 'mat'].slice(0, 1 + random(6))
      const candidate = randomItems(random, vocabulary, 1 + random(30))
      const reference = run % 2 === 0 ? randomItems(random, vocabulary, random(30)) : [...candidate.slice(random(3)), ...randomItems(random, vocabulary, random(4))]
      expect({ candidate, reference, score: bleu(candidate.join(' '), reference.join(' ')) }).toEqual({ candidate, reference, score: textbookBleu(candidate, reference) })
    }
    // More distinct n-grams than the id table first holds (32,768): it has to grow.
    const vocabulary = Array.from({ length: 1_000 }, (_, index) => `w${index}`)
    const [candidate, reference] = [randomItems(random, vocabulary, 40_000), randomItems(random, vocabulary, 40_000)]
    expect(bleu(candidate.join(' '), reference.join(' '))).toBe(textbookBleu(candidate, reference))
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
  test('passes `maxPairs` to levenshtein and rouge-l', async () => {
    await expect(scoreSimilarity('a b c', 'x y z', { method: 'rouge-l', maxPairs: 8 })).rejects.toThrow(/more than `maxPairs` allows \(8\)/)
    await expect(scoreSimilarity('abc', 'xyz', { method: 'levenshtein', maxPairs: 8 })).rejects.toThrow(/more than `maxPairs` allows \(8\)/)
    await expect(scoreSimilarity('abc', 'xyz', { method: 'bleu', maxPairs: 8 })).resolves.toEqual({ method: 'bleu', score: 0 })
  })
  test('needs an embedder for the embedding method', async () => {
    await expect(scoreSimilarity('a', 'b', { method: 'embedding' })).rejects.toThrow(/needs an `embedder`/)
  })
})
