import type { ScoreRecord } from '../metrics/score-record.js'
import type { TrialStatistics } from '../metrics/trials/index.js'
import type { StoredTrace } from '../agents/trace-bounded.js'
import type { StoredConversation } from '../agents/conversation-bounded.js'
import type { CaseError } from './case-error.js'
import type { TrialOutputs } from './trial-outputs.js'

/**
 * What eval suites store on `task.meta` (plain JSON, read by the score-history reporter): the case id
 * every score record carries, the variant, the input and output shown in reports, and per-metric trial
 * statistics. Kept as a local view instead of a `TaskMeta` augmentation so it cannot clash with others.
 */
export interface EvalTaskMeta {
  evals?: ScoreRecord[]
  caseId?: string
  variant?: string
  input?: string
  /** What the case expects, shown beside the output in reports. */
  expected?: string
  output?: string
  /** With several trials: each trial's output, by `attempt.repeat` (the last 10 trials; see `trial-outputs.ts`). */
  trialOutputs?: TrialOutputs
  /** The whole output's hash of each trial whose kept output was cut (by `attempt.repeat`). */
  trialOutputHashes?: TrialOutputs
  /** Per metric: statistics over the case's trials (only when `repeats` > 1). */
  trials?: Record<string, TrialStatistics>
  /** A bounded copy of the trace the task returned (a Trace, or a Conversation's turns), for reports. */
  trace?: StoredTrace
  /** A bounded copy of the conversation the task returned, for reports. */
  conversation?: StoredConversation
  /** Why the case's last try could not score it (its task threw or timed out, a scorer threw): the report lists it as failed. */
  caseError?: CaseError
}

/** The running test's meta, typed as what eval suites write to it. */
export function evalMeta(task: { meta: object }): EvalTaskMeta {
  return task.meta as EvalTaskMeta
}
