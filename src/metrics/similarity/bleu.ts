import { wordTokens } from './tokenize.js'

const MAX_ORDER = 4

/**
 * Ids for pairs of small integers: an open-addressing hash table in one typed array of (first, second,
 * id) slots, doubled when half full (a `Map` keyed by numbers past 2^31 boxes each as a double, and is
 * several times slower).
 */
class PairIds {
  private slots: Int32Array
  size = 0

  /** `expected`: about how many pairs will be added (the table starts with room for them, up to 32,768). */
  constructor(expected: number) {
    this.slots = new Int32Array(3 * 2 ** Math.ceil(Math.log2(Math.min(32_768, Math.max(8, expected)) * 2))).fill(-1)
  }

  idOf(first: number, second: number): number {
    const mask = this.slots.length / 3 - 1
    let slot = PairIds.hash(first, second) & mask
    for (;;) {
      const at = slot * 3
      if (this.slots[at] === -1) break
      if (this.slots[at] === first && this.slots[at + 1] === second) return this.slots[at + 2]!
      slot = (slot + 1) & mask
    }
    this.put(slot * 3, first, second, this.size)
    if (++this.size * 2 > mask) this.grow()
    return this.size - 1
  }

  private static hash(first: number, second: number): number {
    const mixed = Math.imul(first, 0x9e3779b1) ^ Math.imul(second, 0x85ebca77)
    const spread = Math.imul(mixed ^ (mixed >>> 15), 0x2c1b3c6d)
    return spread ^ (spread >>> 13)
  }

  private put(at: number, first: number, second: number, id: number): void {
    this.slots[at] = first
    this.slots[at + 1] = second
    this.slots[at + 2] = id
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Int32Array(old.length * 2).fill(-1)
    const mask = this.slots.length / 3 - 1
    for (let at = 0; at < old.length; at += 3) {
      if (old[at] === -1) continue
      let slot = PairIds.hash(old[at]!, old[at + 1]!) & mask
      while (this.slots[slot * 3] !== -1) slot = (slot + 1) & mask
      this.put(slot * 3, old[at]!, old[at + 1]!, old[at + 2]!)
    }
  }
}

/**
 * N-gram ids of both texts, one order at a time: equal n-grams get equal ids. An n-gram's id is that of
 * the pair (id of its first n - 1 words, id of its last word), so no n-gram is ever built as a string
 * (joining strings took 8 s for two 10 MB texts).
 */
class NgramIds {
  private candidate: Int32Array
  private reference: Int32Array
  private readonly candidateWords: Int32Array
  private readonly referenceWords: Int32Array
  count: number

  constructor(candidate: readonly string[], reference: readonly string[]) {
    const words = new Map<string, number>()
    const idsOf = (tokens: readonly string[]) =>
      Int32Array.from(tokens, (token) => {
        let id = words.get(token)
        if (id === undefined) words.set(token, (id = words.size))
        return id
      })
    this.candidateWords = this.candidate = idsOf(candidate)
    this.referenceWords = this.reference = idsOf(reference)
    this.count = words.size
  }

  /** Ids of the n-grams one word longer than the current ones (`order` is the new length). */
  lengthen(order: number): void {
    const pairs = new PairIds(this.candidate.length + this.reference.length)
    const extend = (grams: Int32Array, words: Int32Array) => {
      const longer = new Int32Array(Math.max(0, grams.length - 1))
      for (let index = 0; index < longer.length; index++) longer[index] = pairs.idOf(grams[index]!, words[index + order - 1]!)
      return longer
    }
    this.candidate = extend(this.candidate, this.candidateWords)
    this.reference = extend(this.reference, this.referenceWords)
    this.count = pairs.size
  }

  /** Clipped n-gram matches of the candidate against the reference, and the candidate's n-gram total. */
  clippedMatches(): { matches: number; total: number } {
    const available = new Int32Array(this.count)
    for (const gram of this.reference) available[gram]! += 1
    let matches = 0
    for (const gram of this.candidate) {
      if (available[gram]! > 0) {
        available[gram]! -= 1
        matches += 1
      }
    }
    return { matches, total: this.candidate.length }
  }
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
  const ngrams = new NgramIds(candidate, reference)
  let logPrecisionSum = 0
  for (let n = 1; n <= order; n++) {
    if (n > 1) ngrams.lengthen(n)
    const { matches, total } = ngrams.clippedMatches()
    if (n === 1 && matches === 0) return 0
    const precision = n === 1 ? matches / total : (matches + 1) / (total + 1)
    logPrecisionSum += Math.log(precision)
  }
  const brevityPenalty =
    candidate.length >= reference.length ? 1 : Math.exp(1 - reference.length / candidate.length)
  return brevityPenalty * Math.exp(logPrecisionSum / order)
}
