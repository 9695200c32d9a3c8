import type { CallRole } from '../src/cassettes/entry.js'
import type { RedactRule } from '../src/cassettes/redact.js'
import { noTokens, type CaseScore, type GroupAggregate, type HistoryRun, type SuiteUsage, type TokenTotals } from '../src/history/run-record.js'
import { isAwaitingLabel, type ScoreRecord } from '../src/metrics/score-record.js'

export { isAwaitingLabel }
import { costOf, type PriceTable } from './pricing.js'
import { pushTo } from '../src/collections.js'
import { meanInterval } from '../src/metrics/paired/mean-interval.js'
import { caseScores, mean } from './case-scores.js'
import { caseErrorOf, erroredScores, finishedRecords, NO_SCORE_METRIC, type ErroredCase } from './errored-cases.js'
import { suiteName } from '../src/review/labels-file.js'

export { suiteName }

/** One model call of a test, as the cassette layer reports it on `task.meta.cassette.calls`. */
export interface CallUsage {
  role: CallRole
  /** `replayed` from a cassette, `recorded` (sent live and saved), or `live` (passthrough). */
  source: 'replayed' | 'recorded' | 'live'
  model?: string
  inputTokens?: number
  outputTokens?: number
  latencyMs?: number
}

/** How many results of tools wrapped with `recordTool` were replayed from cassettes, and recorded into them. */
export interface ToolResultCounts {
  replayed: number
  recorded: number
}

/**
 * Cassette counts that the worker setup file stores on `task.meta.cassette`: a test's (its final try of each
 * repeat), or on a file task, the tool results of calls made outside its tests.
 */
export interface CassetteCounts {
  /** Model calls. */
  replayed: number
  recorded: number
  /** Per-call usage, when the cassette layer provides it. */
  calls?: CallUsage[]
  /** Tool results (`recordTool`); absent when the test used no wrapped tool. */
  toolResults?: ToolResultCounts
}

/**
 * Adds tool result counts to a run's totals (`totals.toolResults` appears with the first tool result).
 *
 * @example
 * addToolResults(summary.totals, { replayed: 3, recorded: 0 })
 */
export function addToolResults(totals: RunSummary['totals'], counts: ToolResultCounts | undefined): void {
  if (!counts || !(counts.replayed || counts.recorded)) return
  const into = (totals.toolResults ??= { replayed: 0, recorded: 0 })
  into.replayed += counts.replayed
  into.recorded += counts.recorded
}

/** What the reporter keeps of one finished test: its place, its outcome and its meta. */
export interface CollectedCase {
  /** Test file, relative to the root. */
  module: string
  /** Top-level `describe` name, when there is one. */
  describe?: string
  /** The test's Vitest project, when it has a name (`test.projects`, or `test.name`): one file run by two projects is two suites. */
  project?: string
  /** Full name, `describe > test`. */
  test: string
  /** The test's own name (the last part of `test`, which may itself hold ` > `). */
  name?: string
  state: 'passed' | 'failed' | 'skipped' | 'pending'
  /** Passed only after a retry (Vitest's `diagnostic().flaky`). */
  flaky: boolean
  /** A failed test's first error message. */
  error?: string
  meta: {
    evals?: unknown
    cassette?: CassetteCounts
    caseId?: unknown
    variant?: unknown
    input?: unknown
    expected?: unknown
    output?: unknown
    /** Each trial's output by `attempt.repeat` (`TrialOutputs`), when the case ran several trials. */
    trialOutputs?: unknown
    /** The whole output's hash of each trial whose kept output was cut (`trialOutputHashes`). */
    trialOutputHashes?: unknown
    humanLabel?: unknown
    /** A bounded trace (`StoredTrace`) kept by the trace matchers or `describeEval`. */
    trace?: unknown
    /** A bounded conversation (`StoredConversation`) kept by the conversation matchers or `describeEval`. */
    conversation?: unknown
    /** Why `describeEval` could not score the case (`CaseError`). */
    caseError?: unknown
  }
}

/** Options of {@link summarizeRun}. */
export interface SummarizeOptions {
  pricing: PriceTable
  /** Longest output / input / reason kept per case (characters); a case's trace and conversation get 3× each. */
  maxTextChars: number
  /** The cassettes' `redact` rules: an output's label hash is of the output as stored, the same live and replayed. */
  redact?: readonly RedactRule[]
}

/** A run's summary: {@link HistoryRun} without the identity fields the store adds. */
export type RunSummary = Pick<HistoryRun, 'totals' | 'groups' | 'suites' | 'cases'>


/** The records of a test that count: valid ones, and of each repeat only the final retry. */
export function finalRecords(evals: unknown): ScoreRecord[] {
  if (!Array.isArray(evals)) return []
  const records: ScoreRecord[] = []
  let retried = false
  for (const record of evals as ScoreRecord[]) {
    if (typeof record?.metric !== 'string' || typeof record?.score !== 'number' || !Number.isFinite(record.score)) continue
    records.push(record)
    if ((record.attempt?.retry ?? 0) !== 0) retried = true
  }
  // No retry: every record is of a final attempt (the common case, without the maps below).
  if (!retried) return records
  const lastRetry = new Map<number, number>()
  for (const { attempt } of records) {
    const repeat = attempt?.repeat ?? 0
    lastRetry.set(repeat, Math.max(lastRetry.get(repeat) ?? 0, attempt?.retry ?? 0))
  }
  return records.filter(({ attempt }) => (attempt?.retry ?? 0) === lastRetry.get(attempt?.repeat ?? 0))
}

/** A case and metric `toMatchHumanLabel` graded before any human labelled it: listed for review, not scored. */
export type SummarizedCase = CaseScore & { awaitingLabel?: true }

/** True for a `toMatchHumanLabel` record of a case with no current human label (`details.awaitingLabel`). */

export { truncateText } from './case-scores.js'

/** Four decimals: an interval is an estimate, and history lines stay short. */
const round = (value: number) => Math.round(value * 10_000) / 10_000

interface CaseUsage {
  tokens: TokenTotals
  costUsd: number
  latencyMs: number
  replayedLatencyMs: number
}

/** True when a judge record carries its usage (counted when the test has no per-call data). */
function hasJudgeUsage(records: readonly ScoreRecord[]): boolean {
  for (const record of records) if (record.judge && record.usage) return true
  return false
}

/**
 * Tokens, cost and latency of a test: from its cassette calls, else from judge records' usage. Undefined when
 * it has neither (most tests): all zero, nothing to add, and nothing made per test for it.
 */
function caseUsage(collected: CollectedCase, records: readonly ScoreRecord[], pricing: PriceTable): CaseUsage | undefined {
  const calls = collected.meta.cassette?.calls ?? []
  if (Array.isArray(calls) && calls.length === 0 && !hasJudgeUsage(records)) return undefined
  const usage: CaseUsage = { tokens: noTokens(), costUsd: 0, latencyMs: 0, replayedLatencyMs: 0 }
  for (const call of calls) {
    const input = call.inputTokens ?? 0
    const output = call.outputTokens ?? 0
    const tally = (usage.tokens[call.role] ??= { input: 0, output: 0 })
    tally.input += input
    tally.output += output
    usage.tokens[call.source === 'replayed' ? 'replayed' : 'live'] += input + output
    usage.costUsd += costOf(call.model, input, output, pricing)
    usage.latencyMs += call.latencyMs ?? 0
    if (call.source === 'replayed') usage.replayedLatencyMs += call.latencyMs ?? 0
  }
  if (calls.some((call) => call.role === 'judge')) return usage
  // Without per-call data, judge usage comes from the records; whether it was replayed is unknown, so it counts as live.
  for (const record of records) {
    if (!record.judge || !record.usage) continue
    const input = record.usage.inputTokens ?? 0
    const output = record.usage.outputTokens ?? 0
    usage.tokens.judge.input += input
    usage.tokens.judge.output += output
    usage.tokens.live += input + output
    usage.costUsd += record.usage.costUsd ?? costOf(record.judge.model, input, output, pricing)
  }
  return usage
}

function addTokens(into: TokenTotals, from: TokenTotals): void {
  into.app.input += from.app.input
  into.app.output += from.app.output
  into.judge.input += from.judge.input
  into.judge.output += from.judge.output
  if (from.simulator) {
    const simulator = (into.simulator ??= { input: 0, output: 0 })
    simulator.input += from.simulator.input
    simulator.output += from.simulator.output
  }
  into.replayed += from.replayed
  into.live += from.live
}

function aggregate(scores: readonly CaseScore[]): GroupAggregate[] {
  const groups = new Map<string, CaseScore[]>()
  for (const score of scores) {
    const key = `${score.suite}\u0000${score.metric}\u0000${score.variant ?? ''}`
    pushTo(groups, key, score)
  }
  return [...groups.values()].flatMap((all) => {
    // A case a scorer failed for has no trial of the metric: listed as an error, left out as the suite gate leaves it out.
    const cases = all.some((score) => score.trials === 0) ? all.filter((score) => score.trials > 0) : all
    const first = cases[0]
    if (first === undefined) return []
    const trials = cases.reduce((sum, score) => sum + score.trials, 0)
    const passing = cases.reduce((sum, score) => sum + (score.trials > 1 ? (score.passes ?? 0) : score.pass ? 1 : 0), 0)
    // Summed in sorted order: the mean is the same to the last bit whatever order the tests finished in.
    const group: GroupAggregate = { suite: first.suite, metric: first.metric, mean: mean(cases.map((score) => score.score).sort((a, b) => a - b)), passRate: trials ? passing / trials : 0, cases: cases.length, trials, flaky: cases.filter((score) => score.flaky).length }
    if (first.variant !== undefined) group.variant = first.variant
    const interval = meanInterval(cases.map((score) => score.score))
    if (interval) group.interval = { low: round(interval.low), high: round(interval.high) }
    const errors = all.filter((score) => score.error !== undefined).length
    if (errors) group.errors = errors
    return [group]
  })
}

/**
 * Aggregates the tests of a run: per case and metric (final attempt only, repeats as trials), per
 * suite/metric/variant (mean, pass rate, flaky cases), and usage per suite and for the run.
 *
 * @example
 * const summary = summarizeRun(collected, { pricing: DEFAULT_PRICES, maxTextChars: 2000 })
 */
export function summarizeRun(collected: readonly CollectedCase[], options: SummarizeOptions): RunSummary {
  const summarizer = new RunSummarizer(options)
  for (const each of collected) summarizer.add(each)
  return summarizer.finish()
}

/**
 * {@link summarizeRun} one test at a time: the reporter adds each test as it finishes, so the per-case work
 * runs beside the tests instead of at the end of the run. `prepare` sees each case's scores as they are made
 * (the reporter scrubs them of secrets there).
 *
 * @example
 * const summarizer = new RunSummarizer(options)
 * summarizer.add(collected) // per test
 * const summary = summarizer.finish()
 */
export class RunSummarizer {
  private readonly totals: RunSummary['totals'] = { tests: 0, scores: 0, failedScores: 0, replayed: 0, recorded: 0, tokens: noTokens(), costUsd: 0 }
  private readonly suites = new Map<string, SuiteUsage>()
  private readonly cases: SummarizedCase[] = []
  private readonly errored: ErroredCase[] = []

  constructor(
    private readonly options: SummarizeOptions,
    private readonly prepare: (cases: SummarizedCase[]) => SummarizedCase[] = (cases) => cases,
  ) {}

  add(each: CollectedCase): void {
    const { totals, options } = this
    const records = finalRecords(finishedRecords(each))
    const error = caseErrorOf(each, records)
    if (records.length === 0 && !each.meta.cassette && !error) return
    const suite = suiteName(each)
    totals.tests++
    // A case awaiting its human label is listed for review but is not a score yet.
    for (const record of records) {
      if (isAwaitingLabel(record)) continue
      totals.scores++
      if (record.pass === false) totals.failedScores++
    }
    totals.replayed += each.meta.cassette?.replayed ?? 0
    totals.recorded += each.meta.cassette?.recorded ?? 0
    addToolResults(totals, each.meta.cassette?.toolResults)
    const usage = caseUsage(each, records, options.pricing)
    const suiteUsage = this.suites.get(suite) ?? { suite, tests: 0, tokens: noTokens(), costUsd: 0, latencyMs: 0 }
    this.suites.set(suite, suiteUsage)
    suiteUsage.tests++
    if (usage) {
      addTokens(suiteUsage.tokens, usage.tokens)
      suiteUsage.costUsd += usage.costUsd
      suiteUsage.latencyMs += usage.latencyMs
      if (usage.replayedLatencyMs > 0) suiteUsage.replayedLatencyMs = (suiteUsage.replayedLatencyMs ?? 0) + usage.replayedLatencyMs
      addTokens(totals.tokens, usage.tokens)
      totals.costUsd += usage.costUsd
    }
    for (const score of this.prepare(caseScores(each, records, suite, options))) this.cases.push(score)
    if (error) this.errored.push({ collected: each, suite, error })
  }

  /** The summary of every test added. */
  finish(): RunSummary {
    // Rows for the cases that could not be scored, once every case of their suites is known (they score its metrics 0).
    const { rows, replaced } = erroredScores(this.errored, this.cases, this.options)
    const scored = replaced.size ? this.cases.map((score) => (replaced.has(score) ? (this.prepare([replaced.get(score) as SummarizedCase])[0] as SummarizedCase) : score)) : this.cases
    const cases = [...scored, ...this.prepare(rows)]
    const groups = aggregate(cases.filter((score) => !score.awaitingLabel && score.metric !== NO_SCORE_METRIC))
    return { totals: this.totals, groups, suites: [...this.suites.values()], cases }
  }
}
