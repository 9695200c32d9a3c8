// Judge layer: built-in judges, the judge interface, prompts, and the judged scorers (no Vitest needed).
import { classificationPrompt, contextPrecisionPrompt, contextRecallPrompt, factualityPrompt, groundingPrompt, instructionsPrompt, knowledgeRetentionPrompt, pairwisePrompt, relevancePrompt, rubricPrompt, simulatedUserPrompt, taskCompletionPrompt } from './prompts/index.js'

export { createJudge, configureDefaultJudge, resolveJudge } from './resolve-judge.js'
export { createOpenAIJudge } from './openai-judge.js'
export { createAnthropicJudge } from './anthropic-judge.js'
export { createOpenAICompatibleJudge } from './openai-compatible-judge.js'
export { createAiSdkJudge } from './ai-sdk-judge.js'
export type { AiSdkJudgeSettings } from './ai-sdk-judge.js'
export { isJudge, isLanguageModel } from './judge.js'
export type { AiSdkLanguageModel, Judge, JudgeCallOptions, JudgeConfig, JudgeOption, JudgeRequest, JudgeResponse, JudgeUsage, JsonSchema } from './judge.js'
export { runJudge } from './run-judge.js'
export type { JudgeCall, JudgeRun, JudgeSample } from './run-judge.js'
export { promptVersion, judgeJsonSchema } from './prompt.js'
export type { JudgePrompt, PromptOverride } from './prompt.js'
export { scoreFactuality, scoreGrounding, scoreReferenceFactuality } from './scorers/factuality.js'
export type { FactualityOptions } from './scorers/factuality.js'
export { scoreRelevance, RELEVANCE_SCORES } from './scorers/relevance.js'
export { scoreRubric } from './scorers/rubric.js'
export type { Rubric, RubricOptions } from './scorers/rubric.js'
export { categoryEntries, scoreCategory } from './scorers/classification.js'
export type { Categories, CategoryEntry, CategoryOptions } from './scorers/classification.js'
export { scorePreference } from './scorers/preference.js'
export { scoreContextPrecision, scoreContextRecall } from './scorers/context.js'
export { scoreFreeTextInstructions } from './scorers/instructions.js'
export type { FreeTextVerdict } from './scorers/instructions.js'
export type { JudgedScore, ScorerJudging } from './scorers/judged-score.js'
export { scoreTaskCompletion, TASK_COMPLETION_SCORES } from './scorers/task-completion.js'
export type { TaskCompletionCategory, TaskCompletionOptions, TaskRecord } from './scorers/task-completion.js'
export { scoreKnowledgeRetention, retentionScore } from './scorers/knowledge-retention.js'

/**
 * The built-in judge prompts, to read (system text, template, schema) or to start an override from.
 *
 * @example
 * console.log(judgePrompts.factuality.template)
 */
export const judgePrompts = {
  factuality: factualityPrompt,
  grounding: groundingPrompt,
  relevance: relevancePrompt,
  rubric: rubricPrompt,
  classification: classificationPrompt,
  pairwise: pairwisePrompt,
  contextRecall: contextRecallPrompt,
  contextPrecision: contextPrecisionPrompt,
  instructions: instructionsPrompt,
  taskCompletion: taskCompletionPrompt,
  knowledgeRetention: knowledgeRetentionPrompt,
  simulatedUser: simulatedUserPrompt,
} as const
