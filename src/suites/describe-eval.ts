import { afterAll, describe, test, type TestOptions } from 'vitest'
import { pointAtCaller, type CallSiteHolder } from '../../matchers/shared/caller-stack.js'
import { ConfigError, DatasetError, LlmEvalsError } from '../errors/index.js'
import { toEvalCases } from './cases.js'
import { confirmFailuresOption } from './confirm-failures.js'
import { runCase, type EvalTaskContext, type Scorer } from './run-case.js'
import { suiteGateVerdict } from './gate-verdict.js'
import { RepeatedScorerErrors } from './repeated-errors.js'
import type { CaseOutcome, SuiteThreshold } from './suite-gate.js'
import { unfinishedOutcome, type UnfinishedCase } from './unfinished-case.js'
import { checkSuiteOptions } from './suite-options.js'
import { suiteThresholdOption } from './suite-threshold.js'

/** Options of {@link describeEval}. */
export interface DescribeEvalOptions<Row, Output> {
  /** The rows: an array (e.g. from `loadDataset`), a promise of one, or a function returning one. */
  data: readonly Row[] | Promise<readonly Row[]> | (() => readonly Row[] | Promise<readonly Row[]>)
  /** The app under test: turns a row into an output. Pass `context.signal` on to your SDK calls. */
  task: (row: Row, context: EvalTaskContext) => Output | Promise<Output>
  /** Score each output: call matchers on `context.expect`, or return `{ metric, score, pass? }` or a score (a number within 0..1, its metric named after the scorer function). */
  scorers?: readonly Scorer<Row, Output>[]
  /** Suite-level gate checked after every case, failing as the test `suite threshold`. Per metric: `mean` is a floor for each metric's mean on its own (not their average); `passRate` is over whole cases; `perMetric` targets one metric. Targets are numbers within 0..1; an unknown key is a ConfigError. */
  threshold?: SuiteThreshold
  /** Trials per case (default 1); each trial's model calls are recorded separately, and `testTrace()` in a trial (its task and scorers) holds that trial's calls only. */
  repeats?: number
  /** k of pass@k and pass^k (default: `repeats`). */
  k?: number
  /** A case passes when every trial passes (default) or when any does. */
  passOn?: 'every-trial' | 'any-trial'
  /** `fail`: a failing case fails its test; `score`: it is only scored and the suite gate decides. Default: `score` with a threshold, else `fail`. */
  caseFailures?: 'fail' | 'score'
  /** Cases run at once (default 1). Above 1, cases are concurrent tests, also capped by Vitest's `maxConcurrency`. */
  concurrency?: number
  /** Time limit per trial in ms; the task's signal aborts when it passes. Default: Vitest's test timeout, or 60 s per trial when concurrent. */
  timeout?: number
  /** Test name template, `$field` from the row (default `$id`: the case id). */
  name?: string
  /** Field holding the case id (default `id`). */
  idField?: string
  /** When a judged scorer's verdict fails, ask the judge again up to this many times and keep the majority of all verdicts (a failure stands only when more than half fail). Default: none. */
  confirmFailures?: number
  /** Text shown as the case input in reports (default: the row's `input`, `question` or `prompt` field, else the row as JSON). */
  input?: (row: Row) => string
  /** Text shown as the case's expected answer in reports (default: the row's `expected` or `reference` field; objects as JSON, cut at 2,000 characters). */
  expected?: (row: Row) => string
}

/** Name of the test that checks the suite threshold. */
export const SUITE_THRESHOLD_TEST = 'suite threshold'

function positiveInteger(value: number | undefined, option: string, suite: string): number {
  if (value === undefined) return 1
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`describeEval("${suite}") option ${option} must be a whole number >= 1, got ${value}.`)
  return value
}

/** A limiter: at most `size` cases run their trials at once. */
function semaphore(size: number) {
  let running = 0
  const waiting: (() => void)[] = []
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve))
    running += 1
    try {
      return await work()
    } finally {
      running -= 1
      waiting.shift()?.()
    }
  }
}

function gateError(message: string): Error {
  const error = new Error(`[vitest-llm-evals] ${message}`)
  error.name = 'AssertionError'
  return error
}

/**
 * Where `describeEval` was called, captured at the call: its checks run later, in `describe`'s callback after an
 * await, and the gate in a test of its own, so their errors' stacks hold only the library's frames.
 */
function callSiteOf(callee: (...args: never[]) => unknown): CallSiteHolder {
  const callSite: CallSiteHolder = {}
  Error.captureStackTrace(callSite, callee)
  return callSite
}

/** Defines the suite; this library's errors (options, threshold, data) show the line of the describeEval call. */
function defineSuiteAt<Row, Output>(callSite: CallSiteHolder, suite: string, options: DescribeEvalOptions<Row, Output>, variant: string | undefined): Promise<void> {
  // A user's own error (a data function that throws) keeps its stack: it points at the user's line already.
  return defineSuite(suite, options, variant, callSite).catch((error: unknown) => {
    throw error instanceof LlmEvalsError ? pointAtCaller(error, callSite) : error
  })
}

/** Defines the case tests and the gate test inside the current describe block. */
async function defineSuite<Row, Output>(suite: string, options: DescribeEvalOptions<Row, Output>, variant: string | undefined, callSite: CallSiteHolder): Promise<void> {
  // Loaded here, not imported: the reporter shares the library's chunk, and must not load its dependency.
  const suggest = (await import('../closest-name.js')).closestName
  checkSuiteOptions(options as unknown as Record<string, unknown>, suite, suggest)
  const repeats = positiveInteger(options.repeats, 'repeats', suite)
  const concurrency = positiveInteger(options.concurrency, 'concurrency', suite)
  const confirmFailures = confirmFailuresOption(options.confirmFailures, suite)
  const threshold = suiteThresholdOption(options.threshold, suite, suggest)
  if (options.k !== undefined && (!Number.isInteger(options.k) || options.k < 1 || options.k > repeats)) {
    throw new ConfigError(`describeEval("${suite}") option k must be a whole number from 1 to repeats (${repeats}), got ${options.k}.`)
  }
  const data = typeof options.data === 'function' ? await options.data() : await options.data
  const cases = toEvalCases(data, options.name ?? '$id', options.idField)
  // No rows would define no test at all: the suite would pass, unseen.
  if (cases.length === 0) throw new DatasetError(`describeEval("${suite}") has no cases: its data gave no rows. Check the data (an empty file, or a filter that drops every row).`)
  const trialTimeout = options.timeout ?? (concurrency > 1 ? 60_000 : undefined)
  const repeatedErrors = new RepeatedScorerErrors(suite)
  const run = {
    suite,
    task: options.task,
    scorers: options.scorers ?? [],
    repeats,
    passOn: options.passOn ?? 'every-trial',
    caseFailures: options.caseFailures ?? (threshold ? 'score' : 'fail'),
    repeatedErrors,
    callSite,
    ...(options.k === undefined ? {} : { k: options.k }),
    ...(trialTimeout === undefined ? {} : { trialTimeout }),
    ...(variant === undefined ? {} : { variant }),
    ...(options.input ? { input: options.input } : {}),
    ...(options.expected ? { expected: options.expected } : {}),
    ...(confirmFailures ? { confirmFailures } : {}),
  } as const
  const outcomes = new Map<string, CaseOutcome>()
  const limit = semaphore(concurrency)
  // With our own per-trial timer, Vitest's whole-test timeout is off: waiting for a concurrency slot must not count.
  const testOptions = { concurrent: concurrency > 1, ...(trialTimeout === undefined ? {} : { timeout: 0 }) }
  // One `test` per case, as `test.for(cases)('%s', …)` registered them (same names, options and context in
  // Vitest 4.1 and 5), without Vitest formatting each name again.
  // Each case's test, for the gate: one Vitest failed before the case had an outcome (its test timeout) is a failure.
  const caseTests = new Map<string, UnfinishedCase>()
  for (const each of cases) {
    test(each.name, testOptions, (context) => {
      caseTests.set(each.id, context.task)
      // Sequential cases run one at a time already (Vitest's order): no limiter, whose promise and closure every case paid.
      return concurrency > 1 ? limit(() => runCase(context, each.id, each.row, run, outcomes)) : runCase(context, each.id, each.row, run, outcomes)
    })
  }

  // A scorer's ConfigError that failed many cases is reported once more here, with its count.
  afterAll(() => {
    const repeated = repeatedErrors.summary(outcomes.size)
    if (repeated) throw repeated
  })
  if (!threshold) return
  // A non-concurrent test after the cases: Vitest starts it once every (concurrent) case before it has
  // finished. `sequential` is Vitest 4.1's spelling, `concurrent: false` Vitest 5's. Never retried: its verdict
  // is the cases' outcomes, the same on every try (a `retry` would only print the same failure again).
  const sequential = { concurrent: false, sequential: true, retry: 0 } as TestOptions
  test(SUITE_THRESHOLD_TEST, sequential, (context) => {
    const ran = cases.flatMap((each) => outcomes.get(each.id) ?? unfinishedOutcome(each.id, caseTests.get(each.id)) ?? [])
    const verdict = suiteGateVerdict(variant === undefined ? suite : `${suite} [${variant}]`, threshold, ran, cases.length, suggest)
    if (verdict.kind === 'skip') return context.skip(verdict.note)
    if (verdict.kind === 'fail') throw pointAtCaller(gateError(verdict.message), callSite, true)
  })
}

/**
 * An eval suite: one test per dataset row that runs `task(row)` (`repeats` times), applies the scorers,
 * records scores with the case id, and, with `threshold`, a final `suite threshold` test that fails when
 * the suite's mean score or pass rate misses its target, naming metric, value, target and worst cases.
 *
 * @example
 * describeEval('support bot', {
 *   data: loadDataset('evals/support.jsonl', Case),
 *   task: (row, { signal }) => answer(row.question, { signal }),
 *   scorers: [(output, { row, expect }) => expect(output).toBeSimilarTo(row.expected)],
 *   threshold: { mean: 0.8 },
 *   repeats: 3,
 * })
 * @see docs/datasets-and-suites.md#describeeval-suites-with-repeats-and-thresholds
 */
export function describeEval<Row, Output>(name: string, options: DescribeEvalOptions<Row, Output>): void {
  // The rows are awaited while Vitest collects the suite; until then, a failed load must not count as unhandled.
  if (options.data instanceof Promise) options.data.catch(() => undefined)
  const callSite = callSiteOf(describeEval)
  describe(name, { shuffle: false }, () => defineSuiteAt(callSite, name, options, undefined))
}

/** A variant of a suite (a prompt, model or retrieval strategy): its `name` is recorded on every case. */
export interface EvalVariant {
  name: string
}

/** What the task of a variant suite receives: the usual context plus the variant it runs for. */
export interface VariantTaskContext<Variant> extends EvalTaskContext {
  variant: Variant
}

/** Options of `describeEval.each` in object form: the task also receives the variant. */
export type VariantEvalOptions<Row, Output, Variant> = Omit<DescribeEvalOptions<Row, Output>, 'task'> & {
  task: (row: Row, context: VariantTaskContext<Variant>) => Output | Promise<Output>
}

/** The function `describeEval.each(variants)` returns. */
export interface DescribeEachVariant<Variant extends EvalVariant> {
  /** Same options for every variant; the task gets `context.variant` (row types are inferred from `data`). */
  <Row, Output>(name: string, options: VariantEvalOptions<Row, Output, Variant>): void
  /** Options built per variant (e.g. a different threshold); annotate the row type, TypeScript cannot infer it here. */
  <Row, Output>(name: string, optionsFor: (variant: Variant) => DescribeEvalOptions<Row, Output>): void
}

/**
 * The same suite once per variant, side by side. Each variant is a nested describe block named after it;
 * its records carry `variant` for the reporter, and it has its own `suite threshold`.
 *
 * @example
 * describeEval.each([{ name: 'gpt-4.1-mini', model: 'gpt-4.1-mini' }, { name: 'gpt-4.1', model: 'gpt-4.1' }])('support bot', {
 *   data: cases,
 *   task: (row, { variant, signal }) => answer(row.question, { model: variant.model, signal }),
 * })
 */
describeEval.each = function each<Variant extends EvalVariant>(variants: readonly Variant[]): DescribeEachVariant<Variant> {
  const names = variants.map((variant) => variant?.name)
  const repeated = names.find((name, index) => typeof name === 'string' && names.indexOf(name) !== index)
  if (names.some((name) => typeof name !== 'string' || name === '') || repeated !== undefined) {
    throw new ConfigError(`describeEval.each needs variants with unique, non-empty names${repeated === undefined ? '' : ` ("${repeated}" appears twice)`}; got ${JSON.stringify(names)}.`)
  }
  return function describeVariants<Row, Output>(name: string, options: VariantEvalOptions<Row, Output, Variant> | ((variant: Variant) => DescribeEvalOptions<Row, Output>)): void {
    const callSite = callSiteOf(describeVariants)
    const optionsFor = (variant: Variant): DescribeEvalOptions<Row, Output> => {
      if (typeof options === 'function') return options(variant)
      const task = options.task
      // Not a function: left as it is for defineSuite to report.
      if (typeof task !== 'function') return options as unknown as DescribeEvalOptions<Row, Output>
      return { ...options, task: (row, context) => task(row, Object.defineProperties({ variant }, Object.getOwnPropertyDescriptors(context)) as VariantTaskContext<Variant>) }
    }
    describe(name, { shuffle: false }, () => {
      for (const variant of variants) describe(variant.name, { shuffle: false }, () => defineSuiteAt(callSite, name, optionsFor(variant), variant.name))
    })
  }
}
