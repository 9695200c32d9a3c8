import type { ExpectStatic, TestContext } from 'vitest'
import { agentOutput } from './agent-output.js'
import { settledTrace } from '../agents/test-trace.js'
import { isLlmEvalsError } from '../errors/index.js'
import { isAwaitingLabel, type ScoreRecord } from '../metrics/score-record.js'
import { trialStatistics, type TrialStatistics } from '../metrics/trials/index.js'
import type { CaseOutcome } from './suite-gate.js'
import { evalMeta } from './task-meta.js'
import { pushTo } from '../collections.js'
import { printValue } from '../print-value.js'
import { confirmFailure, type ScorerAttempt } from './confirm-failures.js'
import { fromScorer, scorerError, type RepeatedScorerErrors } from './repeated-errors.js'
import { dropScorerRecords, markScorer } from './broken-scorer-records.js'
import { recordResult, returnedScore, type ScoreResult } from './returned-score.js'

export type { ScoreResult } from './returned-score.js'

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
}

interface TrialResult {
  records: ScoreRecord[]
  failures: unknown[]
  pass: boolean
  /** Some records await a human label (left out of `records`). */
  awaitingLabel?: true
  /** Scorers that could not score (threw something other than a failed assertion), in scorer order. */
  scorerErrors?: { index: number; error: unknown }[]
}

/** Matcher failures fail a trial; anything else (a task crash, a misused option) fails the case outright. */
function isAssertionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (isLlmEvalsError(error as unknown)) return false
  return error.name === 'AssertionError' || error.constructor.name === 'JestExtendError' || ('actual' in error && 'expected' in error)
}

const display = (value: unknown) => printValue(value)

function defaultInput(row: unknown): string {
  const fields = typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {}
  const text = [fields.input, fields.question, fields.prompt].find((value) => typeof value === 'string')
  return typeof text === 'string' ? text : display(row)
}

/** Longest default `expected` text: the summary cuts it again to the report's limit. */
const MAX_EXPECTED_CHARS = 2_000

/**
 * The row's `expected` (else `reference`) field as text: strings and numbers as they are, plain objects
 * and arrays as bounded JSON; nothing when the row has neither field.
 *
 * @example
 * defaultExpected({ question: 'Capital of France?', expected: 'Paris' }) // 'Paris'
 */
export function defaultExpected(row: unknown): string | undefined {
  const fields = typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {}
  const value = fields.expected ?? fields.reference
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  if (typeof value === 'object' && value !== null && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    return printValue(value, { maxChars: MAX_EXPECTED_CHARS })
  }
  return undefined
}

async function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, parent: AbortSignal, timeout: number | undefined, describe: () => string): Promise<T> {
  if (timeout === undefined) return work(parent)
  const timer = new AbortController()
  const signal = AbortSignal.any([parent, timer.signal])
  let handle: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    handle = setTimeout(() => {
      const error = new Error(`[vitest-llm-evals] ${describe()} timed out after ${timeout} ms; the task was cancelled through its signal. Raise describeEval's timeout, or make the task faster.`)
      timer.abort(error)
      reject(error)
    }, timeout)
  })
  try {
    return await Promise.race([work(signal), expired])
  } finally {
    clearTimeout(handle)
  }
}


async function runTrial<Row, Output>(context: TestContext, row: Row, caseId: string, trial: number, run: CaseRun<Row, Output>): Promise<TrialResult> {
  const meta = evalMeta(context.task)
  const before = meta.evals?.length ?? 0
  const failures: unknown[] = []
  let plainPass = true
  let scorerErrors: TrialResult['scorerErrors']
  const label = () => `Case "${caseId}"${run.repeats > 1 ? ` trial ${trial + 1} of ${run.repeats}` : ''}`
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
    const output = (await settledTrace(await run.task(row, taskContext))) as Output
    // An agent run (a Trace or a Conversation) shows as its text; its trace is kept for reports.
    const agent = agentOutput(output)
    meta.output = agent ? agent.text : display(output)
    if (agent?.trace) meta.trace = agent.trace
    if (agent?.conversation) meta.conversation = agent.conversation
    for (const [index, scorer] of run.scorers.entries()) {
      // Each run's records are taken off the task, so only the kept run's records stay.
      const attempt = async (): Promise<ScorerAttempt> => {
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
          const result = returnedScore(await scorer(output, scorerContext), scorer, index, run.suite, caseId)
          if (result) pass = recordResult(meta, result, run.suite, caseId, index)
        } catch (error) {
          if (!isAssertionFailure(error)) {
            // A scorer that could not score gives no score at all: what it recorded before it threw goes too.
            meta.evals?.splice(start)
            throw fromScorer(error, index)
          }
          failure = error
          pass = false
        }
        return { records: meta.evals?.splice(start) ?? [], pass, ...(failure === undefined ? {} : { failure }) }
      }
      let kept: ScorerAttempt
      try {
        // With confirmFailures, a run outvoted is discarded: only the kept run's records stay on the test.
        kept = await confirmFailure(await attempt(), run.confirmFailures ?? 0, attempt)
      } catch (error) {
        // A cancelled or timed-out trial stops; else the other scorers still score (their scores are real).
        if (signal.aborted) throw error
        ;(scorerErrors ??= []).push({ index, error })
        continue
      }
      if (kept.records.length) (meta.evals ??= []).push(...kept.records)
      if (run.repeats > 1) markScorer(kept.records, index)
      if (kept.failure !== undefined) failures.push(kept.failure)
      else if (!kept.pass) plainPass = false
    }
  }, context.signal, run.trialTimeout, label)
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

function metricStatistics(trials: readonly TrialResult[], k: number | undefined): Record<string, TrialStatistics> {
  const perMetric = new Map<string, { score: number; pass: boolean }[]>()
  for (const trial of trials) {
    const byMetric = new Map<string, ScoreRecord[]>()
    for (const record of trial.records) pushTo(byMetric, record.metric, record)
    for (const [metric, records] of byMetric) {
      const score = records.reduce((sum, record) => sum + record.score, 0) / records.length
      pushTo(perMetric, metric, { score, pass: records.every((record) => record.pass) })
    }
  }
  return Object.fromEntries([...perMetric].map(([metric, results]) => [metric, trialStatistics(results, Math.min(k ?? results.length, results.length))]))
}

/**
 * Per metric, the case's score and verdict when it ran one trial (the usual case): the mean of the trial's
 * scores of that metric and whether all passed, which is what {@link metricStatistics} gives for one trial
 * (mean of one value, passes 0 or 1 of 1), without its statistics (variance, pass@k) for every case.
 */
function oneTrialMetrics(trial: TrialResult): Record<string, { score: number; pass: boolean }> {
  const perMetric = new Map<string, { sum: number; count: number; pass: boolean }>()
  for (const record of trial.records) {
    const metric = perMetric.get(record.metric)
    if (metric) {
      metric.sum += record.score
      metric.count++
      metric.pass &&= record.pass
    } else perMetric.set(record.metric, { sum: 0 + record.score, count: 1, pass: record.pass })
  }
  return Object.fromEntries([...perMetric].map(([metric, { sum, count, pass }]) => [metric, { score: sum / count, pass }]))
}

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
  const meta = evalMeta(context.task)
  meta.caseId = caseId
  if (run.variant !== undefined) meta.variant = run.variant
  meta.input = (run.input ?? defaultInput)(row)
  const expected = run.expected ? run.expected(row) : defaultExpected(row)
  if (expected !== undefined) meta.expected = expected
  const trials: TrialResult[] = []
  try {
    for (let trial = 0; trial < run.repeats; trial++) {
      const result = await runTrial(context, row, caseId, trial, run)
      trials.push(result)
      // A scorer that cannot score fails the case (more trials would repeat its error); its earlier scores go too.
      if (result.scorerErrors) {
        if (trials.length > 1) dropScorerRecords(trials, meta.evals, result.scorerErrors.map(({ index }) => index))
        break
      }
    }
  } catch (error) {
    outcomes.set(caseId, { caseId, pass: false, metrics: {}, error: error instanceof Error ? error.message : String(error) })
    throw run.repeatedErrors ? run.repeatedErrors.forCase(error, caseId) : error
  }
  const passes = trials.filter((trial) => trial.pass).length
  const pass = run.passOn === 'any-trial' ? passes > 0 : passes === trials.length
  const metricPass = (stats: TrialStatistics) => (run.passOn === 'any-trial' ? stats.passes > 0 : stats.passes === stats.trials)
  let metrics: Record<string, { score: number; pass: boolean }>
  const [only] = trials
  if (run.repeats === 1 && trials.length === 1 && only) metrics = oneTrialMetrics(only)
  else {
    const statistics = metricStatistics(trials, run.k)
    if (run.repeats > 1) meta.trials = statistics
    metrics = Object.fromEntries(Object.entries(statistics).map(([metric, stats]) => [metric, { score: stats.mean, pass: metricPass(stats) }]))
  }
  const broken = trials.at(-1)?.scorerErrors
  outcomes.set(caseId, {
    caseId,
    pass,
    metrics,
    ...(trials.some((trial) => trial.awaitingLabel) ? { awaitingLabel: true as const } : {}),
    ...(broken ? { scorerErrors: broken.map(({ index, error }) => scorerError(run.scorers[index], index, error)) } : {}),
  })
  // A scorer that could not score fails its case whatever caseFailures says: its error says what to fix.
  const [first] = broken ?? []
  if (first) throw run.repeatedErrors ? run.repeatedErrors.forCase(first.error, caseId) : first.error
  if (!pass && run.caseFailures === 'fail') throw caseFailure(caseId, trials, run as CaseRun<unknown, unknown>)
}
