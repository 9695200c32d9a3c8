import { lazyZodSchema } from '../lazy-schema.js'
import { ConfigError } from '../errors/index.js'
import { createAnthropicJudge } from './anthropic-judge.js'
import { API_KEY_ENV_MESSAGE, checkJudgeEndpoint, ENV_VARIABLE_NAME } from './config-rules.js'
import { defaultJudgeOption, setDefaultJudgeOption } from './default-judge.js'
import { createAiSdkJudge } from './ai-sdk-judge.js'
import { isJudge, isLanguageModel, MAX_JUDGE_TIMEOUT_MS, type AiSdkLanguageModel, type Judge, type JudgeConfig, type JudgeOption } from './judge.js'
import { createGoogleJudge } from './google-judge.js'
import { createOpenAICompatibleJudge } from './openai-compatible-judge.js'
import { createOpenAIJudge } from './openai-judge.js'

/** Schema of a built-in judge's config (the `judge` option of the plugin and of each judged matcher), built on first use. */
export const judgeConfigSchema = lazyZodSchema((z) =>
  z.strictObject({
    provider: z.enum(['openai', 'anthropic', 'google', 'openai-compatible']),
    model: z.string().min(1),
    baseURL: z.url().optional(),
    apiKeyEnv: z.string().regex(ENV_VARIABLE_NAME, API_KEY_ENV_MESSAGE).optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxConcurrency: z.number().int().positive().optional(),
    samples: z.number().int().positive().refine((value) => value % 2 === 1, 'must be odd').optional(),
    maxRetries: z.number().int().nonnegative().optional(),
    maxTokens: z.number().int().positive().optional(),
    timeoutMs: z.number().int().positive().max(MAX_JUDGE_TIMEOUT_MS).optional(),
    client: z.unknown().optional(),
  }).superRefine(checkJudgeEndpoint),
)

/**
 * A built-in judge for `provider`: OpenAI structured output or an Anthropic forced tool call, temperature 0.
 *
 * @example
 * const judge = createJudge({ provider: 'anthropic', model: 'claude-haiku-4-5', client: new Anthropic() })
 */
export function createJudge(config: JudgeConfig): Judge {
  switch (config.provider) {
    case 'openai':
      return createOpenAIJudge(config)
    case 'anthropic':
      return createAnthropicJudge(config)
    case 'google':
      return createGoogleJudge(config)
    case 'openai-compatible':
      return createOpenAICompatibleJudge(config)
  }
}

const fromConfig = new Map<string, Judge>()
const fromModel = new WeakMap<AiSdkLanguageModel, Judge>()

/**
 * Sets the judge used when a matcher gets no `judge` option. The worker setup file calls it with
 * `llmEvals({ judge })`; call it yourself in a setup file to use an injected client, your own judge, or an
 * AI SDK model (`openai('gpt-4o-mini')`, which cannot cross to workers through the plugin's options).
 *
 * @example
 * configureDefaultJudge({ provider: 'openai', model: 'gpt-4o-mini' })
 */
export function configureDefaultJudge(option: JudgeOption | undefined): void {
  setDefaultJudgeOption(option === undefined ? undefined : toJudge(option))
}

function toJudge(option: JudgeOption): Judge {
  if (isJudge(option)) return option
  if (isLanguageModel(option)) {
    let judge = fromModel.get(option)
    if (!judge) {
      judge = createAiSdkJudge(option)
      fromModel.set(option, judge)
    }
    return judge
  }
  if (option.client !== undefined) return createJudge(option)
  // Same config, same judge: its client (and connection pool) is created once per worker.
  const key = JSON.stringify(option)
  let judge = fromConfig.get(key)
  if (!judge) {
    judge = createJudge(option)
    fromConfig.set(key, judge)
  }
  return judge
}

/** The judge a matcher call uses: its own `judge` option, else the configured default; else a ConfigError. */
export function resolveJudge(option: JudgeOption | undefined, matcherName: string): Judge {
  if (option !== undefined) return toJudge(option)
  const configured = defaultJudgeOption()
  if (configured !== undefined) return toJudge(configured)
  throw new ConfigError(
    `${matcherName}() needs a judge model, and none is configured. Set one in vitest.config.ts — ` +
      "`llmEvals({ judge: { provider: 'openai', model: 'gpt-4o-mini' } })` — or pass `{ judge: { provider, model } }` to the matcher.",
  )
}
