import type { LanguageModel, LanguageModelUsage } from 'ai'
import type { AiSdkLanguageModel, Judge, JudgeResponse, JudgeUsage } from './judge.js'
import { importSdk } from './load-sdk.js'

/** Settings of a judge on an AI SDK model; the model itself carries its provider, key and base URL. */
export interface AiSdkJudgeSettings {
  /** Retries the AI SDK makes on 429 / 5xx; default 6, like the built-in judges. */
  maxRetries?: number
  /** Most judge calls in flight for this model's provider (per worker); default 8. */
  maxConcurrency?: number
  /** Most time one call may take, retries included; default 60 000 ms. */
  timeoutMs?: number
}

function usageOf(usage: LanguageModelUsage | undefined): { usage?: JudgeUsage } {
  if (usage === undefined) return {}
  return {
    usage: {
      ...(usage.inputTokens === undefined ? {} : { inputTokens: usage.inputTokens }),
      ...(usage.outputTokens === undefined ? {} : { outputTokens: usage.outputTokens }),
    },
  }
}

/**
 * A judge on any AI SDK language model: `generateText` with `Output.object` over the verdict's JSON schema
 * (reasoning fields first), temperature 0, the call's abort signal. `ai` is imported on the first call. A reply
 * that is not JSON is returned as its text, so the judge's validation reports it (fail-closed).
 *
 * @example
 * const judge = createAiSdkJudge(openai('gpt-4o-mini'))
 */
export function createAiSdkJudge(model: AiSdkLanguageModel, settings: AiSdkJudgeSettings = {}): Judge {
  return {
    provider: model.provider,
    model: model.modelId,
    ...(settings.maxConcurrency === undefined ? {} : { maxConcurrency: settings.maxConcurrency }),
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
    async complete(request, options): Promise<JudgeResponse> {
      const { generateText, jsonSchema, NoObjectGeneratedError, NoOutputGeneratedError, Output } = await importSdk('ai', () => import('ai'))
      try {
        const result = await generateText({
          model: model as unknown as LanguageModel,
          system: request.system,
          prompt: request.user,
          output: Output.object({ name: request.schemaName, schema: jsonSchema<unknown>(request.schema) }),
          temperature: 0,
          maxRetries: settings.maxRetries ?? 6,
          ...(options?.signal ? { abortSignal: options.signal } : {}),
        })
        let output: unknown
        try {
          output = result.output
        } catch (error) {
          // No structured output (the model stopped for another reason): its text goes to validation, like JSON that is not a verdict.
          if (!NoOutputGeneratedError.isInstance(error)) throw error
          output = `(no structured output; finish reason ${result.finishReason}) ${result.text}`.trim()
        }
        return { output, ...usageOf(result.usage) }
      } catch (error) {
        if (!NoObjectGeneratedError.isInstance(error)) throw error
        return { output: error.text ?? `(no output: ${error.finishReason ?? 'unknown'})`, ...usageOf(error.usage) }
      }
    },
  }
}
