import { describe, expect, test } from 'vitest'
import type { CaseScore } from '../../../src/history/run-record.js'
import { agreementByGrader, agreementFloorFailures, disagreementExamples } from '../../../src/review/agreement-report.js'
import type { HumanLabel } from '../../../src/review/labels-file.js'
import { agreementByMetric, reviewRows } from '../../../src/review/review-rows.js'
import { reviewCases, runWith } from './fixtures.js'
import { gateMessage } from '../../../reporters/score-history-reporter.js'

const labels = (entries: Array<[caseId: string, metric: string, label: string | number, note?: string]>) =>
  entries.map(([caseId, metric, label, note]): HumanLabel => ({ caseId, metric, label, at: '2025-01-01T00:00:00Z', ...(note ? { note } : {}) }))

const SUITE = 'bot.test.ts > bot'
/** `label:intent` rows as the reporter stores them: the grader's label and the label the matcher compared with. */
function intentCase(caseId: string, automatedLabel: string | number, humanLabel?: string): CaseScore {
  return { suite: SUITE, test: `bot > ${caseId}`, caseId, metric: 'label:intent', score: 0, pass: false, trials: 1, output: `out ${caseId}`, ...(humanLabel ? { humanLabel } : {}), automatedLabel } as CaseScore
}

const helpfulLabels = labels([['refund', 'rubric:helpful', 'pass'], ['hostile', 'rubric:helpful', 'fail'], ['late', 'rubric:helpful', 'pass'], ['rude', 'rubric:helpful', 'fail', 'rude to the customer']])

describe('agreementByGrader', () => {
  test('groups by the judge that scored each row, code graders as `code`', () => {
    const code = { suite: SUITE, test: 'bot > refund', caseId: 'refund', metric: 'rubric:helpful', score: 1, pass: true, trials: 1 }
    const rows = reviewRows(runWith([...reviewCases(), code]), helpfulLabels)
    expect(agreementByGrader(rows).map((each) => [each.grader, each.metric, each.stats?.n, each.stats?.kappa])).toEqual([
      ['openai gpt-4.1-mini (prompt v1)', 'rubric:helpful', 4, 0.5],
      // one pair, both pass: chance agreement is 1, so kappa is undefined
      ['code', 'rubric:helpful', 1, null],
    ])
  })

  test('label: rows compare the recorded grader label with the current human label, else the one compared in the run', () => {
    // Human (file) billing, billing, refund; grader billing, refund, refund; the third falls back to the run's label.
    const rows = reviewRows(runWith([intentCase('a', 'Billing'), intentCase('b', 'refund'), intentCase('c', 'refund', 'refund'), intentCase('d', 'refund')]), labels([['a', 'intent', 'billing'], ['b', 'intent', 'billing']]))
    const [intent] = agreementByMetric(rows)
    // po = 2/3; human margins billing 2, refund 1; grader billing 1, refund 2 → pe = (2 + 2)/9; kappa = (6/9 − 4/9)/(5/9) = 0.4
    expect(intent?.stats?.confusion).toEqual({ labels: ['billing', 'refund'], counts: [[1, 1], [0, 1]], n: 3 })
    expect(intent?.stats?.kappa).toBeCloseTo(0.4, 12)
    expect(rows.map((row) => row.disagrees)).toEqual([false, true, false, false])
  })

  test('numeric label: rows form an ordinal scale and read the quadratic-weighted kappa', () => {
    const rows = reviewRows(runWith([intentCase('a', 1), intentCase('b', 2), intentCase('c', 3)]), labels([['a', 'intent', 1], ['b', 'intent', 3], ['c', 'intent', 3]]))
    const [scale] = agreementByGrader(rows)
    expect(scale?.ordinal).toBe(true)
    // Quadratic weights (i − j)²/4: observed disagreement (1/3)(1/4) = 1/12; expected from human margins (1, 0, 2)/3
    // and grader margins (1, 1, 1)/3: (1/9)(0 + 1/4 + 1) + (2/9)(1 + 1/4 + 0) = 5/12 → kappa 1 − (1/12)/(5/12) = 0.8
    expect(scale?.stats?.weightedKappa?.quadratic).toBeCloseTo(0.8, 12)
    expect(agreementFloorFailures([scale!], { minKappa: 0.9 })).toEqual(['agreement · code · label:intent: weighted kappa 0.800 is below gate.agreement.minKappa 0.9 (n 3)'])
  })
})

describe('agreementFloorFailures', () => {
  const agreements = () => agreementByGrader(reviewRows(runWith(reviewCases()), helpfulLabels))

  test('passes when every floor is met (a floor equal to the value is met)', () => {
    expect(agreementFloorFailures(agreements(), { minKappa: 0.5, minFailureRecall: 0.5, minN: 4 })).toEqual([])
  })

  test('fails naming grader, metric, value, floor and n', () => {
    expect(agreementFloorFailures(agreements(), { minKappa: 0.6, minFailureRecall: 0.8 })).toEqual([
      'agreement · openai gpt-4.1-mini (prompt v1) · rubric:helpful: kappa 0.500 is below gate.agreement.minKappa 0.6 (n 4)',
      'agreement · openai gpt-4.1-mini (prompt v1) · rubric:helpful: failure recall 0.500 is below gate.agreement.minFailureRecall 0.8 (n 4)',
    ])
  })

  test('a kappa or failure recall that cannot be computed yet (one class only, no human fail) says so, and the gate does not call it a disagreement', () => {
    const code = { suite: SUITE, test: 'bot > refund', caseId: 'refund', metric: 'rubric:helpful', score: 1, pass: true, trials: 1 }
    const unmeasurable = agreementByGrader(reviewRows(runWith([...reviewCases(), code]), helpfulLabels)).find((each) => each.grader === 'code')!
    const failures = agreementFloorFailures([unmeasurable], { minKappa: 0.5, minFailureRecall: 0.8 })
    expect(failures).toEqual([
      "agreement · code · rubric:helpful: kappa cannot be computed yet (the human labels and the grader's verdicts are all one class, n 1), so gate.agreement.minKappa 0.5 is not met; label cases of another class with `llm-evals review`",
      'agreement · code · rubric:helpful: failure recall cannot be computed yet (no case has a human `fail` label, n 1), so gate.agreement.minFailureRecall 0.8 is not met; label a failing case with `llm-evals review`',
    ])
    const message = gateMessage(0, failures.length, failures)
    expect(message).toContain('cannot be checked yet')
    expect(message).not.toContain('disagrees')
    expect(message).not.toContain('undefined')
    // A real disagreement beside it still says so.
    const both = [...failures, ...agreementFloorFailures(agreements(), { minKappa: 0.6 })]
    expect(gateMessage(0, both.length, both)).toContain('The grader disagrees with your human labels')
  })

  test('fails when fewer labels than minN, or none at all', () => {
    expect(agreementFloorFailures(agreements(), { minN: 5, minKappa: 0.9 })).toEqual([
      'agreement · openai gpt-4.1-mini (prompt v1) · rubric:helpful: only 4 current human labels, fewer than gate.agreement.minN 5; label more cases with `llm-evals review`',
    ])
    expect(agreementFloorFailures([], { minN: 1 })).toEqual([
      'agreement: no case of this run has a current human label, so gate.agreement.minN 1 is not met; label cases with `llm-evals review`',
    ])
    expect(agreementFloorFailures([], { minKappa: 0.9 })).toEqual([])
  })
})

describe('disagreementExamples', () => {
  test('turns each disagreement into a few-shot example with the human label as the answer', () => {
    const rows = reviewRows(runWith([...reviewCases(), intentCase('a', 'refund', 'billing')]), helpfulLabels)
    expect(disagreementExamples(rows)).toEqual([
      { suite: SUITE, caseId: 'rude', metric: 'rubric:helpful', output: 'Figure it out yourself.', graderLabel: 'pass', humanLabel: 'fail', note: 'rude to the customer' },
      { suite: SUITE, caseId: 'a', metric: 'intent', output: 'out a', graderLabel: 'refund', humanLabel: 'billing' },
    ])
    expect(disagreementExamples(rows, { metric: 'intent' }).map((example) => example.caseId)).toEqual(['a'])
  })
})
