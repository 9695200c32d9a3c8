import { lazyZodSchema } from '../lazy-schema.js'
import type { ScoreJudge, ScoreRecord, ScoreUsage } from '../metrics/score-record.js'
import { isJudge, isLanguageModel, type JudgeOption } from './judge.js'
import type { PromptOverride } from './prompt.js'
import { judgeConfigSchema } from './resolve-judge.js'
import type { JudgeRun } from './run-judge.js'
import type { JudgedScore } from './scorers/judged-score.js'

/** Options every judged matcher takes. */
export interface JudgedOptions {
  /** This call's judge: a config (`{ provider, model, client? }`), a `Judge` or an AI SDK model; default the plugin's `judge`. */
  judge?: JudgeOption
  /** Judge calls for this verdict (odd): majority vote, or mean for rubric scores. Default the judge's, else 1. */
  samples?: number
  /** Replace the prompt's system text and/or template (same `{{slots}}`); changes the prompt version. */
  prompt?: PromptOverride
}

/** Zod shape of {@link JudgedOptions}, to spread into a matcher's options schema (built on first use). */
export const judgedOptionsShape = lazyZodSchema((z) => ({
  judge: z
    .custom<JudgeOption>(
      (value) => isJudge(value) || isLanguageModel(value) || judgeConfigSchema().safeParse(value).success,
      "must be a Judge object, an AI SDK language model (e.g. openai('gpt-4o-mini')) or { provider: 'openai' | 'anthropic' | 'google' | 'openai-compatible', model: string, baseURL?, apiKeyEnv?, client?, temperature?, samples?, maxConcurrency?, maxRetries?, maxTokens?, timeoutMs? }",
    )
    .optional(),
  samples: z
    .number()
    .int()
    .positive()
    .refine((value) => value % 2 === 1, 'must be an odd number (1, 3, 5…) so majority votes cannot tie')
    .optional(),
  prompt: z.strictObject({ system: z.string().min(1).optional(), template: z.string().min(1).optional() }).optional(),
}))

/** The `judge` and `usage` fields of a score record from one or more judge runs (usage summed). */
export function judgeRecordFields(runs: readonly JudgeRun<unknown>[]): { judge: ScoreJudge; usage: ScoreUsage } {
  const first = runs[0]
  if (!first) throw new RangeError('judgeRecordFields needs at least one run')
  const usage: ScoreUsage = {
    inputTokens: runs.reduce((sum, run) => sum + (run.usage.inputTokens ?? 0), 0),
    outputTokens: runs.reduce((sum, run) => sum + (run.usage.outputTokens ?? 0), 0),
  }
  const versions = [...new Set(runs.map((run) => run.judge.promptVersion))]
  return { judge: { ...first.judge, promptVersion: versions.join('+') }, usage }
}

/**
 * Judge text as shown in a failure message: quoted as a JSON string (newlines and control characters
 * escaped, since it is untrusted model output) and cut at `limit` characters.
 *
 * @example
 * quoteJudgeText('The answer says "Lyon".') // '"The answer says \\"Lyon\\"."'
 */
export function quoteJudgeText(text: string, limit = 300): string {
  return JSON.stringify(text.length > limit ? `${text.slice(0, limit)}… (+${text.length - limit} chars)` : text)
}

/**
 * The score record of a judged score (without `attempt` / `caseId`, which the test supplies).
 *
 * @example
 * recordScore(this, judgedScoreRecord('relevance', await scoreRelevance(output, { question }, { judge })))
 */
export function judgedScoreRecord(metric: string, result: JudgedScore): Omit<ScoreRecord, 'attempt' | 'caseId'> {
  return {
    metric,
    score: result.score,
    pass: result.pass,
    ...(result.threshold === undefined ? {} : { threshold: result.threshold }),
    reason: result.reason,
    details: result.details,
    ...judgeRecordFields(result.runs),
  }
}
