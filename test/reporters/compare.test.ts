import { describe, expect, test } from 'vitest'
import { compareRuns, gateFailures, referenceFor } from '../../reporters/compare.js'
import { selectBaseline } from '../../src/history/baseline.js'
import { historyRun } from './fixtures.js'
import { gateMessage } from '../../reporters/score-history-reporter.js'

/** Runs of six cases, all at the metric's mean: enough paired cases for the gate to tell a drop from noise. */
const run = (id: string, means: Record<string, number>, extra: Parameters<typeof historyRun>[2] = {}) => historyRun(id, means, extra, 6)

const options = { tolerance: 0.05, recent: 12 }

describe('compareRuns', () => {
  test('deltas vs the previous run and the baseline, recent means ending with this run', () => {
    const history = [run('r1', { rouge: 0.9 }), run('r2', { rouge: 0.8 })]
    const comparison = compareRuns(run('r3', { rouge: 0.7 }), history, history[0], options)
    expect(comparison.rows[0]).toMatchObject({ previous: 0.8, baseline: 0.9, recent: [0.9, 0.8, 0.7], regressed: true })
    expect(comparison.rows[0]?.dropped[0]).toEqual({ test: 'bot > a', caseId: 'a', from: 0.9, to: 0.7 })
  })

  test('without a baseline the previous run is the reference; a drop within tolerance is no regression', () => {
    const comparison = compareRuns(run('r2', { rouge: 0.76 }), [run('r1', { rouge: 0.8 })], undefined, options)
    expect(comparison.rows[0]).toMatchObject({ previous: 0.8, regressed: false })
    expect(comparison.rows[0]?.baseline).toBeUndefined()
  })

  test('a metric new in this run has nothing to compare with', () => {
    const comparison = compareRuns(run('r2', { rouge: 0.1, bleu: 0.5 }), [run('r1', { rouge: 0.1 })], undefined, options)
    expect(comparison.rows[1]).toMatchObject({ recent: [0.5], regressed: false })
    expect(comparison.rows[1]?.previous).toBeUndefined()
    expect(comparison.rows[1]?.reference).toBeUndefined()
  })

  test('a suite metric the baseline lacks is compared with its own previous run, and regresses against it', () => {
    const baseline = run('r1', { rouge: 0.9 })
    const history = [baseline, run('r2', { rouge: 0.9, bleu: 1 })]
    const comparison = compareRuns(run('r3', { rouge: 0.9, bleu: 0.5 }), history, baseline, options)
    expect(comparison.rows.map((row) => [row.group.metric, row.reference?.kind, row.reference?.run.id, row.reference?.mean, row.regressed])).toEqual([
      ['rouge', 'baseline', 'r1', 0.9, false],
      ['bleu', 'previous', 'r2', 1, true],
    ])
    expect(comparison.rows[1]?.baseline).toBeUndefined()
    expect(comparison.rows[1]?.dropped[0]).toEqual({ test: 'bot > a', caseId: 'a', from: 1, to: 0.5 })
  })

  test("a suite metric's previous run is the newest run that scored it, also when the run before this one did not", () => {
    const history = [run('r1', { rouge: 0.9, bleu: 1 }), run('r2', { rouge: 0.9 })]
    const comparison = compareRuns(run('r3', { rouge: 0.9, bleu: 0.5 }), history, undefined, options)
    expect(comparison.previousRun?.id).toBe('r2')
    expect(comparison.rows[1]).toMatchObject({ previous: 1, previousRun: { id: 'r1' }, reference: { kind: 'previous', mean: 1 }, regressed: true })
    expect(comparison.rows[1]?.dropped[0]).toEqual({ test: 'bot > a', caseId: 'a', from: 1, to: 0.5 })
  })
})

describe('compareRuns with history.baselineBranch', () => {
  const gate = { failOnRegression: true, tolerance: 0.05 }
  const main = { git: { branch: 'main', commit: 'aaaaaaa' } }
  const feature = { git: { branch: 'feature', commit: 'bbbbbbb' } }
  const branchOptions = { ...options, baselineBranch: 'main' }

  test('a run on the branch with no scores (its cases all await a human label) does not become the baseline: a regressed branch fails on every run', () => {
    const mainRun = run('r1', { rouge: 0.9 }, main)
    const labelOnly = run('r2', {}, { ...main, cases: [] })
    const firstPrRun = run('r3', { rouge: 0.8 }, feature)
    const history = [mainRun, labelOnly, firstPrRun]
    const comparison = compareRuns(run('r4', { rouge: 0.8 }, feature), history, selectBaseline(history, { branch: 'main' }), branchOptions)
    expect(comparison.baselineRun?.id).toBe('r1')
    expect(gateFailures(comparison, gate)).toEqual(['bot.test.ts > bot · rouge: dropped 0.100 (6 paired cases, 95% CI of the change −0.100…−0.100) vs the baseline r1 (mean score 0.900 → 0.800), more than gate.tolerance 0.05; dropped most: a 0.90 → 0.80, b 0.90 → 0.80, c 0.90 → 0.80'])
  })

  test('each suite metric is compared with the newest run on the branch that scored it, not with its own previous run elsewhere', () => {
    // The newest run on main ran one suite only (a file filter); bleu's baseline is the main run before it.
    const history = [run('r1', { rouge: 0.9, bleu: 0.9 }, main), run('r2', { rouge: 0.9 }, main), run('r3', { rouge: 0.9, bleu: 0.5 }, feature)]
    const comparison = compareRuns(run('r4', { rouge: 0.9, bleu: 0.5 }, feature), history, selectBaseline(history, { branch: 'main' }), branchOptions)
    expect(comparison.rows.map((row) => [row.group.metric, row.reference?.kind, row.reference?.run.id, row.baseline, row.regressed])).toEqual([
      ['rouge', 'baseline', 'r2', 0.9, false],
      ['bleu', 'baseline', 'r1', 0.9, true],
    ])
    expect(gateFailures(comparison, gate)[0]).toContain('bleu: dropped 0.400 (6 paired cases, 95% CI of the change −0.400…−0.400) vs the baseline r1 (mean score 0.900 → 0.500)')
  })
})

describe('referenceFor', () => {
  const group = run('x', { bleu: 0.5 }).groups[0]!
  const previous = new Map([['bot.test.ts > bot\u0000bleu\u0000', { run: run('r2', { bleu: 1 }), mean: 1 }]])

  test('the baseline when it scored the suite metric', () => {
    expect(referenceFor(group, previous, run('r1', { bleu: 0.8 }))).toMatchObject({ kind: 'baseline', run: { id: 'r1' }, mean: 0.8 })
  })

  test("the suite metric's previous run when the baseline has no score for it, or there is no baseline", () => {
    expect(referenceFor(group, previous, run('r1', { rouge: 0.8 }))).toMatchObject({ kind: 'previous', run: { id: 'r2' }, mean: 1 })
    expect(referenceFor(group, previous, undefined)).toMatchObject({ kind: 'previous', run: { id: 'r2' }, mean: 1 })
  })

  test('nothing when neither scored it', () => {
    expect(referenceFor(group, new Map(), run('r1', { rouge: 0.8 }))).toBeUndefined()
  })
})

describe('gateFailures', () => {
  test('fails when a suite metric drops more than the tolerance, naming metric, values and worst cases', () => {
    const comparison = compareRuns(run('r2', { rouge: 0.5 }), [run('r1', { rouge: 0.9 })], undefined, options)
    expect(gateFailures(comparison, { failOnRegression: true, tolerance: 0.05 })).toEqual([
      'bot.test.ts > bot · rouge: dropped 0.400 (6 paired cases, 95% CI of the change −0.400…−0.400) vs the previous run r1 (mean score 0.900 → 0.500), more than gate.tolerance 0.05; dropped most: a 0.90 → 0.50, b 0.90 → 0.50, c 0.90 → 0.50',
    ])
    expect(gateFailures(comparison, { failOnRegression: false, tolerance: 0.05 })).toEqual([])
  })

  test('names the reference of each suite metric: the baseline, or its previous run when the baseline has no score for it', () => {
    const baseline = run('r1', { rouge: 0.9 })
    const comparison = compareRuns(run('r3', { rouge: 0.7, bleu: 0.5 }), [baseline, run('r2', { rouge: 0.9, bleu: 1 })], baseline, options)
    expect(gateFailures(comparison, { failOnRegression: true, tolerance: 0.05 })).toEqual([
      'bot.test.ts > bot · rouge: dropped 0.200 (6 paired cases, 95% CI of the change −0.200…−0.200) vs the baseline r1 (mean score 0.900 → 0.700), more than gate.tolerance 0.05; dropped most: a 0.90 → 0.70, b 0.90 → 0.70, c 0.90 → 0.70',
      'bot.test.ts > bot · bleu: dropped 0.500 (6 paired cases, 95% CI of the change −0.500…−0.500) vs its previous run r2 (mean score 1.000 → 0.500; the baseline r1 has no score for it), more than gate.tolerance 0.05; dropped most: a 1.00 → 0.50, b 1.00 → 0.50, c 1.00 → 0.50',
    ])
  })

  test('fails below an absolute floor, global or per metric', () => {
    const comparison = compareRuns(run('r1', { rouge: 0.5, bleu: 0.9 }), [], undefined, options)
    expect(gateFailures(comparison, { failOnRegression: true, tolerance: 0.05, minScore: 0.6 })).toEqual(['bot.test.ts > bot · rouge: mean score 0.500 is below gate.minScore 0.6'])
    expect(gateFailures(comparison, { failOnRegression: true, tolerance: 0.05, minScore: { bleu: 0.95 } })).toEqual(['bot.test.ts > bot · bleu: mean score 0.900 is below gate.minScore 0.95'])
  })

  test('passes when nothing dropped', () => {
    const comparison = compareRuns(run('r2', { rouge: 0.9 }), [run('r1', { rouge: 0.9 })], undefined, options)
    expect(gateFailures(comparison, { failOnRegression: true, tolerance: 0 })).toEqual([])
  })
})

describe('gateMessage', () => {
  test('a floor failure says to raise the scores or the floor; only a regression suggests pinning a baseline', () => {
    const floor = gateMessage(1, 0, ['bot.test.ts > bot · rouge: mean score 0.500 is below gate.minScore 0.6'])
    expect(floor).toContain('Raise the scores below their floor, or lower `gate.minScore` in llmEvals() options (a baseline does not change a floor).')
    expect(floor).not.toContain('baseline set')
    const both = gateMessage(2, 0, ['bot.test.ts > bot · bleu: dropped 0.200 (…) vs the previous run r1', 'bot.test.ts > bot · rouge: mean score 0.500 is below gate.minScore 0.6'])
    expect(both).toContain('pin this run as the new baseline with `llm-evals baseline set`')
    expect(both).toContain('Raise the scores below their floor')
  })
})

describe('errored cases against history of 0.1.0 (which left them out of its rows and means)', () => {
  const gate = { failOnRegression: true, tolerance: 0.05 }
  /** This run: six cases at 0.9, two of which now could not be scored (their task threw: score 0, counted in the mean). */
  const withErrors = () => {
    const current = run('r2', { rouge: 0.9 })
    current.cases = current.cases?.map((score, index) => (index < 2 ? { ...score, score: 0, pass: false, error: 'task threw: Error: boom' } : score))
    current.groups = current.groups.map((group) => ({ ...group, mean: (4 * 0.9) / 6, errors: 2 }))
    return current
  }
  /** A reference compared by mean (no per-case scores kept), as a line of 0.1.0 has it: no `errorsCounted`, no `errors`. */
  const oldReference = () => ({ ...run('r1', { rouge: 0.9 }, { cases: undefined }), versions: { node: '22.0.0', library: '0.1.0' } })

  test('passes when a reference of 0.1.0 compared by mean cannot tell errored cases apart: they are left out of this run\'s mean too, and the row says so', () => {
    const comparison = compareRuns(withErrors(), [oldReference()], undefined, options)
    expect(comparison.rows[0]).toMatchObject({ regressed: false, verdict: { test: 'means', leftOut: 2 } })
    expect(comparison.rows[0]?.verdict?.drop).toBeCloseTo(0, 9)
    expect(comparison.rows[0]?.erroredNote).toBe('2 cases that could not be scored left out of the comparison by mean with the previous run r1: it was written by an earlier version, which left such cases out of its mean')
    expect(gateFailures(comparison, gate)).toEqual([])
  })

  test('fails when the reference counts errored cases (written since): new errored cases are a drop like any other', () => {
    const reference = { ...oldReference(), errorsCounted: true as const }
    const comparison = compareRuns(withErrors(), [reference], undefined, options)
    expect(comparison.rows[0]).toMatchObject({ regressed: true, verdict: { test: 'means' } })
    expect(comparison.rows[0]?.erroredNote).toBeUndefined()
    expect(gateFailures(comparison, gate)[0]).toContain('mean score 0.600 dropped 0.300 vs the previous run r1 (0.900)')
  })

  test('a case only a scorer failed for (trials 0, in neither mean) changes nothing and is not said', () => {
    const current = run('r2', { rouge: 0.9 })
    current.cases = current.cases?.map((score, index) => (index === 0 ? { ...score, trials: 0, pass: false, error: 'scorer #1 threw' } : score))
    current.groups = current.groups.map((group) => ({ ...group, cases: 5, trials: 5, errors: 1 }))
    const row = compareRuns(current, [oldReference()], undefined, options).rows[0]
    expect(row).toMatchObject({ regressed: false, verdict: { test: 'means' } })
    expect(row?.erroredNote).toBeUndefined()
  })

  test('a case awaiting its human label (in no mean) stays out of the mean without the errored cases', () => {
    // Four labelled cases at 1, one awaiting its label (its grader's 0 is no score yet), one whose task threw.
    const current = run('r2', { 'label:tone': 1 })
    current.cases = current.cases?.map((score, index) => (index === 0 ? { ...score, score: 0, pass: false, awaitingLabel: true } : index === 1 ? { ...score, score: 0, pass: false, error: 'task threw: Error: boom' } : score))
    current.groups = current.groups.map((group) => ({ ...group, mean: 4 / 5, cases: 5, trials: 5, errors: 1 }))
    const row = compareRuns(current, [{ ...run('r1', { 'label:tone': 1 }, { cases: undefined }), versions: { node: '22.0.0', library: '0.1.0' } }], undefined, options).rows[0]
    expect(row).toMatchObject({ regressed: false, verdict: { test: 'means', leftOut: 1 } })
    expect(row?.verdict?.drop).toBeCloseTo(0, 9)
  })

  test('a failing mean without the errored cases still fails, and the message says they were left out', () => {
    const current = withErrors()
    current.cases = current.cases?.map((score, index) => (index >= 2 ? { ...score, score: 0.5, pass: true } : score))
    current.groups = current.groups.map((group) => ({ ...group, mean: (4 * 0.5) / 6 }))
    const failures = gateFailures(compareRuns(current, [oldReference()], undefined, options), gate)
    expect(failures[0]).toContain('mean score 0.500 dropped 0.400 vs the previous run r1 (0.900)')
    expect(failures[0]).toContain('without the 2 cases that could not be scored, which r1 left out of its mean')
  })
})
