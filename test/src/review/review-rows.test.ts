import { describe, expect, test } from 'vitest'
import { outputHash, type HumanLabel } from '../../../src/review/labels-file.js'
import { agreementByMetric, reviewRows } from '../../../src/review/review-rows.js'
import { reviewCases, runWith } from './fixtures.js'

const labelled = (entries: Array<Partial<HumanLabel> & Pick<HumanLabel, 'caseId' | 'label'>>) =>
  entries.map((entry): HumanLabel => ({ metric: 'rubric:helpful', at: '2025-01-01T00:00:00Z', ...entry }))

describe('reviewRows', () => {
  test('joins each case and metric with its newest label and marks disagreements', () => {
    const rows = reviewRows(runWith(reviewCases()), labelled([
      { caseId: 'refund', label: 'pass', outputHash: outputHash('You can get a refund within 30 days.') },
      { caseId: 'late', label: 'fail' },
    ]))
    expect(rows.map((row) => [row.caseId, row.label?.label, row.label?.stale, row.disagrees])).toEqual([
      ['refund', 'pass', false, false],
      ['hostile', undefined, undefined, false],
      ['late', 'fail', false, true],
      ['rude', undefined, undefined, false],
    ])
    expect(rows[0]).toMatchObject({ suite: 'bot.test.ts > bot', metric: 'rubric:helpful', labelMetric: 'rubric:helpful', judge: 'openai gpt-4.1-mini (prompt v1)', flaky: false })
  })

  test('a label on a different output is stale and never counts as a disagreement', () => {
    const rows = reviewRows(runWith(reviewCases()), labelled([{ caseId: 'late', label: 'fail', outputHash: outputHash('an older answer') }]))
    expect(rows[2]).toMatchObject({ label: { stale: true }, disagrees: false })
    expect(agreementByMetric(rows)).toEqual([expect.objectContaining({ metric: 'rubric:helpful', skipped: 1 })])
  })

  test('a truncated output has no hash, so its label is never marked stale', () => {
    const [first] = reviewCases()
    const rows = reviewRows(runWith([{ ...first!, output: 'You can get a refund… (+120 chars)' }]), labelled([{ caseId: 'refund', label: 'pass', outputHash: 'sha256:0000000000000000' }]))
    expect(rows[0]?.outputHash).toBeUndefined()
    expect(rows[0]?.label?.stale).toBe(false)
  })

  test('label: rows store labels under the plain metric name that humanLabel() reads', () => {
    const [first] = reviewCases()
    const rows = reviewRows(runWith([{ ...first!, metric: 'label:intent', pass: false }]), labelled([{ caseId: 'refund', metric: 'intent', label: 'refund' }]))
    expect(rows[0]).toMatchObject({ labelMetric: 'intent', label: { label: 'refund' } })
    expect(agreementByMetric(rows)).toEqual([])
  })
})

describe('agreementByMetric', () => {
  test('pass/fail labels give kappa, a confusion matrix and failure recall', () => {
    const rows = reviewRows(runWith(reviewCases()), labelled([
      { caseId: 'refund', label: 'Pass' },
      { caseId: 'hostile', label: 'fail' },
      { caseId: 'late', label: 'pass' },
      { caseId: 'rude', label: 'fail' },
    ]))
    const [helpful] = agreementByMetric(rows)
    // grader: pass, fail, pass, pass; human: pass, fail, pass, fail → caught 1, missed 1, passed 2.
    // po = 3/4; pe = (2·1 + 2·3)/16 = .5; kappa = .25/.5 = .5
    expect(helpful?.stats?.confusion.counts).toEqual([[1, 1], [0, 2]])
    expect(helpful?.stats?.kappa).toBeCloseTo(0.5, 12)
    expect(helpful?.stats?.failures?.failureRecall).toBe(0.5)
  })

  test('numeric labels give rank correlations with the scores', () => {
    const rows = reviewRows(runWith(reviewCases()), labelled([
      { caseId: 'refund', label: 5 },
      { caseId: 'hostile', label: 1 },
      { caseId: 'late', label: 4 },
      { caseId: 'rude', label: 2 },
    ]))
    // scores .9, .2, .8, .7 vs 5, 1, 4, 2: identical order
    expect(agreementByMetric(rows)[0]?.ranks).toEqual({ n: 4, spearman: 1, kendallTauB: 1 })
  })
})
