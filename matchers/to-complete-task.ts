import type { MatcherState } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../src/lazy-schema.js'
import { ConfigError } from '../src/errors/index.js'
import { judgedOptionsShape, judgedScoreRecord, type JudgedOptions } from '../src/judge/options.js'
import { TASK_COMPLETION_VERDICTS } from '../src/judge/prompts/task-completion.js'
import { scoreTaskCompletion, taskRecordRegions, type TaskCompletionCategory, type TaskRecord } from '../src/judge/scorers/task-completion.js'
import { formatScore, truncateOutput } from './shared/failure-message.js'
import { judgingFor } from './shared/judging.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { keepConversation } from './shared/trace-matching.js'
import { recordPreview, recordSummary } from './shared/record-preview.js'
import { isConversation, isTrace } from '../src/agents/shape-guards.js'
import { keepTrace, receivedTrace } from './shared/trace-matching.js'

/** Options of `toCompleteTask`. */
export interface CompleteTaskOptions extends JudgedOptions {
  /** Lowest passing score; default 1 (completed). 0.5 accepts partial completion. */
  threshold?: number
  /** Overrides of the verdict → score map (completed 1, partially-completed 0.5, not-completed 0). */
  scores?: Partial<Record<TaskCompletionCategory, number>>
}

const OptionsSchema = lazySchema(() =>
  z.strictObject({
    ...judgedOptionsShape(),
    threshold: z.number().min(0).max(1).optional(),
    scores: z.partialRecord(z.enum(TASK_COMPLETION_VERDICTS), z.number().min(0).max(1)).optional(),
  }),
)

/**
 * Passes when the judge finds that the agent's trace, the conversation, or the output completed the task
 * `goal`, judged on what was actually done (tool calls and their results), not on what was claimed.
 *
 * @example
 * await expect(trace).toCompleteTask('The refund for order 123 is issued and the customer is told when it arrives.')
 * @see docs/agents.md#task-completion-and-simulated-conversations
 */
export function toCompleteTask(this: MatcherState, received: unknown, goal: string, options: CompleteTaskOptions = {}): Promise<MatcherOutcome> {
  if (typeof goal !== 'string' || goal.trim() === '') {
    throw new ConfigError("toCompleteTask() needs the task as a non-empty string, e.g. 'The refund for order 123 is issued.'.")
  }
  // A text or a conversation is judged as it is; anything else is read as a trace (an SDK result, the AI SDK's
  // steps, testTrace() with calls still being recorded). A value of the wrong kind is a misuse, thrown before any judge call.
  const asIs = typeof received === 'string' || isConversation(received)
  if (asIs) taskRecordRegions(received, 'toCompleteTask()')
  const reading: Promise<unknown> = asIs ? Promise.resolve(received) : receivedTrace('toCompleteTask', received)
  const parsed = parseMatcherOptions('toCompleteTask', OptionsSchema(), options)
  const judging = judgingFor(this, 'toCompleteTask', parsed)
  keepConversation(this, received)
  const scoring = { goal, ...(parsed.threshold === undefined ? {} : { threshold: parsed.threshold }), ...(parsed.scores ? { scores: parsed.scores } : {}) }
  return reading.then((record) => {
    taskRecordRegions(record, 'toCompleteTask()')
    if (isTrace(record)) keepTrace(this, record)
    return scoreTaskCompletion(record as TaskRecord, scoring, judging).then((result) => ({ record, result }))
  }).then(({ record: received, result }) =>
    toMatcherResult(this, {
      record: judgedScoreRecord('task-completion', result),
      report: {
        matcherName: 'toCompleteTask',
        expectedLabel: 'goal',
        expectation: `to complete the task ${JSON.stringify(truncateOutput(goal, 120))} (score >= ${formatScore(result.threshold ?? 1)})`,
        scoreLabel: 'task completion',
        reasons: [...recordSummary(received), ...result.reasons],
        output: recordPreview(received),
      },
      expected: goal,
    }),
  )
}
