// The human review loop end to end: run, label (as the review page does), run again, gate on agreement.
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { readHistory } from '../../src/history/history-file.js'
import type { HistoryRun } from '../../src/history/run-record.js'
import { appendLabel, readLabels } from '../../src/review/labels-file.js'
import { reviewRows } from '../../src/review/review-rows.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
beforeEach(() => {
  project = fixture('review-loop')
})
afterEach(() => project.remove())

const latestRun = (): HistoryRun => readHistory(project.path('.evals', 'history.jsonl')).at(-1) as HistoryRun

// What reviewers decide: is the code grader's verdict right, and which intent is each ticket really?
const verdicts: Record<string, 'pass' | 'fail'> = { 'refund-1': 'pass', 'refund-2': 'pass', 'shipping-1': 'pass', 'shipping-2': 'fail', 'billing-1': 'pass', 'billing-2': 'pass', 'gift-1': 'fail' }
const intents: Record<string, string> = { 'refund-1': 'refund', 'refund-2': 'refund', 'shipping-1': 'shipping', 'shipping-2': 'shipping', 'billing-1': 'billing', 'billing-2': 'billing' }

/** Labels every row of the latest run the way the review page saves them (row's case, metric, output hash, suite). */
function labelLatestRun(): void {
  const file = project.path('evals', 'labels.jsonl')
  for (const row of reviewRows(latestRun(), []).filter((each) => each.metric === 'keyword-check')) {
    const save = (metric: string, label: string) => appendLabel(file, { caseId: row.caseId, metric, label, by: 'ana', suite: row.suite, ...(row.outputHash ? { outputHash: row.outputHash } : {}) })
    save('keyword-check', verdicts[row.caseId] as string)
    if (intents[row.caseId]) save('intent', intents[row.caseId] as string)
  }
}

describe('review loop', () => {
  test('run, label, run again: the agreement table shows kappa and confusion matrices; an agreement floor above kappa fails the run', async () => {
    const first = await project.run([], cleanEnv())
    expect(first.code).toBe(0)
    expect(first.stdout).not.toContain('Judge-human agreement')
    // Nobody has labelled an intent yet: each case's label:intent row awaits a label, with the classifier's answer.
    expect(latestRun().cases?.map((score) => [score.caseId, score.metric, score.pass, score.automatedLabel ?? null, (score as { awaitingLabel?: boolean }).awaitingLabel ?? false])).toEqual([
      ['refund-1', 'keyword-check', true, null, false],
      ['refund-1', 'label:intent', true, 'refund', true],
      ['refund-2', 'keyword-check', true, null, false],
      ['refund-2', 'label:intent', true, 'refund', true],
      ['shipping-1', 'keyword-check', true, null, false],
      ['shipping-1', 'label:intent', true, 'shipping', true],
      ['shipping-2', 'keyword-check', true, null, false],
      ['shipping-2', 'label:intent', true, 'refund', true],
      ['billing-1', 'keyword-check', true, null, false],
      ['billing-1', 'label:intent', true, 'billing', true],
      ['billing-2', 'keyword-check', false, null, false],
      ['billing-2', 'label:intent', true, 'billing', true],
      ['gift-1', 'keyword-check', false, null, false],
      ['gift-1', 'label:intent', true, 'billing', true],
    ])
    expect(latestRun().totals).toMatchObject({ scores: 7, failedScores: 2 })
    expect(latestRun().groups.map((group) => group.metric)).toEqual(['keyword-check'])

    labelLatestRun()
    expect(readLabels(project.path('evals', 'labels.jsonl')).labels).toHaveLength(13)

    const second = await project.run([], cleanEnv())
    expect(second.code).toBe(0)
    // keyword-check: grader P P P P P F F vs human P P P F P P F → po 5/7, pe 29/49, kappa 0.3;
    // failure recall 1/2, false-failure rate 1/5; Wilson 95% of 5/7 = [0.359, 0.918].
    // intent: 5 of 6 agree, grader margins 2/3/1 vs human 2/2/2 → pe 1/3, kappa (5/6 − 1/3)/(2/3) = 0.75.
    const table = second.stdout.slice(second.stdout.indexOf('Judge-human agreement'))
    expect(table).toMatch(/grader\s+metric\s+n\s+accuracy \[95% CI\]\s+kappa\s+fail recall\s+false fail\n/)
    expect(table).toMatch(/code\s+keyword-check\s+7\s+0\.714 \[0\.359, 0\.918\]\s+0\.300\s+0\.500\s+0\.200\n\s+human \\ grader\s+fail\s+pass\n\s+fail\s+1\s+1\n\s+pass\s+1\s+4\n/)
    expect(table).toMatch(/code\s+label:intent\s+6\s+0\.833 \[0\.436, 0\.970\]\s+0\.750\s+—\s+—\n\s+human \\ grader\s+billing\s+refund\s+shipping\n\s+billing\s+2\s+0\s+0\n\s+refund\s+0\s+2\s+0\n\s+shipping\s+0\s+1\s+1\n/)
    const report = project.read('.evals', 'report.html')
    expect(report).toContain('<tr class="disagreement"><td>shipping-2</td><td>intent</td><td>refund</td><td>shipping</td>')

    const gated = await project.run([], cleanEnv({ MIN_KAPPA: '0.5' }))
    expect(gated.code).toBe(1)
    expect(gated.stderr).toContain(
      '[vitest-llm-evals] Eval gate failed (1 agreement floor):\n  - agreement · code · keyword-check: kappa 0.300 is below gate.agreement.minKappa 0.5 (n 7)\n',
    )
    expect(gated.stderr).not.toContain('label:intent')

    const passing = await project.run([], cleanEnv({ MIN_KAPPA: '0.3' }))
    expect(passing.code).toBe(0)
  })
})
