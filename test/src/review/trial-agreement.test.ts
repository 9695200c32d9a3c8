// `label:` agreement of a case run several times counts each human label once, against the verdict of the trial it
// was given on: a label every trial's matcher read (the dataset's, or the case's in the labels file) is one label.
import { describe, expect, test } from 'vitest'
import type { CaseScore } from '../../../src/history/run-record.js'
import { outputHash, type HumanLabel } from '../../../src/review/labels-file.js'
import { agreementByMetric, modalTrial, reviewRows } from '../../../src/review/review-rows.js'
import { runWith } from './fixtures.js'

const SUITE = 'bot.test.ts > bot'
const said = ['refund', 'billing', 'refund']

/** A classifier case run 3 times: trial 2 graded "billing"; every trial's matcher compared with the human label `recorded`. */
function intentCase(recorded: string | undefined): CaseScore {
  return {
    suite: SUITE, test: 'bot > intent-1', caseId: 'intent-1', metric: 'label:intent', score: 2 / 3, pass: false, trials: 3, passes: 2,
    automatedLabel: 'refund', output: 'refund', outputHash: outputHash('refund'), ...(recorded === undefined ? {} : { humanLabel: recorded }),
    trialResults: said.map((label, at) => ({ trial: at + 1, score: label === recorded ? 1 : 0, pass: label === recorded, automatedLabel: label, output: label, outputHash: outputHash(label), ...(recorded === undefined ? {} : { humanLabel: recorded }) })),
  } as CaseScore
}
const labelled = (entries: Array<Partial<HumanLabel> & Pick<HumanLabel, 'label'>>) =>
  entries.map((entry): HumanLabel => ({ suite: SUITE, caseId: 'intent-1', metric: 'intent', at: '2026-12-01T00:00:00Z', ...entry }))

describe('label: agreement of a repeated case', () => {
  test("a label from the dataset, read by every trial, counts once: against the grader's most frequent answer, the latest trial that gave it", () => {
    const rows = reviewRows(runWith([intentCase('billing')]), [])
    const [agreement] = agreementByMetric(rows)
    expect(agreement?.stats?.n).toBe(1)
    expect(agreement?.skipped).toBe(0)
    // The last trial graded "refund" against "billing": the one disagreement.
    expect(agreement?.stats?.confusion.counts.flat().reduce((sum, count) => sum + count, 0)).toBe(1)
    expect(rows.map((row) => [row.trial, row.disagrees])).toEqual([[1, false], [2, false], [3, true]])
  })

  test("an untrialled label in the labels file counts once, on the trial whose output it was given on", () => {
    const rows = reviewRows(runWith([intentCase('billing')]), labelled([{ label: 'billing', outputHash: outputHash('billing') }]))
    const [agreement] = agreementByMetric(rows)
    expect(agreement?.stats?.n).toBe(1)
    // Trial 2 graded "billing", the label given on its output says "billing": they agree.
    expect(agreement?.stats?.accuracy).toMatchObject({ value: 1 })
    expect(rows.map((row) => [row.trial, row.label?.label ?? null, row.disagrees])).toEqual([[1, null, false], [2, 'billing', false], [3, null, false]])
  })

  test("each trial's own label counts on its trial, and the case's label once beside them", () => {
    const rows = reviewRows(runWith([intentCase('refund')]), labelled([{ label: 'refund', trial: 1, outputHash: outputHash('refund') }, { label: 'refund', trial: 2, outputHash: outputHash('billing') }]))
    const [agreement] = agreementByMetric(rows)
    // Trial 1 and 2 by their own labels, trial 3 by the case's label its matcher read.
    expect(agreement?.stats?.n).toBe(3)
    expect(rows.map((row) => [row.trial, row.disagrees])).toEqual([[1, false], [2, true], [3, false]])
  })

  test("the dataset's label is counted against what the grader said most often, not against whichever trial ran last", () => {
    // Graded billing, billing, refund; the dataset says billing: the grader agrees on its most frequent answer.
    const graded = ['billing', 'billing', 'refund']
    const score = { ...intentCase('billing'), trialResults: graded.map((label, at) => ({ trial: at + 1, score: label === 'billing' ? 1 : 0, pass: label === 'billing', automatedLabel: label, output: label, outputHash: outputHash(label), humanLabel: 'billing' })) } as CaseScore
    const rows = reviewRows(runWith([score]), [])
    const [agreement] = agreementByMetric(rows)
    expect(agreement?.stats?.n).toBe(1)
    expect(agreement?.stats?.accuracy).toMatchObject({ value: 1 })
    expect(rows.map((row) => [row.trial, row.recordedCountedElsewhere ?? false])).toEqual([[1, true], [2, false], [3, true]])
  })

  test('modalTrial: the most frequent grade among trials without a label of their own, ties to the latest', () => {
    const trials = (grades: (string | boolean)[]) => grades.map((grade, at) => (typeof grade === 'boolean' ? { trial: at + 1, pass: grade } : { trial: at + 1, pass: true, automatedLabel: grade }))
    expect(modalTrial(trials(['a', 'a', 'b']), () => false)).toBe(1)
    expect(modalTrial(trials(['a', 'b']), () => false)).toBe(1)
    expect(modalTrial(trials(['b', 'a', 'a', 'b', 'c']), () => false)).toBe(3)
    expect(modalTrial(trials([true, false, false]), () => false)).toBe(2)
    // Trials 2 and 3 have labels of their own: trial 1 is the only one left.
    expect(modalTrial(trials(['a', 'b', 'b']), (trial) => trial.trial > 1)).toBe(0)
    // Every trial has its own label: among all.
    expect(modalTrial(trials(['a', 'b', 'b']), () => true)).toBe(2)
  })
})
