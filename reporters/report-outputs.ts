// The outputs of a report row, one per test (variants are different tests), with the compared run's output
// when it differs, and each test's trace and conversation as one `<template>` the page copies into an opened
// row. Pure: runs in, data and escaped HTML out.
import { casesByKey, groupKey, testKey, trajectoriesByTest, type CaseScore, type HistoryRun } from '../src/history/run-record.js'
import type { RunComparison } from './compare.js'
import { escapeHtml } from './escape-html.js'
import type { HtmlReportInput } from './render-html.js'
import { describeRun } from './render-terminal.js'
import { conversationHtml, conversationSummary, traceHtml, traceSummary } from './render-trajectory.js'
import type { ReportOutput, ReportTrialOutput } from './report-data.js'
import { usableTrials } from '../src/review/review-rows.js'

/** What a suite metric is compared with: its reference run's cases (by `caseKey`), and the run outputs are compared with. */
export interface Compared {
  /** Cases of the reference run (the baseline, else the suite metric's previous run), when it kept them. */
  reference?: ReadonlyMap<string, CaseScore>
  /** Cases whose outputs are "before": the reference run's when it kept its outputs, else the previous run's. */
  outputs?: ReadonlyMap<string, CaseScore>
  /** How the page names that run ("baseline 2026-12-01 09:00 abc1234", "previous run …"). */
  from?: string
}

/**
 * Per suite metric (`groupKey`), what it is compared with: its reference run's cases for scores, and for
 * outputs the reference run when it kept its outputs (retention drops them before scores), else its previous
 * run when that kept them. Each run's
 * cases are indexed once, however many suite metrics share it.
 *
 * @example
 * comparedRuns(comparison).get(groupKey(score))?.reference?.get(caseKey(score))?.score // the score before
 */
export function comparedRuns(comparison: RunComparison): Map<string, Compared> {
  // The same index the comparison built (casesByKey keeps it per cases array): not keyed again.
  const casesOf = (run: HistoryRun): ReadonlyMap<string, CaseScore> => casesByKey(run.cases ?? [])
  // Retention drops outputs (case detail) long before scores: such a run is compared for scores, not for outputs.
  const keptOutputs = new Map<HistoryRun, boolean>()
  const hasOutputs = (run: HistoryRun): boolean => {
    let kept = keptOutputs.get(run)
    if (kept === undefined) keptOutputs.set(run, (kept = (run.cases ?? []).some((score) => score.output !== undefined)))
    return kept
  }
  const compared = new Map<string, Compared>()
  for (const row of comparison.rows) {
    const { reference, previousRun } = row
    const entry: Compared = {}
    if (reference?.run.cases) entry.reference = casesOf(reference.run)
    if (reference?.run.cases && (hasOutputs(reference.run) || !previousRun?.cases || !hasOutputs(previousRun))) {
      entry.outputs = casesOf(reference.run)
      entry.from = `${reference.kind === 'baseline' ? 'baseline' : 'previous run'} ${describeRun(reference.run)}`
    } else if (previousRun?.cases) {
      entry.outputs = casesOf(previousRun)
      entry.from = `previous run ${describeRun(previousRun)}`
    }
    compared.set(groupKey(row.group), entry)
  }
  return compared
}

/** A case score of the current run with its case key and what its suite metric is compared with. */
export interface KeyedScore {
  score: CaseScore
  key: string
  compared: Compared | undefined
}

/**
 * Trajectory template ids of the current run's tests that have a trace or conversation (`testKey` →
 * `trajectory-N`), in run order.
 *
 * @example
 * trajectoryIds(run.cases ?? []).get(testKey(score)) // 'trajectory-1'
 */
export function trajectoryIds(cases: readonly CaseScore[]): Map<string, string> {
  return new Map([...trajectoriesByTest(cases).keys()].map((key, index) => [key, `trajectory-${index + 1}`]))
}

/**
 * The outputs of one row: one per test in run order (a test's scores repeat its output per metric), each
 * with the compared run's output of the same case when it differs, and its trajectory template id.
 *
 * @example
 * rowOutputs([{ score, key: caseKey(score), compared: comparedRuns(comparison).get(groupKey(score)) }], trajectoryIds(cases))
 */
export function rowOutputs(scores: readonly KeyedScore[], trajectories: ReadonlyMap<string, string>, trialBudget: TrialOutputBudget = newTrialOutputBudget()): ReportOutput[] {
  const byTest = new Map<string, ReportOutput>()
  for (const { score, key, compared } of scores) {
    let output = byTest.get(score.test)
    if (!output) {
      output = { test: score.test }
      if (score.variant !== undefined) output.variant = score.variant
      const trajectory = trajectories.size ? trajectories.get(testKey(score)) : undefined
      if (trajectory) output.trajectory = trajectory
      byTest.set(score.test, output)
    }
    if (output.output === undefined && score.output !== undefined) output.output = score.output
    if (score.trials > 1) addTrialOutputs(output, score, trialBudget)
    if (output.previous !== undefined || output.output === undefined || !compared?.outputs) continue
    const before = compared.outputs.get(key)?.output
    if (before !== undefined && before !== output.output) {
      output.previous = before
      output.previousFrom = compared.from as string
    }
  }
  return [...byTest.values()]
}

/**
 * The characters of trial outputs one report page holds, all rows together: 10 kept trials of up to 20,000 characters
 * each would make a run of 5,000 repeated cases a page of hundreds of MB. Past it, a trial's output is left out (the
 * review page shows every kept trial); the case's own output is always there.
 */
export const MAX_REPORT_TRIAL_OUTPUT_CHARS = 4_000_000

/** What is left of a report's {@link MAX_REPORT_TRIAL_OUTPUT_CHARS}, shared by its rows. */
export interface TrialOutputBudget {
  left: number
}

/** A report's budget of trial output characters. */
export const newTrialOutputBudget = (chars = MAX_REPORT_TRIAL_OUTPUT_CHARS): TrialOutputBudget => ({ left: chars })

/** A repeated test's kept trials and their outputs (only its first case score keeps them; the others, the trial numbers). */
function addTrialOutputs(output: ReportOutput, score: CaseScore, budget: TrialOutputBudget): void {
  const trials = usableTrials(score.trialResults)
  if (!trials.length) return
  output.trials ??= trials.map((trial): ReportTrialOutput => ({ trial: trial.trial }))
  for (const trial of trials) {
    const shown = output.trials.find((each) => each.trial === trial.trial)
    if (!shown || shown.output !== undefined || shown.omitted || trial.output === undefined) continue
    const cost = trial.output.length
    if (cost > budget.left) {
      shown.omitted = true
      continue
    }
    budget.left -= cost
    shown.output = trial.output
  }
}

/**
 * The `<template id="trajectory-N">` elements of the current run, one per test with a trace or conversation
 * (the same ids `buildReportData` puts in `ReportOutput.trajectory`): a `section.trace` and/or
 * `section.conversation`, each with an `h4` summary and the escaped HTML of `traceHtml` / `conversationHtml`.
 *
 * @example
 * const html = `${renderOverview(input, data)}…${trajectoryTemplates(input)}`
 */
export function trajectoryTemplates(input: HtmlReportInput): string {
  const cases = input.runs.at(-1)?.cases ?? []
  const ids = trajectoryIds(cases)
  return [...trajectoriesByTest(cases)]
    .map(([key, { trace, conversation }]) => {
      const parts = [
        trace ? `<section class="trace"><h4>trace <span class="sub">${escapeHtml(traceSummary(trace))}</span></h4>${traceHtml(trace)}</section>` : '',
        conversation ? `<section class="conversation"><h4>conversation <span class="sub">${escapeHtml(conversationSummary(conversation))}</span></h4>${conversationHtml(conversation)}</section>` : '',
      ]
      return `<template id="${ids.get(key) as string}">${parts.join('')}</template>`
    })
    .join('')
}
