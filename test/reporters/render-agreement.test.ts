import { describe, expect, test } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderAgreement } from '../../reporters/render-agreement.js'
import { measureAgreement } from '../../reporters/run-agreement.js'
import { summarizeRun } from '../../reporters/summarize.js'
import { agreementByGrader } from '../../src/review/agreement-report.js'
import { appendLabel, type HumanLabel } from '../../src/review/labels-file.js'
import { reviewRows } from '../../src/review/review-rows.js'
import { collected, record } from './fixtures.js'

const label = (caseId: string, metric: string, value: string): HumanLabel => ({ caseId, metric, label: value, at: '2025-01-01T00:00:00Z' })

describe('renderAgreement', () => {
  test('prints n, accuracy with its Wilson interval, kappa, failure recall, false-failure rate and the confusion matrix', () => {
    const verdicts = [['a', 1, 'pass'], ['b', 1, 'fail'], ['c', 0, 'fail'], ['d', 1, 'pass']] as const
    const summary = summarizeRun(verdicts.map(([id, score]) => collected(id, [record('tone', score, { caseId: id })])), { pricing: {}, maxTextChars: 100 })
    const rows = reviewRows(summary, verdicts.map(([id, , human]) => label(id, 'tone', human)))
    // grader P P F P vs human P F F P: po 3/4, pe (2·1 + 2·3)/16 = 1/2 → kappa 0.5; recall 1/2; false fail 0/2; Wilson(3, 4) = [0.301, 0.954]
    expect(renderAgreement(agreementByGrader(rows), { color: false, labelsFile: 'evals/labels.jsonl' })).toEqual([
      '',
      'Judge-human agreement (human labels from evals/labels.jsonl; rows of the matrix are the human label)',
      '   grader  metric  n  accuracy [95% CI]     kappa  fail recall  false fail',
      '   code    tone    4  0.750 [0.301, 0.954]  0.500        0.500       0.000',
      '       human \\ grader  fail  pass',
      '       fail               1     1',
      '       pass               0     2',
    ])
  })

  test('prints nothing when no case is labelled', () => {
    const summary = summarizeRun([collected('a', [record('tone', 1)])], { pricing: {}, maxTextChars: 100 })
    expect(renderAgreement(agreementByGrader(reviewRows(summary, [])), { color: false })).toEqual([])
  })

  test('the reporter keeps the grader label of toMatchHumanLabel records, so class agreement shows a class matrix', () => {
    const intent = (id: string, automated: string, human: string) => collected(id, [record('label:intent', automated === human ? 1 : 0, { caseId: id, details: { automated, human } })], { meta: { evals: [record('label:intent', automated === human ? 1 : 0, { caseId: id, details: { automated, human } })], humanLabel: human } })
    const summary = summarizeRun([intent('a', 'refund', 'refund'), intent('b', 'refund', 'shipping'), intent('c', 'shipping', 'shipping')], { pricing: {}, maxTextChars: 100 })
    expect(summary.cases?.map((score) => (score as { automatedLabel?: string }).automatedLabel)).toEqual(['refund', 'refund', 'shipping'])
    const lines = renderAgreement(agreementByGrader(reviewRows(summary, [])), { color: false })
    // No labels file read: the header names where the labels came from instead of a file that does not exist.
    expect(lines[1]).toBe("Judge-human agreement (human labels from the cases' humanLabel; rows of the matrix are the human label)")
    // po 2/3; margins human (1, 2), grader (2, 1) → pe 4/9; kappa (6/9 − 4/9)/(5/9) = 0.4
    expect(lines.slice(3)).toEqual([
      '   code    label:intent  3  0.667 [0.208, 0.939]  0.400            —           —',
      '       human \\ grader  refund  shipping',
      '       refund               1         0',
      '       shipping             1         1',
    ])
  })
})

describe('measureAgreement', () => {
  test('counts the labels read from the file (0 when it does not exist), so the header names the file only when labels came from it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agreement-'))
    try {
      const file = join(dir, 'labels.jsonl')
      const summary = summarizeRun([collected('a', [record('tone', 1, { caseId: 'a' })])], { pricing: {}, maxTextChars: 100 })
      expect(measureAgreement(summary.cases, file).fileLabels).toBe(0)
      appendLabel(file, { caseId: 'a', metric: 'tone', label: 'pass' })
      appendLabel(file, { caseId: 'a', metric: 'tone', label: 'fail' })
      expect(measureAgreement(summary.cases, file).fileLabels).toBe(2)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
