// A finished test's scores, one per metric (its final records, repeats as trials), with what the history keeps
// of it (cut texts, output hash, trace, conversation). Runs once per finished test in the main process, cold,
// so it is written with plain loops and makes no maps for the common single record (issue 17).
import type { ScoreRecord } from '../src/metrics/score-record.js'
import type { CaseTrial } from '../src/history/run-record.js'
import { isAwaitingLabel } from '../src/metrics/score-record.js'
import { storedOutputHash } from '../src/review/output-hash.js'
import type { RedactRule } from '../src/cassettes/redact.js'
import { pushTo } from '../src/collections.js'
import { caseConversation, caseTrace } from './case-trajectory.js'
import type { CollectedCase, SummarizedCase, SummarizeOptions } from './summarize.js'

/**
 * Cuts text to `limit` characters, saying how much was cut.
 *
 * @example
 * truncateText('abcdef', 3) // 'abc… (+3 chars)'
 */
export function truncateText(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (+${text.length - limit} chars)`
}

/**
 * The mean of `values` (0 for none), summed in order: the same to the last bit for the same order.
 *
 * @example
 * mean([1, 0.5]) // 0.75
 */
export const mean = (values: readonly number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0)
const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined)

/** The describe chain of a test whose own name holds ` > ` (a name template with row text): its full name alone cannot tell where its own name starts. */
function describeChainOf({ test, name }: Pick<CollectedCase, 'test' | 'name'>): string | undefined {
  if (name === undefined || !name.includes(' > ') || !test.endsWith(name)) return undefined
  return test === name ? '' : test.slice(0, -(name.length + ' > '.length))
}

/** A test's final records of one metric, one list per repeat (trial), in the order they first appear. */
type MetricTrials = [metric: string, trials: ScoreRecord[][]]

/** The records grouped by metric, then by repeat, in the order they first appear. */
function byMetric(records: readonly ScoreRecord[]): MetricTrials[] {
  // One record (most tests): no maps. Grouping maps cost ~several µs per test in a run, where this code runs cold.
  if (records.length === 1) {
    const record = records[0] as ScoreRecord
    return [[record.metric, [[record]]]]
  }
  const groups = new Map<string, Map<number, ScoreRecord[]>>()
  for (const record of records) {
    const trials = groups.get(record.metric) ?? new Map<number, ScoreRecord[]>()
    groups.set(record.metric, trials)
    pushTo(trials, record.attempt?.repeat ?? 0, record)
  }
  return [...groups].map(([metric, trials]) => [metric, [...trials.values()]])
}

/** What every metric of a test shares: read and cut once per test. */
interface CaseFields {
  suite: string
  variant: string | undefined
  input: string | undefined
  expected: string | undefined
  humanLabel: string | undefined
  output: { output: string; outputHash: string } | undefined
  /** Each trial's output by `attempt.repeat` (`task.meta.trialOutputs`), when kept. */
  trialOutputs: Record<string, unknown> | undefined
  /** The whole output's hash of a trial whose kept output was cut (`task.meta.trialOutputHashes`). */
  trialOutputHashes: Record<string, unknown> | undefined
  trace: ReturnType<typeof caseTrace>
  conversation: ReturnType<typeof caseConversation>
  describeChain: string | undefined
  /** The cassettes' `redact` rules: label hashes are of outputs as stored (see `storedOutputHash`). */
  redact: readonly RedactRule[] | undefined
}

/**
 * The scores of one finished test, one per metric, given its final records (`finalRecords`).
 *
 * @example
 * caseScores(collected, finalRecords(collected.meta.evals), suiteName(collected), { pricing: DEFAULT_PRICES, maxTextChars: 2000 })
 */
export function caseScores(collected: CollectedCase, records: readonly ScoreRecord[], suite: string, options: SummarizeOptions): SummarizedCase[] {
  const groups = byMetric(records)
  if (groups.length === 0) return []
  const output = text(collected.meta.output)
  const input = text(collected.meta.input)
  const expected = text(collected.meta.expected)
  const fields: CaseFields = {
    suite,
    variant: text(collected.meta.variant),
    input: input === undefined ? undefined : truncateText(input, options.maxTextChars),
    expected: expected === undefined ? undefined : truncateText(expected, options.maxTextChars),
    humanLabel: text(collected.meta.humanLabel),
    // Once per test: every metric of the test stores the same output.
    output: output === undefined ? undefined : { output: truncateText(output, options.maxTextChars), outputHash: storedOutputHash(output, options.redact) },
    trialOutputs: typeof collected.meta.trialOutputs === 'object' && collected.meta.trialOutputs !== null ? (collected.meta.trialOutputs as Record<string, unknown>) : undefined,
    trialOutputHashes: typeof collected.meta.trialOutputHashes === 'object' && collected.meta.trialOutputHashes !== null ? (collected.meta.trialOutputHashes as Record<string, unknown>) : undefined,
    trace: caseTrace(collected.meta.trace, options.maxTextChars),
    conversation: caseConversation(collected.meta.conversation, options.maxTextChars),
    describeChain: describeChainOf(collected),
    redact: options.redact,
  }
  const cases: SummarizedCase[] = []
  for (let index = 0; index < groups.length; index++) {
    const [metric, trials] = groups[index] as MetricTrials
    cases.push(metricCase(collected, fields, metric, trials, index === 0, options))
  }
  return cases
}

/** One metric of a test: its trials' scores and what the records say. Plain loops: this runs once per test, cold. */
function metricCase(collected: CollectedCase, fields: CaseFields, metric: string, trials: readonly ScoreRecord[][], first: boolean, options: SummarizeOptions): SummarizedCase {
  // Each trial's score is the mean of its records; the case's is the mean of its trials' (summed in order, as `mean`).
  const scores: number[] = []
  let passing = 0
  for (const trial of trials) {
    let sum = 0
    let pass = true
    for (const record of trial) {
      sum += record.score
      if (!record.pass) pass = false
    }
    scores.push(sum / trial.length)
    if (pass) passing++
  }
  const score = mean(scores)
  const all = trials.length === 1 ? (trials[0] as ScoreRecord[]) : trials.flat()
  const caseId = text(all[0]?.caseId) ?? text(collected.meta.caseId)
  const result: SummarizedCase = { suite: fields.suite, test: collected.test, metric, score, pass: passing === trials.length, trials: scores.length }
  let awaiting = true
  let threshold: number | undefined
  let judge: ScoreRecord['judge']
  for (const record of all) {
    if (!isAwaitingLabel(record)) awaiting = false
    if (threshold === undefined && typeof record.threshold === 'number') threshold = record.threshold
    if (!judge && record.judge) judge = record.judge
  }
  if (awaiting) result.awaitingLabel = true
  if (caseId !== undefined) result.caseId = caseId
  if (fields.describeChain !== undefined) result.describeChain = fields.describeChain
  if (fields.variant !== undefined) result.variant = fields.variant
  if (scores.length > 1) {
    result.min = Math.min(...scores)
    result.variance = mean(scores.map((value) => (value - score) ** 2))
    result.passes = passing
  }
  // Passed in some trials and failed in others.
  if ((passing > 0 && passing < trials.length) || collected.flaky) result.flaky = true
  if (threshold !== undefined) result.threshold = threshold
  const reasons = reasonsOf(all)
  if (reasons.length) result.reason = truncateText(reasons.join('\n'), options.maxTextChars)
  if (fields.output) {
    result.output = fields.output.output
    result.outputHash = fields.output.outputHash
  }
  if (scores.length > 1) {
    const kept = trialResults(trials, scores, metric, fields, text(collected.meta.output), options.maxTextChars, first)
    if (kept.length) result.trialResults = kept
  }
  if (fields.input !== undefined) result.input = fields.input
  if (fields.expected !== undefined) result.expected = fields.expected
  if (fields.humanLabel !== undefined) result.humanLabel = fields.humanLabel
  const automated = metric.startsWith('label:') ? automatedLabelOf(all) : undefined
  if (automated !== undefined) result.automatedLabel = automated
  if (judge) result.judge = judge
  // Once per test, not per metric: reports and the review page find it by suite and test.
  if (first && fields.trace) result.trace = fields.trace
  if (first && fields.conversation) result.conversation = fields.conversation
  return result
}

/** The records' reasons (any truthy value), each once, in order. */
function reasonsOf(records: readonly ScoreRecord[]): string[] {
  if (records.length === 1) {
    const reason = (records[0] as ScoreRecord).reason
    return reason ? [reason] : []
  }
  return [...new Set(records.map((record) => record.reason).filter((reason): reason is string => !!reason))]
}

/** The grader's label of a `toMatchHumanLabel` record (`details.automated`), kept so agreement can be computed from history. */
function automatedLabelOf(records: readonly ScoreRecord[]): string | number | undefined {
  const details = records.at(-1)?.details as { automated?: unknown } | undefined
  const value = details?.automated
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : undefined
}

/** Most trials of a case kept in history with their own output, score and reasons (the newest ones). */
export const MAX_HISTORY_TRIALS = 10

/**
 * Each trial's own result (the last {@link MAX_HISTORY_TRIALS}), so the review page shows every trial as its own
 * row and a human label is compared with the verdict on the output it was given on. `fullOutput`: the test's whole
 * output, whose hash a trial with that output carries (labels given before trials were kept hashed it). The
 * trials' texts are kept on the test's first metric only (`withOutput`), as its trace is; every metric keeps the hashes.
 */
function trialResults(trials: readonly ScoreRecord[][], scores: readonly number[], metric: string, fields: CaseFields, fullOutput: string | undefined, limit: number, withOutput: boolean): CaseTrial[] {
  const kept: CaseTrial[] = []
  for (let index = Math.max(0, trials.length - MAX_HISTORY_TRIALS); index < trials.length; index++) {
    const records = trials[index] as ScoreRecord[]
    const repeat = records[0]?.attempt?.repeat ?? index
    const trial: CaseTrial = { trial: repeat + 1, score: scores[index] as number, pass: records.every((record) => record.pass) }
    const reasons = reasonsOf(records)
    if (reasons.length) trial.reason = truncateText(reasons.join('\n'), limit)
    const said = fields.trialOutputs?.[String(repeat)]
    if (typeof said === 'string') {
      if (withOutput) trial.output = truncateText(said, limit)
      const whole = fields.trialOutputHashes?.[String(repeat)]
      trial.outputHash = typeof whole === 'string' ? whole : said === fullOutput && fields.output ? fields.output.outputHash : storedOutputHash(said, fields.redact)
    }
    const automated = metric.startsWith('label:') ? automatedLabelOf(records) : undefined
    if (automated !== undefined) trial.automatedLabel = automated
    if (records.every(isAwaitingLabel)) trial.awaitingLabel = true
    else if (metric.startsWith('label:')) {
      const human = (records.at(-1)?.details as { human?: unknown } | undefined)?.human
      if (typeof human === 'string' || typeof human === 'number') trial.humanLabel = String(human)
    }
    kept.push(trial)
  }
  return kept
}
