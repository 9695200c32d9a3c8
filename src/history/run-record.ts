import { lazyZodSchema } from '../lazy-schema.js'
import { trajectoryOf } from './trajectory-shape.js'

/** Version of the history line format; a reader skips lines of a newer major version with a warning. */
export const HISTORY_FORMAT_VERSION = 1

/** Tokens of model calls, split by who made them and whether they came from a recording. */
export interface TokenTotals {
  /** Tokens of the app under test. */
  app: { input: number; output: number }
  /** Tokens of judge models. */
  judge: { input: number; output: number }
  /** Tokens of models playing the user in simulated conversations (absent in runs before agent evals). */
  simulator?: { input: number; output: number }
  /** Of all tokens, how many were replayed from cassettes (not paid for in this run). */
  replayed: number
  /** Of all tokens, how many were sent to a live API in this run. */
  live: number
}

/** Aggregate of one suite, metric and variant in one run. */
export interface GroupAggregate {
  suite: string
  metric: string
  variant?: string
  /** Mean of the cases' mean scores, 0..1. */
  mean: number
  /** Passing trials / trials. */
  passRate: number
  /** Number of cases. */
  cases: number
  /** Number of trials (a case run `repeats` times counts each repeat). */
  trials: number
  /** Cases that could not be scored (`CaseScore.error`): those whose task failed count as 0 in `mean`, those a scorer failed are left out of it. */
  errors?: number
  /** Cases that passed on some trials or attempts only. */
  flaky: number
  /** 95% confidence interval of `mean` over the cases (Wilson for pass/fail scores, else t); absent in runs before it was kept. */
  interval?: { low: number; high: number }
}

/** Usage of one suite in one run (tokens are per test, so they are summed per suite, not per metric). */
export interface SuiteUsage {
  suite: string
  tests: number
  tokens: TokenTotals
  costUsd: number
  /** Model latency summed over calls (from the recording when replayed). */
  latencyMs: number
  /** The part of `latencyMs` that replayed calls report: their recorded latency, not this run's. */
  replayedLatencyMs?: number
}

/** One tool call as history and reports keep it: arguments and result as (cut) JSON text. */
export interface CaseToolCall {
  id?: string
  name: string
  /** The arguments as JSON text (the raw text when the model sent invalid JSON, see `argsError`). */
  args: string
  argsError?: string
  result?: string
  error?: string
}

/** One model step of a case's trace, as history and reports keep it. */
export interface CaseTraceStep {
  provider?: string
  model?: string
  text: string
  toolCalls: CaseToolCall[]
  usage?: { inputTokens?: number; outputTokens?: number }
  latencyMs?: number
}

/** What the agent of a case did, bounded: its steps in order, and how much was left out. */
export interface CaseTrace {
  steps: CaseTraceStep[]
  /** Steps and tool calls left out (by the stored trace's limits or the report's budget). */
  omitted?: { steps?: number; toolCalls?: number }
}

/** A case's conversation as history and reports keep it: the transcript, bounded, and why it ended. */
export interface CaseConversation {
  turns: { user: string; assistant: string; tools?: string[] }[]
  ended?: { reason: string; turns: number }
  /** Turns left out (by the stored conversation's limits or the report's budget). */
  omittedTurns?: number
}

/** One trial of a case run several times (`repeats`): its own score, verdict, reasons and output. */
export interface CaseTrial {
  /** 1-based: trial 1 is the first (`attempt.repeat` + 1). */
  trial: number
  /** Mean of the trial's records of the metric, 0..1. */
  score: number
  pass: boolean
  reason?: string
  /** The trial's output (truncated), when it was kept: on the first case score of its test only (other metrics share it). */
  output?: string
  /** Hash of the trial's kept output, compared with a human label's `outputHash`. */
  outputHash?: string
  /** The grader's label of this trial for `label:<metric>` cases. */
  automatedLabel?: string | number
  /** The human label this trial's `toMatchHumanLabel` compared with (absent while it awaited one). */
  humanLabel?: string
  /** A `toMatchHumanLabel` trial whose output has no human label yet: listed for review, not scored. */
  awaitingLabel?: boolean
}

/** One case's score for one metric in one run. */
export interface CaseScore {
  suite: string
  /** Full test name (`describe > test`). */
  test: string
  /** The test's describe blocks (`support bot`; '' for none), kept only when its own name holds ` > `, where `test` cannot tell them apart. */
  describeChain?: string
  caseId?: string
  metric: string
  variant?: string
  /** Mean over trials. */
  score: number
  pass: boolean
  trials: number
  /** Lowest trial score (only when trials > 1). */
  min?: number
  /** Passing trials (only when trials > 1). */
  passes?: number
  /** Population variance of trial scores (only when trials > 1). */
  variance?: number
  flaky?: boolean
  threshold?: number
  /** Judge reasoning or matcher reasons; dropped from old runs by retention. */
  reason?: string
  /** Output of the app (truncated); dropped from old runs by retention. */
  output?: string
  /**
   * Why the case could not be scored, on one line: its task threw or timed out (score 0, counted as the suite gate
   * counts it), or a scorer threw (`trials` 0: left out of the mean, as the gate leaves it out).
   */
  error?: string
  /** A `toMatchHumanLabel` case still waiting for its human label: listed for review, not scored. */
  awaitingLabel?: boolean
  /** The grader's label for `label:<metric>` cases (`toMatchHumanLabel`), paired with the human one. */
  automatedLabel?: string | number
  /** Hash of the full output (before truncation), so a human label on another output shows as stale. */
  outputHash?: string
  input?: string
  /** What the case expects (`describeEval`'s `expected` option, truncated like the input); dropped from old runs by retention. */
  expected?: string
  humanLabel?: string
  judge?: { provider: string; model: string; promptVersion: string }
  /**
   * With several trials: each trial's score, verdict, reasons and output, the last 10 trials (`trials` says how many
   * ran). Dropped from old runs by retention, with the output.
   */
  trialResults?: CaseTrial[]
  /** What the agent did (bounded); only on the first case score of its test. Dropped from old runs by retention. */
  trace?: CaseTrace
  /** The conversation's transcript (bounded); only on the first case score of its test. Dropped from old runs by retention. */
  conversation?: CaseConversation
}

/** One line of `.evals/history.jsonl`: everything the reporter knows about one run. */
export interface HistoryRun {
  v: number
  /** Unique id of the run (time-based, sortable). */
  id: string
  /** ISO time the run ended. */
  time: string
  git?: { commit?: string; branch?: string }
  versions: { vitest?: string; library?: string; node: string }
  cassetteMode?: string
  /** `replayed` / `recorded`: model calls; `toolResults`: results of `recordTool` tools (absent on runs that used none, and on older lines). */
  totals: { tests: number; scores: number; failedScores: number; replayed: number; recorded: number; tokens: TokenTotals; costUsd: number; toolResults?: { replayed: number; recorded: number } }
  groups: GroupAggregate[]
  suites: SuiteUsage[]
  /**
   * A `vitest --merge-reports` run that lacked some shards' blob reports: the suites of `missingShards` (of
   * `shardCount`) are not in it, or (`shardCounts`) its blob reports came from runs split differently, or
   * (`duplicatedFiles`) some test files were in two blob reports, their cases counted twice, or (`commits`) its blob
   * reports came from runs of different commits, or (`unsharded`, `shardCount` 1) its blob reports (`blobReports` of
   * them) came from runs without `--shard` that ran the same test files (`duplicatedFiles`). `ranEmpty`: how many of
   * `missingShards` ran no test file, their blob reports there without saying which shards they were. Its suites
   * are compared as usual; it is never the default baseline.
   */
  partial?: { shardCount: number; missingShards: number[]; shardCounts?: number[]; duplicatedFiles?: number; commits?: string[]; unsharded?: true; blobReports?: number; ranEmpty?: number }
  /**
   * Set by versions that keep cases that could not be scored as rows (`CaseScore.error`, `GroupAggregate.errors`).
   * Lines of 0.1.0 left those cases out of their rows and means: a mean compared with theirs leaves them out too.
   */
  errorsCounted?: true
  /** Per-case scores; absent on runs older than the retention limit (aggregates are kept). */
  cases?: CaseScore[]
}

/** The history line's zod schema, built on first use: importing the library must not build it (see `lazySchema`). */
export const historyRunLine = lazyZodSchema((z) => {
  const pair = z.object({ input: z.number(), output: z.number() })
  const tokens = z.object({ app: pair, judge: pair, simulator: pair.optional(), replayed: z.number(), live: z.number() })
  return z.looseObject({
    v: z.number().int(),
    id: z.string(),
    time: z.string(),
    versions: z.looseObject({ node: z.string() }),
    totals: z.looseObject({ tests: z.number(), scores: z.number(), failedScores: z.number(), tokens, costUsd: z.number() }),
    suites: z.array(z.looseObject({ suite: z.string(), tokens, costUsd: z.number() })).default([]),
    groups: z.array(
      z.looseObject({ suite: z.string(), metric: z.string(), variant: z.string().optional(), mean: z.number(), passRate: z.number(), cases: z.number(), trials: z.number() }),
    ),
    // Read by the reports and `llm-evals baseline`: a damaged one must not reach them.
    partial: z
      .looseObject({ shardCount: z.number().int().min(1), missingShards: z.array(z.number().int()), shardCounts: z.array(z.number().int()).optional(), duplicatedFiles: z.number().int().optional(), commits: z.array(z.string()).optional(), unsharded: z.literal(true).optional(), blobReports: z.number().int().optional(), ranEmpty: z.number().int().optional() })
      .optional(),
    // Checked only for the runs whose cases are kept (see `isCaseList`): most old runs are read for aggregates only.
    cases: z.array(z.unknown()).optional(),
  })
})

type LineCheck = ReturnType<ReturnType<typeof historyRunLine>['safeParse']>

/**
 * Shape check of a history line (loose: extra fields written by newer versions are kept). A line as this
 * library writes it passes a hand-written check (`isWrittenRunLine`), so reading a history loads no zod;
 * anything else goes through the zod schema, which says what is wrong.
 */
export const historyRunSchema = {
  safeParse: (value: unknown): LineCheck => {
    if (isWrittenRunLine(value)) return { success: true, data: value['suites'] === undefined ? { ...value, suites: [] } : value } as unknown as LineCheck
    return historyRunLine().safeParse(value)
  },
}

// An own `__proto__` key (JSON.parse makes one) is left out by zod's loose objects: such a line takes zod's path.
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && !Object.hasOwn(value, '__proto__')
// zod's z.number() refuses NaN and infinities (JSON reads 1e400 as Infinity).
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
const isPair = (value: unknown): boolean => isRecord(value) && Object.keys(value).length === 2 && isNumber(value['input']) && isNumber(value['output'])

/** Token totals with no key besides the schema's (zod's `z.object` would drop one: such a line takes zod's path). */
function isTokens(value: unknown): boolean {
  if (!isRecord(value) || !isPair(value['app']) || !isPair(value['judge']) || !isNumber(value['replayed']) || !isNumber(value['live'])) return false
  const simulator = 'simulator' in value
  return (!simulator || isPair(value['simulator'])) && Object.keys(value).length === (simulator ? 5 : 4)
}

const isIntegers = (value: unknown) => Array.isArray(value) && value.every((each) => Number.isSafeInteger(each))

function isPartial(value: unknown): boolean {
  if (!isRecord(value)) return false
  const { shardCount, missingShards, shardCounts, duplicatedFiles, commits, unsharded, blobReports, ranEmpty } = value
  return (
    Number.isSafeInteger(shardCount) &&
    (shardCount as number) >= 1 &&
    isIntegers(missingShards) &&
    (shardCounts === undefined || isIntegers(shardCounts)) &&
    (duplicatedFiles === undefined || Number.isSafeInteger(duplicatedFiles)) &&
    (commits === undefined || (Array.isArray(commits) && commits.every((commit) => typeof commit === 'string'))) &&
    (unsharded === undefined || unsharded === true) &&
    (blobReports === undefined || Number.isSafeInteger(blobReports)) &&
    (ranEmpty === undefined || Number.isSafeInteger(ranEmpty))
  )
}

function isGroup(value: unknown): boolean {
  if (!isRecord(value)) return false
  const { suite, metric, variant, mean, passRate, cases, trials } = value
  return typeof suite === 'string' && typeof metric === 'string' && (variant === undefined || typeof variant === 'string') && isNumber(mean) && isNumber(passRate) && isNumber(cases) && isNumber(trials)
}

/**
 * Whether `value` passes the history line schema unchanged (no default to fill, no key zod would drop): what
 * the schema accepts, never more; a line it refuses is checked by zod, which may still accept it.
 */
export function isWrittenRunLine(value: unknown): value is Record<string, unknown> {
  // zod's `.int()` is a safe integer (1e20 is refused).
  if (!isRecord(value) || !Number.isSafeInteger(value['v']) || typeof value['id'] !== 'string' || typeof value['time'] !== 'string') return false
  const { versions, totals, suites, groups, cases, partial } = value
  if (partial !== undefined && !isPartial(partial)) return false
  if (!isRecord(versions) || typeof versions['node'] !== 'string') return false
  if (!isRecord(totals) || !isNumber(totals['tests']) || !isNumber(totals['scores']) || !isNumber(totals['failedScores']) || !isNumber(totals['costUsd']) || !isTokens(totals['tokens'])) return false
  if (suites !== undefined && !(Array.isArray(suites) && suites.every((usage) => isRecord(usage) && typeof usage['suite'] === 'string' && isNumber(usage['costUsd']) && isTokens(usage['tokens'])))) return false
  return Array.isArray(groups) && groups.every(isGroup) && (cases === undefined || Array.isArray(cases))
}

/**
 * Shape check of a run's per-case scores (the fields every reader relies on; others are kept as they are).
 * Hand-written: it runs on every case of the runs compared, thousands per run.
 *
 * @example
 * isCaseList([{ suite: 'a.test.ts', test: 'c1', metric: 'm', score: 1, pass: true }]) // true
 */
export function isCaseList(cases: unknown): cases is CaseScore[] {
  return (
    Array.isArray(cases) &&
    cases.every((score: unknown) => {
      if (typeof score !== 'object' || score === null) return false
      const { suite, test, metric, score: value, pass } = score as Record<string, unknown>
      // Finite, as zod's `z.number()` had it: JSON reads 1e400 as Infinity, and one Infinity makes every mean NaN.
      return typeof suite === 'string' && typeof test === 'string' && typeof metric === 'string' && typeof value === 'number' && Number.isFinite(value) && typeof pass === 'boolean'
    })
  )
}

/** Empty token totals. */
export function noTokens(): TokenTotals {
  return { app: { input: 0, output: 0 }, judge: { input: 0, output: 0 }, replayed: 0, live: 0 }
}

/** Key of a suite/metric/variant group, the same across runs. */
export function groupKey(group: { suite: string; metric: string; variant?: string | undefined }): string {
  return `${group.suite}\u0000${group.metric}\u0000${group.variant ?? ''}`
}

/** Key of a case/metric/variant, the same across runs. */
export function caseKey(score: { suite: string; test: string; caseId?: string | undefined; metric: string; variant?: string | undefined }): string {
  return `${score.suite}\u0000${score.caseId ?? score.test}\u0000${score.metric}\u0000${score.variant ?? ''}`
}

const keyLists = new WeakMap<readonly CaseScore[], { groups: readonly string[]; cases: readonly string[] }>()

/**
 * The `groupKey` and `caseKey` of each of a run's case scores, in order, computed once per cases array: the end of
 * a run keys the current run's cases for pairing, dropped cases and the report, and each fresh key string is
 * built and hashed again where it is made (milliseconds over thousands of cases). The same strings are reused.
 *
 * @example
 * const { groups, cases } = caseKeysOf(summary.cases) // groups[i] === groupKey(summary.cases[i])
 */
export function caseKeysOf(scores: readonly CaseScore[]): { groups: readonly string[]; cases: readonly string[] } {
  let keys = keyLists.get(scores)
  // A list that grew since (a caller added a score) is keyed again.
  if (!keys || keys.cases.length !== scores.length) keyLists.set(scores, (keys = { groups: scores.map((score) => groupKey(score)), cases: scores.map((score) => caseKey(score)) }))
  return keys
}

const indexes = new WeakMap<readonly CaseScore[], ReadonlyMap<string, CaseScore>>()

/**
 * A run's case scores by `caseKey` (the last score of a key wins), built once per cases array and shared by its
 * users: the comparison and the HTML report both index the runs a run is compared with, and keying thousands of
 * cases costs milliseconds at the end of a run. The cases of a read run are not changed afterwards (a run whose
 * cases change gets a new array, as retention and the reader make).
 *
 * @example
 * casesByKey(referenceRun.cases).get(caseKey(score))?.score // the case's score in that run
 */
export function casesByKey(cases: readonly CaseScore[]): ReadonlyMap<string, CaseScore> {
  let index = indexes.get(cases)
  if (!index) indexes.set(cases, (index = new Map(cases.map((score) => [caseKey(score), score]))))
  return index
}

/** The trace and conversation of a test, as its first case score carries them. */
export type CaseTrajectory = Pick<CaseScore, 'trace' | 'conversation'>

/**
 * Per test (`testKey`), the trace and conversation its first case score carries (the reporter stores them
 * once per test, not once per metric).
 *
 * @example
 * trajectoriesByTest(run.cases ?? []).get(testKey(score))?.trace
 */
export function trajectoriesByTest(cases: readonly CaseScore[]): Map<string, CaseTrajectory> {
  const found = new Map<string, CaseTrajectory>()
  for (const score of cases) {
    // Most cases carry neither: no key is built for them (5,000 keys cost ~15 ms at the end of a run, cold).
    if (!score.trace && !score.conversation) continue
    const key = testKey(score)
    if (found.has(key)) continue
    // Read from a file on disk: one without its shape is left out, not shown broken (see trajectory-shape.ts).
    const trajectory = trajectoryOf(score)
    if (trajectory.trace || trajectory.conversation) found.set(key, trajectory)
  }
  return found
}

/** Key of a test of a run (its suite and full name). */
export function testKey(score: { suite: string; test: string }): string {
  return `${score.suite}\u0000${score.test}`
}
