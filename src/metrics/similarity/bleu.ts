import { wordTokens } from './tokenize.js'

const MAX_ORDER = 4

function ngramCounts(tokens: readonly string[], order: number): Map<string, number> {
  const counts = new Map<string, number>()
  for (let i = 0; i + order <= tokens.length; i++) {
    const gram = tokens.slice(i, i + order).join('\u0000')
    counts.set(gram, (counts.get(gram) ?? 0) + 1)
  }
  return counts
}

/** Clipped n-gram matches of the candidate against the reference, and the candidate's n-gram total. */
function clippedMatches(candidate: readonly string[], reference: readonly string[], order: number) {
  const referenceCounts = ngramCounts(reference, order)
  let matches = 0
  let total = 0
  for (const [gram, count] of ngramCounts(candidate, order)) {
    matches += Math.min(count, referenceCounts.get(gram) ?? 0)
    total += count
  }
  return { matches, total }
}

/**
 * Sentence BLEU (Papineni et al. 2002) over lower-cased word tokens, n-grams up to 4, with the brevity
 * penalty `exp(1 - r/c)` when the output is shorter than the reference.
 *
 * Smoothing: BLEU+1 (Lin & Och 2004) — add one to the numerator and denominator of the 2-, 3- and
 * 4-gram precisions; unigram precision is unsmoothed, so no word overlap scores 0. Outputs shorter than
 * 4 tokens use the orders they have (the effective order), as sacreBLEU's sentence BLEU does.
 *
 * @example
 * bleu('the cat sat on the mat', 'the cat is on the mat') // (5/6 · 4/6 · 2/5 · 1/4) ** (1/4)
 */
export function bleu(output: string, expected: string): number {
  const candidate = wordTokens(output)
  const reference = wordTokens(expected)
  if (candidate.length === 0) return reference.length === 0 ? 1 : 0
  const order = Math.min(MAX_ORDER, candidate.length)
  let logPrecisionSum = 0
  for (let n = 1; n <= order; n++) {
    const { matches, total } = clippedMatches(candidate, reference, n)
    if (n === 1 && matches === 0) return 0
    const precision = n === 1 ? matches / total : (matches + 1) / (total + 1)
    logPrecisionSum += Math.log(precision)
  }
  const brevityPenalty =
    candidate.length >= reference.length ? 1 : Math.exp(1 - reference.length / candidate.length)
  return brevityPenalty * Math.exp(logPrecisionSum / order)
}
