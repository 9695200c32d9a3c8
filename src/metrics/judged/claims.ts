/** One claim and the judge's label for it. */
export interface LabelledClaim<Label extends string = string> {
  claim: string
  verdict: Label
}

/** Share of claims with a supporting label, and which claims failed. */
export interface ClaimsScore {
  /** Supported ÷ all claims; 1 when there are no claims (nothing unsupported was said). */
  score: number
  pass: boolean
  supported: number
  total: number
  /** Indexes of the claims that did not get the supporting label. */
  failing: number[]
  /** Indexes of the claims with a vetoing label (e.g. contradicted): any one fails the check. */
  vetoed: number[]
}

/**
 * Scores labelled claims: pass when no claim has a `veto` label and the supported share reaches `threshold`.
 *
 * @example
 * scoreClaims([{ claim: 'a', verdict: 'supported' }, { claim: 'b', verdict: 'not-in-context' }], { supported: 'supported', threshold: 0.5 })
 * // { score: 0.5, pass: true, supported: 1, total: 2, failing: [1], vetoed: [] }
 */
export function scoreClaims<Label extends string>(
  claims: readonly LabelledClaim<Label>[],
  options: { supported: Label; veto?: Label; threshold: number },
): ClaimsScore {
  const failing = claims.flatMap((claim, index) => (claim.verdict === options.supported ? [] : [index]))
  const vetoed = options.veto === undefined ? [] : claims.flatMap((claim, index) => (claim.verdict === options.veto ? [index] : []))
  const supported = claims.length - failing.length
  const score = claims.length === 0 ? 1 : supported / claims.length
  return { score, pass: vetoed.length === 0 && score >= options.threshold, supported, total: claims.length, failing, vetoed }
}
