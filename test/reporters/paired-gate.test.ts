import { describe, expect, test } from 'vitest'
import { compareRuns, gateFailures, gateNotes } from '../../reporters/compare.js'
import type { HistoryRun } from '../../src/history/run-record.js'
import { seededRandom } from '../../src/metrics/index.js'
import { historyRun } from './fixtures.js'

const gate = { failOnRegression: true, tolerance: 0.05 }
const options = { tolerance: 0.05, recent: 12 }

/** A run of one suite metric (`quality`) whose case `case-<i>` scored `scores[i]`. */
function runOf(id: string, scores: readonly number[], extra: Partial<HistoryRun> = {}): HistoryRun {
  const cases = scores.map((score, index) => ({ suite: 'bot.test.ts > bot', test: `bot > case-${index}`, caseId: `case-${index}`, metric: 'quality', score, pass: score >= 0.5, trials: 1 }))
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length
  return historyRun(id, {}, { groups: [{ suite: 'bot.test.ts > bot', metric: 'quality', mean, passRate: 1, cases: scores.length, trials: scores.length, flaky: 0 }], cases, ...extra })
}

/** The rule before paired comparison: the whole-group mean dropped more than the tolerance. */
const oldRuleFails = (before: HistoryRun, after: HistoryRun) => (before.groups[0]?.mean ?? 0) - (after.groups[0]?.mean ?? 0) > gate.tolerance

const random = seededRandom(11)
const base = Array.from({ length: 40 }, () => 0.3 + 0.4 * random())

describe('the gate tells a regression from noise', () => {
  test('passes when 40 cases flip up and down with no real shift, though the mean dropped more than the tolerance', () => {
    // A noisy judge: 24 cases lose 0.3 and 16 gain 0.3, so the mean drops 0.06 by chance alone.
    const noisy = base.map((score, index) => (index < 24 ? score - 0.3 : score + 0.3))
    const before = runOf('r1', base)
    const after = runOf('r2', noisy)
    expect(oldRuleFails(before, after)).toBe(true)
    const comparison = compareRuns(after, [before], undefined, options)
    expect(comparison.rows[0]).toMatchObject({ regressed: false, verdict: { test: 'bootstrap', pairs: 40, significant: false } })
    expect(gateFailures(comparison, gate)).toEqual([])
    expect(gateNotes(comparison)).toEqual([expect.stringMatching(/^bot\.test\.ts > bot · quality: dropped 0\.060 \(40 paired cases, 95% CI of the change −0\.\d{3}…\+0\.\d{3}\): within noise at 95% confidence, not failed; more cases, or repeats \(averaged per case\), narrow the interval$/)])
  })

  test('fails when many cases drop, stating the drop, the interval and the paired cases', () => {
    const worse = base.map((score, index) => (index < 30 ? score - 0.2 : score))
    const comparison = compareRuns(runOf('r2', worse), [runOf('r1', base)], undefined, options)
    expect(comparison.rows[0]).toMatchObject({ regressed: true, verdict: { test: 'bootstrap', pairs: 40, significant: true } })
    const [failure] = gateFailures(comparison, gate)
    expect(failure).toMatch(/^bot\.test\.ts > bot · quality: dropped 0\.150 \(40 paired cases, 95% CI of the change −0\.1\d{2}…−0\.1\d{2}\) vs the previous run r1 \(mean score 0\.\d{3} → 0\.\d{3}\), more than gate\.tolerance 0\.05; dropped most: case-\d+/)
    expect(gateNotes(comparison)).toEqual([])
  })

  test('pass/fail scores: the sign test on the cases that flipped', () => {
    const before = Array.from({ length: 40 }, (_, index) => (index % 2 ? 1 : 0))
    // 12 pass → fail, 8 fail → pass: the pass rate drops 0.1, and a fair coin does that half the time.
    const noisy = before.map((score, index) => (index < 24 && score === 1 ? 0 : index < 16 && score === 0 ? 1 : score))
    const noise = compareRuns(runOf('r2', noisy), [runOf('r1', before)], undefined, options)
    expect(noise.rows[0]?.verdict).toMatchObject({ test: 'sign', pairs: 40, worse: 12, better: 8, drop: 0.1, significant: false })
    expect(gateFailures(noise, gate)).toEqual([])
    // 10 pass → fail, 1 fail → pass: one-sided p = 12/2048.
    const worse = before.map((score, index) => (index < 20 && score === 1 ? 0 : index === 20 ? 1 : score))
    const regression = compareRuns(runOf('r2', worse), [runOf('r1', before)], undefined, options)
    expect(regression.rows[0]?.verdict).toMatchObject({ test: 'sign', worse: 10, better: 1, pValue: expect.closeTo(12 / 2048, 12), significant: true })
    expect(gateFailures(regression, gate)[0]).toContain('quality: dropped 0.225 (40 paired cases: 10 pass → fail, 1 fail → pass, one-sided sign test p = 0.006) vs the previous run r1')
  })

  test('gate.confidence sets how sure the gate must be', () => {
    const before = Array<number>(20).fill(1)
    const after = before.map((score, index) => (index < 6 ? 0 : score))
    // 6 of 6 flips are drops: one-sided p = 1/64 = 0.016, below 0.05 but not below 0.01.
    expect(compareRuns(runOf('r2', after), [runOf('r1', before)], undefined, { ...options, confidence: 0.95 }).rows[0]?.regressed).toBe(true)
    expect(compareRuns(runOf('r2', after), [runOf('r1', before)], undefined, { ...options, confidence: 0.99 }).rows[0]).toMatchObject({ regressed: false, note: expect.stringContaining('within noise at 99% confidence') })
  })
})

test('the sign test is one-sided: 5 of 5 paired pass/fail cases failing is a regression at 0.95 (p = 1/32)', () => {
  const comparison = compareRuns(runOf('r2', [0, 0, 0, 0, 0]), [runOf('r1', [1, 1, 1, 1, 1])], undefined, options)
  expect(comparison.rows[0]).toMatchObject({ regressed: true, verdict: { test: 'sign', pairs: 5, worse: 5, better: 0, pValue: expect.closeTo(1 / 32, 12) } })
  // Improvements never fail the gate, however sure.
  expect(compareRuns(runOf('r2', [1, 1, 1, 1, 1]), [runOf('r1', [0, 0, 0, 0, 0])], undefined, options).rows[0]?.regressed).toBe(false)
})

describe('when the gate cannot tell', () => {
  test('too few paired cases: not failed, saying how many were paired and what to do', () => {
    const comparison = compareRuns(runOf('r2', [0.2, 0.3, 0.1]), [runOf('r1', [0.9, 0.9, 0.9])], undefined, options)
    expect(comparison.rows[0]).toMatchObject({ regressed: false, verdict: { test: 'too-few', pairs: 3 } })
    expect(gateFailures(comparison, gate)).toEqual([])
    expect(gateNotes(comparison)).toEqual([
      'bot.test.ts > bot · quality: dropped 0.700, but only 3 paired cases (5 needed): too few cases to tell a regression from noise, not failed; add cases scored in both runs, or set gate.minScore as a floor for a small suite',
    ])
  })

  test('cases are paired by case id: renamed cases do not pair', () => {
    const renamed = runOf('r2', Array<number>(8).fill(0.1))
    for (const score of renamed.cases ?? []) score.caseId = `new-${score.caseId}`
    expect(compareRuns(renamed, [runOf('r1', Array<number>(8).fill(0.9))], undefined, options).rows[0]?.verdict).toMatchObject({ test: 'too-few', pairs: 0 })
  })

  test('a reference run without per-case scores (old history, or retention dropped them): means compared, and the message says so', () => {
    const old = runOf('r1', Array<number>(8).fill(0.9))
    delete old.cases
    const comparison = compareRuns(runOf('r2', Array<number>(8).fill(0.7)), [old], undefined, options)
    expect(comparison.rows[0]).toMatchObject({ regressed: true, verdict: { test: 'means' } })
    expect(gateFailures(comparison, gate)).toEqual([
      'bot.test.ts > bot · quality: mean score 0.700 dropped 0.200 vs the previous run r1 (0.900), more than gate.tolerance 0.05 (compared by mean: r1 kept no per-case scores, so noise cannot be told apart)',
    ])
  })

  test('minScore still fails on the mean, whatever the paired comparison says', () => {
    const comparison = compareRuns(runOf('r2', [0.2, 0.3, 0.1]), [runOf('r1', [0.9, 0.9, 0.9])], undefined, options)
    expect(gateFailures(comparison, { ...gate, minScore: 0.5 })).toEqual(['bot.test.ts > bot · quality: mean score 0.200 is below gate.minScore 0.5'])
  })
})

describe('a reference whose case scores have no trials field (a history line that left it out)', () => {
  test('is paired as before: only a row with `trials: 0` (a scorer could not score it) is left out', () => {
    const before = runOf('r1', base)
    const legacy = { ...before, cases: before.cases?.map(({ trials: _trials, ...score }) => score) as HistoryRun['cases'] }
    const after = runOf('r2', base.map((score) => score - 0.2))
    const verdict = compareRuns(after, [legacy], undefined, options).rows[0]?.verdict
    expect(verdict).toMatchObject({ test: 'bootstrap', pairs: 40, significant: true })
  })
})
