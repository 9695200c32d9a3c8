import type { ScoreRecord } from '../src/metrics/score-record.js'
import type { StoredTrace } from '../src/agents/trace-bounded.js'
import type { StoredConversation } from '../src/agents/conversation-bounded.js'
import type { Relevance } from '../src/metrics/retrieval/index.js'
import type { SimilarityOptions } from './to-be-similar-to.js'
import type { FollowInstructionsOptions, Instruction } from './to-follow-instructions.js'
import type { HumanLabelOptions } from './to-match-human-label.js'
import type { LabelValue } from '../src/metrics/agreement/compare-labels.js'
import type { HumanLabelReference } from '../src/review/human-label.js'
import type { ResponseSnapshotOptions } from './to-match-response-snapshot.js'
import type { SchemaLike } from './to-match-schema.js'
import type { RetrieveOptions } from './to-retrieve.js'
import type { FactualMatcherOptions } from './to-be-factual.js'
import type { GroundedInOptions } from './to-be-grounded-in.js'
import type { RelevantToOptions } from './to-be-relevant-to.js'
import type { SatisfyRubricOptions } from './to-satisfy-rubric.js'
import type { PreferOverOptions } from './to-prefer-over.js'
import type { RecallReferenceOptions } from './to-recall-reference.js'
import type { ContextPrecisionOptions } from './to-have-context-precision.js'
import type { Rubric } from '../src/judge/scorers/rubric.js'
import type { ToolCallOptions } from './to-call-tool.js'
import type { ToolCallsOptions } from './to-call-tools.js'
import type { ExpectedToolCall } from '../src/agents/tool-calls-check.js'
import type { ToolArgs } from '../src/agents/tool-calls-args.js'
import type { CompleteTaskOptions } from './to-complete-task.js'
import type { RetainKnowledgeOptions } from './to-retain-knowledge.js'

/** The matchers vitest-llm-evals adds to `expect(output)`. All are async: always `await` them. */
export interface LlmEvalsMatchers {
  /** Output is at least `threshold` similar to `expected` (`rouge-l` ≥ 0.8 by default). */
  toBeSimilarTo(expected: string, options?: SimilarityOptions): Promise<void>
  /** The output follows every instruction (IFEval verifiable instructions in code, free text by the judge). */
  toFollowInstructions(instructions: readonly Instruction[], options?: FollowInstructionsOptions): Promise<void>
  /** The JSON in the output matches the zod (or other Standard Schema) schema. */
  toMatchSchema(schema: SchemaLike): Promise<void>
  /** The ranked results reach `threshold` on a retrieval metric at `k`. */
  toRetrieve(relevant: Relevance, options?: RetrieveOptions): Promise<void>
  /** The output is similar to the response stored for this test on the first run. */
  toMatchResponseSnapshot(options?: ResponseSnapshotOptions): Promise<void>
  /** The output (or its grader's or the judge's verdict, from a rubric or categories) equals the human label; records the (automated, human) pair. */
  toMatchHumanLabel(label: LabelValue | HumanLabelReference, options?: HumanLabelOptions): Promise<void>
  /** Judge: consistent with a `reference` answer (5-way comparison) and/or grounded in a `context`. */
  toBeFactual(options: FactualMatcherOptions): Promise<void>
  /** Judge: every claim of the output is supported by the context, none contradicted. */
  toBeGroundedIn(context: string | readonly string[], options?: GroundedInOptions): Promise<void>
  /** Judge: the output addresses the question. */
  toBeRelevantTo(question: string, options?: RelevantToOptions): Promise<void>
  /** Judge (G-Eval style): the score on the rubric's scale, normalised, reaches `threshold` (0.75). */
  toSatisfyRubric(rubric: Rubric, options?: SatisfyRubricOptions): Promise<void>
  /** Judge, both orders: the output is preferred over `baseline` on `criterion`. */
  toPreferOver(baseline: string, criterion: string, options?: PreferOverOptions): Promise<void>
  /** Judge: the retrieved context supports the claims of the reference answer (context recall). */
  toRecallReference(reference: string, options?: RecallReferenceOptions): Promise<void>
  /** Judge: useful chunks are ranked first (average precision of the chunks judged useful). */
  toHaveContextPrecision(options: ContextPrecisionOptions): Promise<void>
  /** The trace (anything `traceOf` reads) calls the tool, with matching `args`, `times` times (default: at least once). `.not` forbids it. */
  toCallTool<Args = ToolArgs>(name: string, options?: ToolCallOptions<Args>): Promise<void>
  /** The trace's tool calls match `expected` in `mode` (`strict` by default, or `unordered`, `subset`, `superset`). */
  toCallTools(expected: ReadonlyArray<string | ExpectedToolCall>, options?: ToolCallsOptions): Promise<void>
  /** Judge: the trace, conversation or output completed the task `goal` (judged on what was done, not claimed). */
  toCompleteTask(goal: string, options?: CompleteTaskOptions): Promise<void>
  /** Judge, on a conversation: no assistant reply forgets what the user said in earlier turns. */
  toRetainKnowledge(options?: RetainKnowledgeOptions): Promise<void>
}

// `Matchers` has type parameters `<T>` in Vitest 4.1 and `<R, T>` in Vitest 5. A declaration without
// type parameters merges with either (TypeScript only requires a declaration's parameters to fit the
// first ones), and these matchers do not need them: they always return `Promise<void>`.
// `Assertion` (`expect(x).…`) extends `Matchers` in both versions (Vitest 5 also lists them on `expect.…`
// for asymmetric use, which cannot work for async matchers: do not use them inside `toEqual`).
declare module 'vitest' {
  interface Matchers extends LlmEvalsMatchers {}
  interface TaskMeta {
    /** Score records pushed by vitest-llm-evals matchers (DESIGN.md "Score records"). */
    evals?: ScoreRecord[]
    /** A bounded copy of the last trace a trace matcher asserted on, or a `describeEval` task returned (for reports). */
    trace?: StoredTrace
    /** A bounded copy of the last conversation `toCompleteTask` / `toRetainKnowledge` judged, or a `describeEval` task returned (for reports). */
    conversation?: StoredConversation
  }
}
