/** A pairwise verdict about two answers shown as A and B. */
export type PairwiseWinner = 'A' | 'B' | 'tie'

/** The outcome for the output under test. */
export type PairwiseOutcome = 'win' | 'tie' | 'loss'

/** Score of each outcome: a tie is half a win. */
export const PAIRWISE_SCORES: Readonly<Record<PairwiseOutcome, number>> = { win: 1, tie: 0.5, loss: 0 }

/**
 * Combines the verdicts of both orders (output first as A, then output second as B). Agreeing orders
 * decide; orders that disagree (position bias) make a tie.
 *
 * @example
 * combinePairwiseOrders('A', 'B') // 'win' (preferred in both positions)
 * combinePairwiseOrders('A', 'A') // 'tie' (the judge preferred whatever came first)
 */
export function combinePairwiseOrders(outputFirst: PairwiseWinner, outputSecond: PairwiseWinner): PairwiseOutcome {
  const first: PairwiseOutcome = outputFirst === 'A' ? 'win' : outputFirst === 'B' ? 'loss' : 'tie'
  const second: PairwiseOutcome = outputSecond === 'B' ? 'win' : outputSecond === 'A' ? 'loss' : 'tie'
  return first === second ? first : 'tie'
}
