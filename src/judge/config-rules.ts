// Rules of a judge config that span fields, shared by the plugin's `judge` option and the matchers' one.
import type { z } from 'zod'

/**
 * An environment variable's name in capitals (what `apiKeyEnv` holds): a key pasted there by mistake is refused
 * before it can reach a message, since keys have lowercase letters or dashes.
 */
export const ENV_VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/

/** Message of an `apiKeyEnv` that is not a variable name. */
export const API_KEY_ENV_MESSAGE = 'must name the environment variable that holds the key, in capitals (e.g. "GROQ_API_KEY"), never the key itself'

/**
 * Adds an issue when `baseURL` is missing for `openai-compatible`, or `apiKeyEnv` is set for another provider.
 *
 * @example
 * z.strictObject({ provider, model, baseURL, apiKeyEnv }).superRefine(checkJudgeEndpoint)
 */
export function checkJudgeEndpoint(judge: { provider: string; baseURL?: string | undefined; apiKeyEnv?: string | undefined; client?: unknown }, context: z.core.$RefinementCtx): void {
  if (judge.provider === 'openai-compatible' && judge.baseURL === undefined && judge.client === undefined) {
    context.addIssue({ code: 'custom', path: ['baseURL'], message: "is required for provider `openai-compatible`: the API's base URL, e.g. 'https://api.groq.com/openai/v1'" })
  }
  if (judge.provider !== 'openai-compatible' && judge.apiKeyEnv !== undefined) {
    context.addIssue({ code: 'custom', path: ['apiKeyEnv'], message: `is only for provider \`openai-compatible\`; provider \`${judge.provider}\` reads its SDK's own variable` })
  }
}
