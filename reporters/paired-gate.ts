import { caseKeysOf, groupKey, type CaseScore, type GroupAggregate } from '../src/history/run-record.js'
import { DEFAULT_RESAMPLES, pairedBootstrap } from '../src/metrics/paired/paired-bootstrap.js'
import { signTest } from '../src/metrics/paired/sign-test.js'
import type { SummarizedCase } from './summarize.js'

/** Fewest cases scored in both runs before the gate tells a regression from noise. */
export const MIN_PAIRED_CASES = 5

/** Most bootstrap draws (resamples × pairs) per suite metric: past 10,000 pairs, fewer resamples (at least 1,000). */
const MAX_BOOTSTRAP_DRAWS = 40_000_000

/** Default confidence of the gate's noise test. */
export const DEFAULT_CONFIDENCE = 0.95

/**
 * How a suite metric's change was judged: `bootstrap` (continuous scores, paired bootstrap interval of
 * the mean change), `sign` (pass/fail scores, exact sign test on the pairs that flipped), `too-few`
 * (fewer than {@link MIN_PAIRED_CASES} pairs: cannot tell), `means` (the reference run kept no
 * per-case scores: whole-group means compared, as before paired comparison existed).
 * `drop` is positive when the score went down. `leftOut`: cases that could not be scored, left out of this run's
 * mean because the reference's mean could not count them (errored-comparison.ts).
 */
export type ChangeVerdict =
  | { test: 'bootstrap'; pairs: number; drop: number; low: number; high: number; confidence: number; significant: boolean }
  | { test: 'sign'; pairs: number; drop: number; worse: number; better: number; pValue: number; confidence: number; significant: boolean }
  | { test: 'too-few'; pairs: number; drop: number; leftOut?: number }
  | { test: 'means'; drop: number; leftOut?: number }

// A case a scorer failed for (`trials` 0) has no score of this metric: the suite gate leaves it out too. (`!== 0`:
// a history line's case with no `trials` field, which the reader accepts, is a score, as it always was.)
const usable = (score: CaseScore) => !(score as SummarizedCase).awaitingLabel && score.trials !== 0
const isBinary = (score: number) => score === 0 || score === 1

/**
 * The paired scores of one suite metric: each case scored in both runs (by `caseKey`; a case's
 * repeats are already averaged into its score), as before/after lists in the current run's order.
 */
export function pairCases(group: GroupAggregate, current: readonly CaseScore[], reference: ReadonlyMap<string, CaseScore>): { before: number[]; after: number[] } {
  const key = groupKey(group)
  const keys = caseKeysOf(current)
  const after = new Map<string, number>()
  // A plain loop, not `forEach`: it runs once per suite metric at the end of a run, cold, over thousands of cases.
  for (let at = 0; at < current.length; at++) {
    const score = current[at] as CaseScore
    if (keys.groups[at] === key && usable(score)) after.set(keys.cases[at] as string, score.score)
  }
  const pairs = { before: [] as number[], after: [] as number[] }
  for (const [each, score] of after) {
    const before = reference.get(each)
    if (!before || !usable(before)) continue
    pairs.before.push(before.score)
    pairs.after.push(score)
  }
  return pairs
}

/**
 * Judges a suite metric's change against its reference: pass/fail scores (every paired score 0 or 1)
 * by the exact one-sided sign test (significant when p of "this many pass → fail flips by chance" < 1 −
 * confidence), other scores by a seeded paired bootstrap (significant when its `confidence` interval lies
 * wholly below or above 0). Without the reference's per-case scores, the whole-group means are compared.
 *
 * @example
 * judgeChange(group, summary.cases, referenceCases, referenceMean, 0.95) // { test: 'bootstrap', pairs: 40, drop: 0.12, low: -0.19, high: -0.05, … }
 */
export function judgeChange(group: GroupAggregate, current: readonly CaseScore[], reference: ReadonlyMap<string, CaseScore> | undefined, referenceMean: number, confidence: number): ChangeVerdict {
  if (!reference) return { test: 'means', drop: referenceMean - group.mean }
  const { before, after } = pairCases(group, current, reference)
  const pairs = before.length
  const drop = pairs ? before.reduce((sum, value, index) => sum + value - (after[index] as number), 0) / pairs : referenceMean - group.mean
  if (pairs < MIN_PAIRED_CASES) return { test: 'too-few', pairs, drop }
  if (before.every(isBinary) && after.every(isBinary)) {
    let worse = 0
    let better = 0
    before.forEach((value, index) => {
      if (value > (after[index] as number)) worse++
      else if (value < (after[index] as number)) better++
    })
    // One-sided: the gate asks only whether the run got worse. (Two-sided, 5 of 5 cases failing would be p = 0.0625: never a regression.)
    const { pWorse } = signTest(worse, better)
    return { test: 'sign', pairs, drop, worse, better, pValue: pWorse, confidence, significant: pWorse < 1 - confidence }
  }
  const resamples = Math.max(1000, Math.min(DEFAULT_RESAMPLES, Math.floor(MAX_BOOTSTRAP_DRAWS / pairs)))
  const result = pairedBootstrap(before, after, { confidence, resamples })
  return { test: 'bootstrap', pairs, drop, low: result.low, high: result.high, confidence, significant: result.high < 0 || result.low > 0 }
}

/** Whether a verdict is a regression: a drop beyond `tolerance` that is not noise (means: beyond tolerance). */
export function isRegression(verdict: ChangeVerdict, tolerance: number): boolean {
  if (verdict.drop <= tolerance + 1e-9) return false
  return verdict.test === 'means' || (verdict.test !== 'too-few' && verdict.significant)
}

const signed = (value: number) => `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(3)}`
const percent = (confidence: number) => `${Math.round(confidence * 1000) / 10}%`

/**
 * The evidence of a paired verdict, for messages: `40 paired cases, 95% CI −0.190…−0.050` or
 * `40 paired cases: 9 pass → fail, 1 fail → pass, one-sided sign test p = 0.011`.
 *
 * @example
 * describeEvidence(verdict) // '40 paired cases, 95% CI −0.190…−0.050'
 */
export function describeEvidence(verdict: ChangeVerdict): string {
  if (verdict.test === 'bootstrap') return `${verdict.pairs} paired cases, ${percent(verdict.confidence)} CI of the change ${signed(verdict.low)}…${signed(verdict.high)}`
  if (verdict.test === 'sign') return `${verdict.pairs} paired cases: ${verdict.worse} pass → fail, ${verdict.better} fail → pass, one-sided sign test p ${verdict.pValue < 0.001 ? '< 0.001' : `= ${verdict.pValue.toFixed(3)}`}`
  if (verdict.test === 'too-few') return `${verdict.pairs} paired case${verdict.pairs === 1 ? '' : 's'}`
  return 'compared by mean'
}

/**
 * Why a drop beyond the tolerance did not fail the gate (undefined when it did, or there was none):
 * too few paired cases to tell, or within noise at the gate's confidence. Says what to do.
 */
export function undecidedNote(verdict: ChangeVerdict, tolerance: number): string | undefined {
  if (verdict.drop <= tolerance + 1e-9 || isRegression(verdict, tolerance)) return undefined
  if (verdict.test === 'too-few') {
    return `dropped ${verdict.drop.toFixed(3)}, but only ${describeEvidence(verdict)} (${MIN_PAIRED_CASES} needed): too few cases to tell a regression from noise, not failed; add cases scored in both runs, or set gate.minScore as a floor for a small suite`
  }
  if (verdict.test === 'means') return undefined
  const advice = verdict.test === 'sign' ? 'more cases would tell' : 'more cases, or repeats (averaged per case), narrow the interval'
  return `dropped ${verdict.drop.toFixed(3)} (${describeEvidence(verdict)}): within noise at ${percent(verdict.confidence)} confidence, not failed; ${advice}`
}
