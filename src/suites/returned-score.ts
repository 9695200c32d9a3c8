// What a `describeEval` scorer returns, checked and recorded: a score result, a bare number (the score of a
// metric named after the scorer), or nothing (it called matchers). Anything else fails clearly, naming the
// scorer, the case and the value, never ignored. Pure: no Vitest.
import { ConfigError } from '../errors/index.js'
import { jsonRecord } from '../json-record.js'
import type { JsonValue, ScoreRecord } from '../metrics/score-record.js'
import { shownValue } from './suite-threshold.js'

/** Threshold of a returned score that gives neither `pass` nor `threshold`. */
const DEFAULT_SCORE_THRESHOLD = 0.5

/**
 * A plain score a scorer may return instead of calling a matcher. `pass` defaults to `score >= (threshold ?? 0.5)`.
 * The metric is `metric`, else `name` (the `{ name, score, metadata }` of autoevals scorers), else named after
 * the scorer function as a bare number is (the `{ score, metadata }` of vitest-evals scorers). `metadata` is
 * kept as `details` when there are none, and its `rationale` text as the `reason` when there is none.
 */
export interface ScoreResult {
  metric?: string
  score: number
  pass?: boolean
  threshold?: number
  reason?: string
  details?: JsonValue
  /** autoevals' name of the score, used as the metric when there is no `metric`. */
  name?: string
  /** autoevals' / vitest-evals' extra data. */
  metadata?: JsonValue
}

/** A returned score as it is checked and recorded: its metric named. */
export type NamedScore = Omit<ScoreResult, 'metric' | 'name' | 'metadata'> & { metric: unknown }

/** A returned plain object; any other object a scorer returns (e.g. an `expect(…)` chain) is ignored. */
function isScoreResult(value: unknown): value is ScoreResult {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** The metric of a number a scorer returns: the scorer function's name (`brevity`), else its place (`scorer-2`). */
export function scorerMetric(scorer: { name: string }, index: number): string {
  const name = scorer.name.replace(/^(bound )+/, '')
  return name === '' ? `scorer-${index + 1}` : name
}

/** A scorer's return value as a score result, or undefined when it returned no score (nothing, or an object such as an `expect(…)` chain). */
export function returnedScore(value: unknown, scorer: { name: string }, index: number, suite: string, caseId: string): NamedScore | undefined {
  if (typeof value === 'number') return { metric: scorerMetric(scorer, index), score: value }
  if (isScoreResult(value)) return namedScore(value, scorer, index)
  if (value === undefined || value === null || typeof value === 'object' || typeof value === 'function') return undefined
  throw new ConfigError(`Scorer #${index + 1} of describeEval("${suite}") returned ${shownValue(value)} for case "${caseId}"; a scorer returns a score (a number within 0..1, or { metric, score, pass? }), or calls a matcher on context.expect.`)
}

/** The metric of a returned score result (`metric`, else autoevals' `name`, else the scorer's), with `metadata` kept. */
function namedScore(value: ScoreResult, scorer: { name: string }, index: number): NamedScore {
  const { metric, name, metadata, ...score } = value
  const named: NamedScore = { ...score, metric: metric ?? (typeof name === 'string' && name !== '' ? name : scorerMetric(scorer, index)) }
  if (metadata === undefined || metadata === null) return named
  if (named.details === undefined) named.details = metadata
  const rationale = typeof metadata === 'object' && !Array.isArray(metadata) ? (metadata as { rationale?: unknown }).rationale : undefined
  if (named.reason === undefined && typeof rationale === 'string' && rationale !== '') named.reason = rationale
  return named
}

/**
 * Checks a returned score and records it on the case's meta; returns whether it passed. A score without a
 * metric name, a score or threshold that is not a number within 0..1 (NaN, Infinity, a string) is a ConfigError
 * naming scorer, case and value.
 */
export function recordResult(meta: { evals?: ScoreRecord[] }, result: NamedScore, suite: string, caseId: string, index: number): boolean {
  const scorer = (): string => `Scorer #${index + 1} of describeEval("${suite}")`
  if (typeof result.metric !== 'string' || result.metric === '') {
    throw new ConfigError(`${scorer()} returned ${shownValue(result)} for case "${caseId}" without a metric name; return { metric: 'name', score }, or the score alone (a number: its metric is named after the scorer function).`)
  }
  const score = result.score as unknown
  if (!(typeof score === 'number' && score >= 0 && score <= 1)) {
    throw new ConfigError(`${scorer()} returned a score of ${shownValue(score)} for case "${caseId}" (metric "${result.metric}"); a score is a number within 0..1.`)
  }
  const given = result.threshold as unknown
  if (given !== undefined && !(typeof given === 'number' && given >= 0 && given <= 1)) {
    // NaN or a string would be recorded as a threshold no reader can show (the annotation threw on `null`).
    throw new ConfigError(`${scorer()} returned a threshold of ${shownValue(given)} for case "${caseId}" (metric "${result.metric}"); a threshold is a number within 0..1.`)
  }
  // Without its own `pass`, the score is judged against a threshold (0.5 unless given): recorded, so the
  // annotation and the report show it as they do a matcher's (`brevity 0 ✗ (needs ≥ 0.5)`).
  const threshold = result.pass === undefined ? (result.threshold ?? DEFAULT_SCORE_THRESHOLD) : result.threshold
  const pass = result.pass ?? result.score >= (result.threshold ?? DEFAULT_SCORE_THRESHOLD)
  meta.evals ??= []
  // The scorer's fields as JSON keeps them; the library's own (`attempt`, set again when the trial ends) added after,
  // not sent through jsonRecord's JSON round trip for nested values.
  const record = jsonRecord({ ...result, pass, ...(threshold === undefined ? {} : { threshold }), caseId }) as unknown as ScoreRecord
  record.attempt = { retry: 0, repeat: 0 }
  meta.evals.push(record)
  return pass
}

