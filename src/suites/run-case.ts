import type { ExpectStatic, TestContext } from 'vitest'
import { agentOutput } from './agent-output.js'
import { settledTrace, settling } from '../agents/test-trace.js'
import { inTrial } from '../agents/trial-calls.js'
import { isLlmEvalsError } from '../errors/index.js'
import { isAwaitingLabel, type ScoreRecord } from '../metrics/score-record.js'
import type { TrialStatistics } from '../metrics/trials/index.js'
import { metricStatistics, oneTrialMetrics } from './trial-metrics.js'
import type { CaseOutcome } from './suite-gate.js'
import { evalMeta } from './task-meta.js'
import { keepTrialOutput, runsTrials } from './trial-outputs.js'
import { printValue } from '../print-value.js'
import { confirmFailure, type ScorerAttempt } from './confirm-failures.js'
import { fromScorer, scorerError, type RepeatedScorerErrors } from './repeated-errors.js'
import { dropRecords, dropScorerRecords, markScorer } from './broken-scorer-records.js'
import { callSiteText } from './call-site-text.js'
import { scorersFailure, scorerTitle, type ThrownByScorer } from './scorer-failures.js'
import { asThrownError } from './thrown-value.js'
import { scorerTimeoutError, taskTimeoutError, withTimeout } from './trial-timeout.js'
import { pointAtCaller, type CallSiteHolder } from '../../matchers/shared/caller-stack.js'
import { recordResult, returnedScore, type ScoreResult } from './returned-score.js'
import { beginTry, type CaseTry } from './case-try.js'
import { defaultExpected, defaultInput } from './case-texts.js'
import { scorerCaseError, taskCaseError, unfinishedCaseError } from './case-error.js'

export type { ScoreResult } from './returned-score.js'
export { defaultExpected } from './case-texts.js'

/** What the task under test receives with each row. */
export interface EvalTaskContext {
  /** The test context's `expect`: records land on this case even when cases run concurrently. */
  expect: ExpectStatic
  /** Aborted when the trial times out or the run is cancelled: pass it to your SDK call. */
  signal: AbortSignal
  /** 0-based trial number (with `repeats`). */
  trial: number
  caseId: string
}

/** A scorer's context: the task context plus the row. */
export interface ScorerContext<Row> extends EvalTaskContext {
  row: Row
}

/**
 * Scores one output: call matchers on `context.expect`, or return a {@link ScoreResult}, or a number within
 * 0..1: the score of a metric named after the scorer function (`function brevity(…)`), else `scorer-<n>`.
 */
export type Scorer<Row, Output> = (output: Output, context: ScorerContext<Row>) => void | number | ScoreResult | Promise<void | number | ScoreResult>

/** How one case is run: the parts of `describeEval` options that matter per case. */
export interface CaseRun<Row, Output> {
  suite: string
  task: (row: Row, context: EvalTaskContext) => Output | Promise<Output>
  scorers: readonly Scorer<Row, Output>[]
  repeats: number
  k?: number
  passOn: 'every-trial' | 'any-trial'
  caseFailures: 'fail' | 'score'
  /** Per-trial time limit in ms, enforced here (the task is cancelled through its signal). */
  trialTimeout?: number
  variant?: string
  input?: (row: Row) => string
  expected?: (row: Row) => string
  /** Re-runs of a judged scorer whose verdict failed; the majority of all verdicts counts (0: none). */
  confirmFailures?: number
  /** The suite's scorer ConfigErrors: a case hit by one already shown fails with a one-line pointer to it. */
  repeatedErrors?: RepeatedScorerErrors
  /** Where the suite was defined (a stack captured at the describeEval call): errors made later point there. */
  callSite?: CallSiteHolder
}

interface TrialResult {
  records: ScoreRecord[]
  failures: unknown[]
  pass: boolean
  /** Some records await a human label (left out of `records`). */
  awaitingLabel?: true
  /** Scorers that could not score (threw something other than a failed assertion, or ran out of time), in scorer order. */
  scorerErrors?: ThrownByScorer[]
}

/** Matcher failures fail a trial; anything else (a task crash, a misused option) fails the case outright. */
function isAssertionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (isLlmEvalsError(error as unknown)) return false
  return error.name === 'AssertionError' || error.constructor.name === 'JestExtendError' || ('actual' in error && 'expected' in error)
}

const display = (value: unknown) => printValue(value)

async function runTrial<Row, Output>(context: TestContext, row: Row, caseId: string, trial: number, run: CaseRun<Row, Output>, caseTry: CaseTry): Promise<TrialResult> {
  const meta = evalMeta(context.task)
  const before = meta.evals?.length ?? 0
  const failures: unknown[] = []
  let plainPass = true
  let scorerErrors: TrialResult['scorerErrors']
  // The scorer running when the trial's time ran out (none: the task was), and the error that said so.
  let running: number | undefined
  let scorerTimeout: ThrownByScorer | undefined
  const expiredError = (): Error => {
    const timeout = run.trialTimeout ?? 0
    const trialText = run.repeats > 1 ? ` trial ${trial + 1} of ${run.repeats}` : ''
    const scorer = running
    if (scorer === undefined) return pointed(taskTimeoutError(`Case "${caseId}"${trialText}`, timeout), run)
    const error = pointed(scorerTimeoutError(scorerTitle(run.scorers[scorer], scorer, run.suite), `case "${caseId}"${trialText && ` (${trialText.trim()})`}`, timeout, where(run)), run)
    scorerTimeout = { index: scorer, error: fromScorer(error, scorer) }
    return error
  }
  try {
    await withTimeout(async (signal) => {
      // The test's own `expect` is made on first read (Vitest builds one per test: ~30 µs, thousands of cases).
      // `expect` is a getter (Vitest makes a test's `expect` on first read, ~30 µs): in an object literal, which
      // V8 builds far faster than defineProperty on a new object.
      const taskContext: EvalTaskContext = {
        signal,
        trial,
        caseId,
        get expect() {
          return context.expect
        },
      }
      // A `testTrace()` taken while a response was still being recorded is completed first.
      let output: Output
      try {
        // Awaited once more only for a trace still being recorded (most tasks return text: one await less per trial).
        const value = await run.task(row, taskContext)
        output = (settling(value) ? await settledTrace(value) : value) as Output
      } catch (error) {
        throw asThrownError(error, `The task of describeEval("${run.suite}")`, caseId, run.callSite)
      }
      // A task that ignored its signal and answered after the trial ended (its time ran out, the run was
      // cancelled): the trial has failed already, so no scorer (a paid judge call) runs on its output.
      signal.throwIfAborted()
      // An agent run (a Trace or a Conversation) shows as its text; its trace is kept for reports.
      const agent = agentOutput(output)
      meta.output = agent ? agent.text : display(output)
      // Each trial's own output, so a reviewer labels what that trial said (not the last trial's text).
      if (runsTrials(context.task, run.repeats)) keepTrialOutput(meta, (context.task.result?.repeatCount ?? 0) * run.repeats + trial, meta.output)
      if (agent?.trace) meta.trace = agent.trace
      if (agent?.conversation) meta.conversation = agent.conversation
      for (let index = 0; index < run.scorers.length; index++) {
        const scorer = run.scorers[index] as Scorer<Row, Output>
        running = index
        // Each run's records are taken off the task, so only the kept run's records stay.
        const attempt = async (): Promise<ScorerAttempt> => {
          // Nor a re-run (confirmFailures) once the trial has ended.
          signal.throwIfAborted()
          const start = meta.evals?.length ?? 0
          let failure: unknown
          let pass = true
          try {
            const scorerContext: ScorerContext<Row> = {
              signal,
              trial,
              caseId,
              row,
              get expect() {
                return context.expect
              },
            }
            const returned = await scorer(output, scorerContext)
            // Past the trial's time (a scorer that ignores its signal): nothing more is recorded for the trial.
            signal.throwIfAborted()
            const result = returnedScore(returned, scorer, index, run.suite, caseId)
            if (result) pass = recordResult(meta, result, run.suite, caseId, index)
          } catch (error) {
            if (!isAssertionFailure(error)) {
              // A scorer that could not score gives no score at all: what it recorded before it threw goes too.
              // (Not once its try has ended: the records from `start` on are a newer try's.)
              if (!caseTry.ended) meta.evals?.splice(start)
              throw fromScorer(asThrownError(error, scorerTitle(scorer, index, run.suite), caseId, run.callSite), index)
            }
            failure = error
            pass = false
          }
          const ran: ScorerAttempt = { records: (caseTry.ended ? undefined : meta.evals?.splice(start)) ?? [], pass }
          if (failure !== undefined) ran.failure = failure
          return ran
        }
        let kept: ScorerAttempt
        try {
          // With confirmFailures, a run outvoted is discarded: only the kept run's records stay on the test.
          const first = await attempt()
          kept = run.confirmFailures ? await confirmFailure(first, run.confirmFailures, attempt) : first
        } catch (error) {
          // A cancelled or timed-out trial stops; else the other scorers still score (their scores are real).
          if (signal.aborted) throw error
          ;(scorerErrors ??= []).push({ index, error })
          continue
        }
        // The trial ran out of time or was cancelled while this scorer ran: it ends here, unscored.
        if (signal.aborted) throw signal.reason
        if (kept.records.length) (meta.evals ??= []).push(...kept.records)
        if (run.repeats > 1) markScorer(kept.records, index)
        if (kept.failure !== undefined) failures.push(kept.failure)
        else if (!kept.pass) plainPass = false
      }
      running = undefined
    }, context.signal, run.trialTimeout, expiredError)
  } catch (error) {
    // A trial cut short (its time ran out, the run was cancelled, the task threw) keeps none of its records:
    // the scorers before the one cut off scored it, the ones after did not, and half a trial is no trial.
    if (!caseTry.ended) meta.evals?.splice(before)
    if (scorerTimeout === undefined || error !== scorerTimeout.error) throw error
    // The scorer, not the app, ran out of time: the case has no score from this trial, as for a scorer that threw.
    return { records: [], failures: [], pass: false, scorerErrors: [...(scorerErrors ?? []), scorerTimeout] }
  }
  // A try that ended while this trial ran (Vitest's timeout, and a retry began): what follows `before` is the retry's.
  if (caseTry.ended) return { records: [], failures, pass: false }
  const repeatBase = (context.task.result?.repeatCount ?? 0) * run.repeats
  const records = (meta.evals ?? []).slice(before)
  for (const record of records) record.attempt = { retry: context.task.result?.retryCount ?? 0, repeat: repeatBase + trial }
  // A record awaiting its human label is listed for review, never scored: it stays out of trial statistics and gates.
  const scored = records.filter((record) => !isAwaitingLabel(record))
  return {
    records: scored,
    failures,
    pass: failures.length === 0 && plainPass && scorerErrors === undefined,
    ...(scored.length < records.length ? { awaitingLabel: true as const } : {}),
    ...(scorerErrors ? { scorerErrors } : {}),
  }
}

/** `file:line` of the describeEval call, for messages; undefined without a call site. */
const where = (run: { callSite?: CallSiteHolder }): string | undefined => (run.callSite ? callSiteText(run.callSite.stack) : undefined)

/** `error` with the describeEval call's frames: made in a timer, its own stack holds only library frames. */
const pointed = <E extends Error>(error: E, run: { callSite?: CallSiteHolder }): E => (run.callSite ? (pointAtCaller(error, run.callSite) as E) : error)

function caseFailure(caseId: string, trials: readonly TrialResult[], run: CaseRun<unknown, unknown>): unknown {
  const failed = trials.findIndex((trial) => !trial.pass)
  const first = trials[failed]?.failures[0]
  if (run.repeats === 1) return first ?? new Error(`[vitest-llm-evals] Case "${caseId}" scored below its scorers' thresholds.`)
  const passes = trials.filter((trial) => trial.pass).length
  const detail = first instanceof Error ? first.message : 'a returned score was below its threshold'
  return new Error(`[vitest-llm-evals] Case "${caseId}" passed ${passes} of ${run.repeats} trials (passOn: '${run.passOn}'). First failure (trial ${failed + 1}):\n${detail}`)
}

/**
 * Runs one case: `repeats` trials in order (so identical requests replay in recorded order), each
 * scored; stores trial statistics on `task.meta.trials` and the outcome for the suite gate; throws
 * when the case fails and `caseFailures` is `fail`.
 */
export async function runCase<Row, Output>(context: TestContext, caseId: string, row: Row, run: CaseRun<Row, Output>, outcomes: Map<string, CaseOutcome>): Promise<void> {
  const caseTry = beginTry(context.task)
  try {
    await caseTry.run(() => runCaseTry(context, caseId, row, run, outcomes, caseTry))
  } finally {
    caseTry.end()
  }
}

async function runCaseTry<Row, Output>(context: TestContext, caseId: string, row: Row, run: CaseRun<Row, Output>, outcomes: Map<string, CaseOutcome>, caseTry: CaseTry): Promise<void> {
  const meta = evalMeta(context.task)
  const repeatBase = (context.task.result?.repeatCount ?? 0) * run.repeats
  // An earlier try's records of this repeat are replaced by this try's, whatever it gives: none when it fails.
  dropRecords(meta.evals, (record) => (record.attempt?.repeat ?? 0) >= repeatBase)
  const tryStart = meta.evals?.length ?? 0
  // Kept if Vitest's timeout stops the try: the report then counts the case failed, as the gate does, not by the trials that scored.
  meta.caseError = unfinishedCaseError(run.repeats, tryStart)
  meta.caseId = caseId
  if (run.variant !== undefined) meta.variant = run.variant
  meta.input = (run.input ?? defaultInput)(row)
  const expected = run.expected ? run.expected(row) : defaultExpected(row)
  if (expected !== undefined) meta.expected = expected
  const trials: TrialResult[] = []
  try {
    for (let trial = 0; trial < run.repeats; trial++) {
      // Several trials in one test: each runs in its own async context, so its testTrace() holds only its calls.
      const result = run.repeats > 1 ? await inTrial(() => runTrial(context, row, caseId, trial, run, caseTry)) : await runTrial(context, row, caseId, trial, run, caseTry)
      trials.push(result)
      // A scorer that cannot score fails the case (more trials would repeat its error); its earlier scores go too.
      if (result.scorerErrors) {
        if (trials.length > 1) dropScorerRecords(trials, meta.evals, result.scorerErrors.map(({ index }) => index))
        break
      }
    }
  } catch (error) {
    if (caseTry.ended) throw error
    // The case counts as 0 on every metric (the gate's view): its earlier trials' scores go too, and the report says why.
    meta.evals?.splice(tryStart)
    meta.caseError = taskCaseError(error, run.repeats)
    outcomes.set(caseId, { caseId, pass: false, metrics: {}, error: error instanceof Error ? error.message : String(error) })
    throw run.repeatedErrors ? run.repeatedErrors.forCase(error, caseId) : error
  }
  let passes = 0
  for (const trial of trials) if (trial.pass) passes++
  const pass = run.passOn === 'any-trial' ? passes > 0 : passes === trials.length
  let metrics: Record<string, { score: number; pass: boolean }>
  const only = trials[0]
  if (run.repeats === 1 && trials.length === 1 && only) metrics = oneTrialMetrics(only)
  else {
    const metricPass = (stats: TrialStatistics) => (run.passOn === 'any-trial' ? stats.passes > 0 : stats.passes === stats.trials)
    const statistics = metricStatistics(trials, run.k)
    if (run.repeats > 1) meta.trials = statistics
    metrics = Object.fromEntries(Object.entries(statistics).map(([metric, stats]) => [metric, { score: stats.mean, pass: metricPass(stats) }]))
  }
  // A newer try of the case's test runs it now (Vitest's timeout failed this one): its outcome is that try's.
  if (caseTry.ended) return
  // Cleared, not deleted: `delete` turns the meta object into a slow dictionary for every later read (the worker's
  // and Vitest's serialisation of it); readers treat an undefined `caseError` as none.
  meta.caseError = undefined
  const broken = trials.at(-1)?.scorerErrors
  const shownErrors = broken?.map(({ index, error }) => scorerError(run.scorers[index], index, error))
  if (shownErrors) meta.caseError = scorerCaseError(shownErrors, run.repeats)
  const outcome: CaseOutcome = { caseId, pass, metrics }
  if (trials.some((trial) => trial.awaitingLabel)) outcome.awaitingLabel = true
  if (shownErrors) outcome.scorerErrors = shownErrors
  outcomes.set(caseId, outcome)
  // A scorer that could not score fails its case whatever caseFailures says: its error says what to fix.
  if (broken) throw scorersFailure(broken, run.scorers, run.suite, caseId, run.repeatedErrors)
  if (!pass && run.caseFailures === 'fail') throw caseFailure(caseId, trials, run as CaseRun<unknown, unknown>)
}
