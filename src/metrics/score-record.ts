/** A JSON value: what a score record may carry in `details` (records are written to disk as JSON). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** Which attempt of a test produced a record: Vitest's retry and repeat counters, both zero-based. */
export interface ScoreAttempt {
  retry: number
  repeat: number
}

/** The judge model that produced a score, so history can tell apart scores from different graders. */
export interface ScoreJudge {
  provider: string
  model: string
  promptVersion: string
}

/** Token usage and cost of the model calls a matcher made to produce its score. */
export interface ScoreUsage {
  inputTokens?: number
  outputTokens?: number
  costUsd?: number
}

/**
 * One score, pushed by every matcher call onto the running test's `task.meta.evals` (**contract**,
 * see DESIGN.md "Score records"). Plain JSON only: the reporter serializes it as is.
 *
 * @example
 * const record: ScoreRecord = { metric: 'similarity:rouge-l', score: 0.8, pass: true, threshold: 0.7, attempt: { retry: 0, repeat: 0 } }
 */
export interface ScoreRecord {
  /** What was measured, e.g. `similarity:bleu`, `schema`, `retrieval:ndcg`, `instructions`. */
  metric: string
  /** 0..1, higher is better. */
  score: number
  /** The matcher's verdict before `.not` is applied. */
  pass: boolean
  threshold?: number
  reason?: string
  details?: JsonValue
  /** The dataset case the test runs, from `task.meta.caseId`. */
  caseId?: string
  attempt: ScoreAttempt
  judge?: ScoreJudge
  usage?: ScoreUsage
  /** Line and column of the matcher call in the test file: where the score's Vitest annotation points. */
  location?: { line: number; column: number }
}

/** True for a `toMatchHumanLabel` record still waiting for its human label: listed for review, never scored. */
export function isAwaitingLabel(record: Pick<ScoreRecord, 'details'>): boolean {
  return (record.details as { awaitingLabel?: unknown } | undefined)?.awaitingLabel === true
}
