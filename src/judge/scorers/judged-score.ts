import type { JsonValue } from '../../metrics/score-record.js'
import type { Judge } from '../judge.js'
import type { PromptOverride } from '../prompt.js'
import type { JudgeRun } from '../run-judge.js'

/** What every judged scorer returns: the score, the verdict, and what the judge said. */
export interface JudgedScore {
  /** 0..1 */
  score: number
  pass: boolean
  threshold?: number
  /** One line on why, for the score record. */
  reason: string
  /** Lines for a failure message (judge text already quoted and escaped). */
  reasons: string[]
  details: { [key: string]: JsonValue }
  /** Every judge run behind the score (for `judge` and `usage` of the record). */
  runs: JudgeRun<unknown>[]
}

/** How a scorer calls its judge. */
export interface ScorerJudging {
  judge: Judge
  /** For messages, e.g. `toBeFactual`; default the scorer's name. */
  matcherName?: string
  samples?: number
  prompt?: PromptOverride
  /** Cancels the judge calls (e.g. when the test ends); in a `describeEval` scorer, pass its `signal`. */
  signal?: AbortSignal
}

/** The `samples` and `signal` of a scorer's judge calls, as `runJudge` takes them. */
export function callSettings(judging: ScorerJudging): { samples?: number; signal?: AbortSignal } {
  return { ...(judging.samples === undefined ? {} : { samples: judging.samples }), ...(judging.signal ? { signal: judging.signal } : {}) }
}

/** Context as a list of chunks (the prompts show each as its own numbered region). */
export function contextList(context: string | readonly string[]): string[] {
  return typeof context === 'string' ? [context] : [...context]
}
