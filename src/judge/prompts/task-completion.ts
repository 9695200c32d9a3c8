import type { z } from 'zod'
import { lazyZodSchema } from '../../lazy-schema.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

/** Task completion verdicts, best first. */
export const TASK_COMPLETION_VERDICTS = ['completed', 'partially-completed', 'not-completed'] as const

const schema = lazyZodSchema((z) => z.object({ outcome: z.string(), reasoning: z.string(), verdict: z.enum(TASK_COMPLETION_VERDICTS) }))

/** A task completion verdict: what was achieved, the comparison with the task, then the verdict. */
export type TaskCompletionVerdict = z.infer<ReturnType<typeof schema>>

/**
 * Did an agent (a trace), an assistant (a conversation) or a plain output complete the task. Slots: goal
 * (the task, as the test states it), received (what kind of record follows), transcript (its regions).
 */
export const taskCompletionPrompt: JudgePrompt<TaskCompletionVerdict> = {
  id: 'task-completion',
  schemaName: 'task_completion_verdict',
  get schema() {
    return schema()
  },
  system:
    'You judge whether an AI agent or assistant completed a task, from the record of what it did. Judge by what was actually done, ' +
    `not by what the agent says it did. ${untrustedRegionsNote('to judge')}`,
  untrusted: { transcript: 'output' },
  template: `The task:
<task>
{{goal}}
</task>

The record ({{received}}), in order:
{{transcript}}

Regions: "user" and "assistant" are the turns of a conversation; "model_text" is text the agent's model wrote on
the way; "tool_call" is a tool the agent called, with its arguments; "tool_result" and "tool_error" are what that
tool returned or the error it raised; "output" is the final answer; "omitted" says what was left out to keep this
record short. The index of a region is its step or turn number.

A claim of success that the tool calls and their results do not back is not completion, and neither is an
action on the wrong thing (another order, another account, other values than the task asked for).

Fill in, in this order: "outcome" (what was actually achieved, in one or two sentences), "reasoning" (the outcome
against each part of the task), then "verdict":
- "completed": every part of the task is done.
- "partially-completed": some of the task is done; some is missing or wrong.
- "not-completed": the task is not done, or only claimed to be.`,
}
