// Public API of `vitest-llm-evals`. Named re-exports only: the list below is the contract surface.
export {
  LlmEvalsError,
  ConfigError,
  CassetteError,
  CassetteMissError,
  SecretLeakError,
  DatasetError,
  LabelsError,
  JudgeError,
  isLlmEvalsError,
  isCassetteMiss,
} from './errors/index.js'
export { withCallRole } from './cassettes/scope.js'
export { requestKey, stableStringify } from './cassettes/canonical.js'
export type { CanonicalRequest, NormalizeRequest } from './cassettes/canonical.js'
export type { CallRole, CassetteEntry, CassetteDocument } from './cassettes/entry.js'
export type { ToolRecord, ToolError } from './cassettes/entry.js'
export { recordTool } from './agents/record-tool.js'
export type { RecordedTool, ToolFunction } from './agents/record-tool.js'
export { resolveCassetteMode, CASSETTE_MODES, MODE_ENV_VAR } from './cassettes/mode.js'
export type { CassetteMode } from './cassettes/mode.js'
export type { LlmEvalsOptions } from './config.js'

// Deterministic scoring: plain functions, no Vitest needed (usable in production monitoring too).
// Every pure scorer and statistic (instructions, similarity, retrieval, JSON, agreement, trials), as
// `vitest-llm-evals/metrics` exports them: one list, so the two entries cannot drift apart.
export * from './metrics/index.js'
export { createOpenAIEmbedder, DEFAULT_EMBEDDING_MODEL } from './judge/embedder.js'
export type { Embedder, OpenAIEmbedderOptions } from './judge/embedder.js'
export { isAwaitingLabel } from './metrics/score-record.js'
export type { LlmEvalsMatchers } from '../matchers/types.js'
export type { HumanLabelOptions, GraderLabelOptions, RubricLabelOptions, CategoryLabelOptions, Grader, GraderVerdict } from '../matchers/to-match-human-label.js'

// Human labels: the labels file, humanLabel(), the review page (the agreement statistics come with the metrics above).
export { humanLabel } from './review/human-label.js'
export type { HumanLabelReference } from './review/human-label.js'
export { readLabels, appendLabel, latestLabels, outputHash, DEFAULT_LABELS_FILE } from './review/labels-file.js'
export type { HumanLabel } from './review/labels-file.js'
export { startReviewServer } from './review/review-server.js'
export { disagreementExamples } from './review/agreement-report.js'
export type { DisagreementExample } from './review/agreement-report.js'

// Score history (what the reporter writes), for tools of your own.
export { readHistory } from './history/history-file.js'
export type { HistoryRun, CaseScore, GroupAggregate } from './history/run-record.js'

// Datasets and eval suites (`evalEach` / `describeEval` build Vitest tests, so they import Vitest;
// everything pure is also available without Vitest from `vitest-llm-evals/metrics`).
export {
  loadDataset,
  streamDataset,
  caseIdOf,
  contentHash,
  inspectDataset,
  oversample,
  toFineTuningJsonl,
  writeFineTuningJsonl,
  examplesFromReviewedFailures,
} from './datasets/index.js'
export type {
  DatasetSource,
  LoadDatasetOptions,
  DatasetEntry,
  DatasetReport,
  InspectDatasetOptions,
  FineTuningFormat,
  FineTuningOptions,
  ReviewedExample,
} from './datasets/index.js'
export { evalEach, describeEval } from './suites/index.js'
export type { DescribeEvalOptions, EvalVariant, EvalTaskContext, Scorer, ScorerContext, ScoreResult, SuiteThreshold, EvalEachOptions } from './suites/index.js'

// Judges: model-graded scoring through the official SDKs (structured output / forced tool call),
// recorded in cassettes as `judge` calls. The matchers use these; scripts can too.
export {
  createJudge,
  createOpenAIJudge,
  createAnthropicJudge,
  createOpenAICompatibleJudge,
  createAiSdkJudge,
  configureDefaultJudge,
  isJudge,
  judgePrompts,
  promptVersion,
  scoreFactuality,
  scoreReferenceFactuality,
  scoreGrounding,
  scoreRelevance,
  scoreRubric,
  scorePreference,
  scoreContextRecall,
  scoreContextPrecision,
  scoreFreeTextInstructions,
  scoreCategory,
  scoreTaskCompletion,
  scoreKnowledgeRetention,
} from './judge/index.js'
export type { Categories, CategoryOptions } from './judge/index.js'
export type { AiSdkJudgeSettings, AiSdkLanguageModel } from './judge/index.js'
export type { Judge, JudgeCallOptions, JudgeConfig, JudgeOption, JudgeRequest, JudgeResponse, JudgeUsage, JudgePrompt, PromptOverride, Rubric, RubricOptions, FactualityOptions, FreeTextVerdict, JudgedScore } from './judge/index.js'

// Agents: what an agent did (its model steps and tool calls) as a Trace, from the cassettes or an SDK result.
export { testTrace, settledTrace } from './agents/test-trace.js'
export { traceOf, isTrace } from './agents/trace-of.js'
export type { TraceInput, ToolCallInput } from './agents/trace-of.js'
export { traceFromExchanges } from './agents/trace-exchanges.js'
export type { TraceExchange, TraceFromExchangesOptions } from './agents/trace-exchanges.js'
export type { ToolRecord as TraceToolRecord } from './agents/trace-assemble.js'
export { boundedTrace } from './agents/trace-bounded.js'
export type { StoredTrace } from './agents/trace-bounded.js'
export { boundedConversation } from './agents/conversation-bounded.js'
export type { StoredConversation, StoredTurn } from './agents/conversation-bounded.js'
export { checkToolCall } from './agents/tool-call-check.js'
export { checkToolCalls } from './agents/tool-calls-check.js'
export { checkArgs } from './agents/tool-calls-args.js'
export type { CallTimes, ToolCallExpectation, ToolCallVerdict } from './agents/tool-call-check.js'
export type { ToolCallsMode, ExpectedToolCall, ArgsOption, ToolCallsVerdict, CallRow } from './agents/tool-calls-check.js'
export type { ArgsExpectation, ArgsMode, ArgsComparator, ArgsPredicate, ArgsSchema, ToolArgs } from './agents/tool-calls-args.js'
export type { ToolCallOptions } from '../matchers/to-call-tool.js'
export type { ToolCallsOptions } from '../matchers/to-call-tools.js'
export type { Trace, TraceStep, ToolCall, TraceProvider } from './agents/types.js'
// Agent evals: simulated conversations (task completion and knowledge retention are judged matchers above).
export { simulateConversation } from './agents/simulate-conversation.js'
export type { SimulateConversationOptions, ScriptedUser, SimulatedUser, ConversationApp, AppReply, ConversationSoFar } from './agents/conversation-options.js'
export type { TaskCompletionCategory, TaskCompletionOptions, TaskRecord } from './judge/index.js'
export type { CompleteTaskOptions } from '../matchers/to-complete-task.js'
export type { RetainKnowledgeOptions } from '../matchers/to-retain-knowledge.js'
export type { Conversation, ConversationTurn, ConversationMessage, ConversationEnd } from './agents/types.js'
