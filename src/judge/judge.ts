import type { GeneratedToken } from '../metrics/judged/rubric.js'

/** A JSON schema object, as sent to the provider (OpenAI `json_schema`, Anthropic tool `input_schema`). */
export type JsonSchema = { [key: string]: unknown }

/** One structured request to a judge model. */
export interface JudgeRequest {
  system: string
  user: string
  /** Name of the schema / forced tool, e.g. `factuality_verdict`. */
  schemaName: string
  /** The output the judge must produce; the reasoning fields come before the verdict fields. */
  schema: JsonSchema
  /** Ask for token log probabilities (used by `toSatisfyRubric` where the provider returns them). */
  logprobs?: boolean
}

/** Token counts of one judge call. */
export interface JudgeUsage {
  inputTokens?: number
  outputTokens?: number
}

/** What a judge model returned, before validation. */
export interface JudgeResponse {
  /** The parsed JSON output, or the raw text when it was not JSON (validation then reports it). */
  output: unknown
  usage?: JudgeUsage
  /** Generated tokens with their alternatives, when requested and the provider returns them. */
  tokens?: GeneratedToken[]
}

/** Default most time one judge call may take (SDK retries included) before it is cancelled: 60 s. */
export const DEFAULT_JUDGE_TIMEOUT_MS = 60_000

/** Longest timeout a timer can hold (about 24.8 days); a larger one would fire at once. */
export const MAX_JUDGE_TIMEOUT_MS = 2_147_483_647

/** What a judge call gets besides its request. */
export interface JudgeCallOptions {
  /** Aborted when the call times out (`timeoutMs`) or its test ends: pass it on to the SDK call. */
  signal: AbortSignal
}

/**
 * A judge model: one structured call at a time. The built-in ones come from {@link createJudge}; pass
 * your own object to any judged matcher's `judge` option to use another provider or a scripted judge.
 *
 * @example
 * const judge: Judge = { provider: 'mine', model: 'v1', complete: async (request) => ({ output: await myModel(request) }) }
 */
export interface Judge {
  readonly provider: string
  readonly model: string
  /** Most calls of this judge's provider in flight at once (per worker); default 8. */
  readonly maxConcurrency?: number
  /** Default samples per verdict (odd); default 1. */
  readonly samples?: number
  /** Most time one call may take, in ms, before it is cancelled and fails with a JudgeError; default 60 000. */
  readonly timeoutMs?: number
  /** One call. Pass `options.signal` on to the model call, so a timed-out or cancelled call stops at once. */
  complete(request: JudgeRequest, options?: JudgeCallOptions): Promise<JudgeResponse>
}

/** A built-in judge: provider and model, and optionally a ready SDK client. */
export interface JudgeConfig {
  /** `openai-compatible`: any OpenAI-style chat completions API at `baseURL` (Groq, Mistral, OpenRouter, a local server…). */
  provider: 'openai' | 'anthropic' | 'google' | 'openai-compatible'
  model: string
  /** The API's base URL: required for `openai-compatible`, optional for the others (their SDK's default). */
  baseURL?: string
  /** `openai-compatible`: the name of the environment variable holding the API key (never the key); default `OPENAI_API_KEY`. */
  apiKeyEnv?: string
  /** Default 0. */
  temperature?: number
  /** Most judge calls in flight per provider (per worker); default 8. */
  maxConcurrency?: number
  /** Judge calls per verdict (odd): majority vote or mean. Default 1. */
  samples?: number
  /** Retries the SDK makes on 429 / 5xx (it honours `retry-after`); default 6. */
  maxRetries?: number
  /** Most time one judge call may take, SDK retries included, before it is cancelled (a JudgeError); default 60 000 ms. */
  timeoutMs?: number
  /** Anthropic `max_tokens` (and OpenAI `max_completion_tokens` when set); default 4096 for Anthropic. */
  maxTokens?: number
  /** A ready SDK client (`OpenAI`, `Anthropic`, `GoogleGenAI`); by default one is created from the environment. */
  client?: unknown
}

/**
 * An AI SDK language model (`openai('gpt-4o-mini')` from `@ai-sdk/openai`, `anthropic(…)`, …), as far as the
 * judge needs to know it; the `ai` package itself is an optional peer, loaded when such a judge first runs.
 */
export interface AiSdkLanguageModel {
  readonly specificationVersion: string
  readonly provider: string
  readonly modelId: string
  doGenerate(options: never): PromiseLike<unknown>
}

/** A judge, the config of a built-in one, or an AI SDK language model: what the matchers' `judge` option accepts. */
export type JudgeOption = Judge | JudgeConfig | AiSdkLanguageModel

/** True when `value` is an AI SDK language model object (it has `specificationVersion` and `doGenerate`). */
export function isLanguageModel(value: unknown): value is AiSdkLanguageModel {
  const candidate = value as Partial<Record<'specificationVersion' | 'doGenerate', unknown>> | null
  return typeof candidate?.specificationVersion === 'string' && typeof candidate.doGenerate === 'function'
}

/** True when `value` is a {@link Judge} (has `complete`), not a config. */
export function isJudge(value: unknown): value is Judge {
  return typeof (value as Judge | null)?.complete === 'function'
}

/**
 * What every built-in judge copies from its config: the model, and `maxConcurrency` / `samples` /
 * `timeoutMs` when they are set.
 *
 * @example
 * const judge: Judge = { provider: 'openai', ...judgeSettings(config), complete }
 */
export function judgeSettings(config: JudgeConfig): Pick<Judge, 'model' | 'maxConcurrency' | 'samples' | 'timeoutMs'> {
  return {
    model: config.model,
    ...(config.maxConcurrency === undefined ? {} : { maxConcurrency: config.maxConcurrency }),
    ...(config.samples === undefined ? {} : { samples: config.samples }),
    ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
  }
}
