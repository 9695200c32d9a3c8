import { DEFAULT_RENDER_LIMITS, type BoundedRegions, type RenderCuts } from '../../agents/bound-regions.js'
import { conversationRegions, outputRegions, traceRegions } from '../../agents/render-trace.js'
import { describeReceived, isConversation, isTrace } from '../../agents/shape-guards.js'
import type { Conversation, Trace } from '../../agents/types.js'
import { ConfigError } from '../../errors/index.js'
import { categoryScores } from '../../metrics/judged/categories.js'
import { majorityVote } from '../../metrics/judged/samples.js'
import { quoteJudgeText } from '../options.js'
import { withOverride } from '../prompt.js'
import { taskCompletionPrompt } from '../prompts/task-completion.js'
import { runJudge } from '../run-judge.js'
import { boundedAsStored, type RenderRegions } from '../stored-cuts.js'
import { callSettings, type JudgedScore, type ScorerJudging } from './judged-score.js'

/** A task completion verdict. */
export type TaskCompletionCategory = 'completed' | 'partially-completed' | 'not-completed'

/** Default verdict → score map of {@link scoreTaskCompletion}. */
export const TASK_COMPLETION_SCORES: Readonly<Record<TaskCompletionCategory, number>> = { completed: 1, 'partially-completed': 0.5, 'not-completed': 0 }

/** What a task is judged on: an agent's trace, a conversation, or a plain text output. */
export type TaskRecord = Trace | Conversation | string

/** Options of {@link scoreTaskCompletion}. */
export interface TaskCompletionOptions {
  /** The task, as the test states it: what done looks like. */
  goal: string
  /** Lowest passing score; default 1 (completed). 0.5 accepts partial completion. */
  threshold?: number
  /** Overrides of the verdict → score map (completed 1, partially-completed 0.5, not-completed 0). */
  scores?: Partial<Record<TaskCompletionCategory, number>>
}

/** A record as the judge is shown it: its kind, its description for the prompt, and how its regions are rendered. */
interface TaskRecordView {
  kind: 'trace' | 'conversation' | 'text'
  described: string
  /** What a region left out of the middle is a part of. */
  unit: string
  render: RenderRegions
}

/** The view of a record; a ConfigError when it is no trace, conversation (with turns) or text. */
function taskRecordView(record: unknown, where: string): TaskRecordView {
  if (typeof record === 'string') return { kind: 'text', described: 'a text output', unit: 'output', render: (limits) => outputRegions(record, limits) }
  if (isConversation(record)) {
    if (record.turns.length === 0) throw new ConfigError(`${where} got a conversation with no turns: there is nothing to judge.`)
    const described = `a conversation of ${record.turns.length} turn${record.turns.length === 1 ? '' : 's'}`
    return { kind: 'conversation', described, unit: 'turn', render: (limits) => conversationRegions(record, limits) }
  }
  if (isTrace(record)) {
    const described = `an agent trace of ${record.steps.length} model step${record.steps.length === 1 ? '' : 's'} and ${record.toolCalls.length} tool call${record.toolCalls.length === 1 ? '' : 's'}`
    return { kind: 'trace', described, unit: 'step', render: (limits) => traceRegions(record, limits) }
  }
  throw new ConfigError(
    `${where} needs a trace ({ steps, toolCalls, output }), a conversation (from simulateConversation) or the output text, got ${describeReceived(record)}.`,
  )
}

/** The regions the judge sees for a record, what kind of record it is, and its description for the prompt. */
export function taskRecordRegions(record: unknown, where: string): BoundedRegions & { kind: 'trace' | 'conversation' | 'text'; described: string } {
  const { kind, described, render } = taskRecordView(record, where)
  return { ...render(DEFAULT_RENDER_LIMITS), kind, described }
}

/** A reason line saying the judge saw a shortened record, or nothing. */
export function cutsReason(cuts: RenderCuts): string[] {
  if (cuts.cutTexts === 0 && cuts.omittedRegions === 0) return []
  return [`the judge saw a shortened record: ${cuts.cutTexts} long texts cut, ${cuts.omittedRegions} regions left out of the middle`]
}

/**
 * Did the trace, conversation or output complete the task `goal`: completed 1, partially completed 0.5,
 * not completed 0; passes at `threshold` (default 1). The judge sees every step, tool call (arguments with
 * sorted keys) and result, bounded in size.
 *
 * @example
 * await scoreTaskCompletion(trace, { goal: 'The refund for order 123 is issued.' }, { judge })
 */
export async function scoreTaskCompletion(record: TaskRecord, options: TaskCompletionOptions, judging: ScorerJudging): Promise<JudgedScore> {
  const matcherName = judging.matcherName ?? 'scoreTaskCompletion'
  const threshold = options.threshold ?? 1
  const view = taskRecordView(record, `${matcherName}()`)
  // Cut as the cassette stores the record (see `boundedAsStored`), so a recording replays.
  const shown = { ...(await boundedAsStored(view.render, view.unit, DEFAULT_RENDER_LIMITS)), kind: view.kind, described: view.described }
  const run = await runJudge(judging.judge, {
    matcherName,
    prompt: withOverride(taskCompletionPrompt, judging.prompt),
    variables: { goal: options.goal, received: shown.described, transcript: shown.regions },
    ...callSettings(judging),
  })
  const scores = categoryScores(TASK_COMPLETION_SCORES, options.scores, matcherName)
  const verdict = majorityVote(run.samples.map((sample) => sample.output.verdict), scores)
  const { outcome, reasoning } = run.samples.find((sample) => sample.output.verdict === verdict)!.output
  const score = scores[verdict]
  const cut = shown.cuts.cutTexts + shown.cuts.omittedRegions > 0
  return {
    score,
    pass: score >= threshold,
    threshold,
    reason: `${verdict}: ${outcome}`,
    reasons: [`verdict: ${verdict}`, `outcome: ${quoteJudgeText(outcome)}`, `judge: ${quoteJudgeText(reasoning)}`, ...cutsReason(shown.cuts)],
    details: {
      verdict,
      outcome,
      reasoning,
      received: shown.kind,
      ...(cut ? { cuts: { ...shown.cuts } } : {}),
      ...(run.samples.length > 1 ? { votes: run.samples.map((sample) => sample.output.verdict) } : {}),
    },
    runs: [run],
  }
}
