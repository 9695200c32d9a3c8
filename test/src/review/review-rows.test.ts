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

describe('reviewRows of a case run several times', () => {
  // Trial 2 failed: the case's mean (0.667) is below its pass mark, trials 1 and 3 passed.
  const outputs = ['Refunds take 5 days.', 'I cannot help with that.', 'Refunds take 5 days; start on the orders page.']
  const repeated = () => {
    const [first] = reviewCases()
    return runWith([{
      ...first!,
      score: 2 / 3,
      pass: false,
      trials: 3,
      passes: 2,
      flaky: true,
      output: outputs[2],
      outputHash: outputHash(outputs[2] as string),
      reason: 'answers the question\ndoes not answer',
      trialResults: outputs.map((output, index) => ({ trial: index + 1, score: index === 1 ? 0 : 1, pass: index !== 1, reason: index === 1 ? 'does not answer' : 'answers the question', output, outputHash: outputHash(output) })),
    }])
  }

  test('each kept trial is its own row: its output, score, verdict and reasons, "trial k of N"', () => {
    const rows = reviewRows(repeated(), [])
    expect(rows.map((row) => [row.id, row.trial, row.trials, row.output, row.score, row.pass, row.reason])).toEqual([
      [0, 1, 3, outputs[0], 1, true, 'answers the question'],
      [1, 2, 3, outputs[1], 0, false, 'does not answer'],
      [2, 3, 3, outputs[2], 1, true, 'answers the question'],
    ])
  })

  test('a pass label on a passing trial is compared with that trial\'s verdict, not the mean', () => {
    const rows = reviewRows(repeated(), labelled([{ caseId: 'refund', label: 'pass', trial: 3, outputHash: outputHash(outputs[2] as string), suite: 'bot.test.ts > bot' }]))
    expect(rows.map((row) => [row.trial, row.label?.label, row.disagrees])).toEqual([[1, undefined, false], [2, undefined, false], [3, 'pass', false]])
    expect(agreementByMetric(rows)[0]?.stats).toMatchObject({ n: 1, confusion: { labels: ['fail', 'pass'], counts: [[0, 0], [0, 1]] } })
  })

  test('a label on one trial stays on it: the other trials and the case keep their own', () => {
    const rows = reviewRows(repeated(), labelled([
      { caseId: 'refund', label: 'fail', trial: 2 },
      { caseId: 'refund', label: 'pass', trial: 1 },
    ]))
    expect(rows.map((row) => [row.trial, row.label?.label, row.disagrees])).toEqual([[1, 'pass', false], [2, 'fail', false], [3, undefined, false]])
  })

  test('an old label (no trial) applies to the trial whose output it was given on, else to the last trial as the page showed it', () => {
    // The old page showed the last output and saved its hash: that label now judges trial 3, which passed.
    const shownLast = reviewRows(repeated(), labelled([{ caseId: 'refund', label: 'pass', outputHash: outputHash(outputs[2] as string) }]))
    expect(shownLast.map((row) => [row.trial, row.label?.label, row.disagrees])).toEqual([[1, undefined, false], [2, undefined, false], [3, 'pass', false]])
    expect(agreementByMetric(shownLast)[0]?.stats?.n).toBe(1)
    // Given on an output another trial has now.
    const onFirst = reviewRows(repeated(), labelled([{ caseId: 'refund', label: 'fail', outputHash: outputHash(outputs[0] as string) }]))
    expect(onFirst.map((row) => [row.trial, row.label?.label, row.disagrees])).toEqual([[1, 'fail', true], [2, undefined, false], [3, undefined, false]])
    // No hash (written by hand), or an output no trial has now (stale, not counted).
    expect(reviewRows(repeated(), labelled([{ caseId: 'refund', label: 'fail' }])).map((row) => row.label?.label)).toEqual([undefined, undefined, 'fail'])
    const stale = reviewRows(repeated(), labelled([{ caseId: 'refund', label: 'fail', outputHash: outputHash('an older answer') }]))
    expect(stale[2]?.label).toMatchObject({ label: 'fail', stale: true })
    expect(agreementByMetric(stale)[0]).toMatchObject({ skipped: 1 })
  })

  test('the newer of a trial\'s own label and an old label on its output wins', () => {
    const rows = reviewRows(repeated(), labelled([
      { caseId: 'refund', label: 'fail', trial: 3 },
      { caseId: 'refund', label: 'pass', outputHash: outputHash(outputs[2] as string) },
    ]))
    expect(rows[2]?.label?.label).toBe('pass')
    const reversed = reviewRows(repeated(), labelled([
      { caseId: 'refund', label: 'pass', outputHash: outputHash(outputs[2] as string) },
      { caseId: 'refund', label: 'fail', trial: 3 },
    ]))
    expect(reversed[2]?.label?.label).toBe('fail')
  })

  test('a second metric of the test shows the trials\' outputs its first metric keeps', () => {
    const [first] = repeated().cases ?? []
    const second = { ...first!, metric: 'tone', output: undefined, trialResults: first!.trialResults?.map(({ output: _output, ...trial }) => trial) }
    const rows = reviewRows(runWith([first!, second]), [])
    expect(rows.filter((row) => row.metric === 'tone').map((row) => [row.trial, row.output])).toEqual(outputs.map((output, index) => [index + 1, output]))
  })

  test('per-trial results a reader cannot use (a damaged or hand-edited history line) give the case\'s one row, not a crash', () => {
    const [first] = repeated().cases ?? []
    for (const trialResults of [null, 'x', [null], [{ trial: '2', score: 1, pass: true }], [{ trial: 1, score: 'high', pass: true }]]) {
      const rows = reviewRows(runWith([{ ...first!, trialResults } as never]), labelled([{ caseId: first!.caseId as string, label: 'pass' }]))
      expect(rows.map((row) => [row.trial, row.score, row.label?.label]), JSON.stringify(trialResults)).toEqual([[undefined, first!.score, 'pass']])
    }
  })

  test('a run recorded before trials were kept shows one row per case, as before', () => {
    const rows = reviewRows(runWith(reviewCases()), labelled([{ caseId: 'late', label: 'pass' }]))
    expect(rows.find((row) => row.caseId === 'late')).toMatchObject({ score: 0.8, label: { label: 'pass' } })
    expect(rows.find((row) => row.caseId === 'late')?.trial).toBeUndefined()
  })
})
