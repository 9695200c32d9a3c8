import type { TokenUsage } from './entry.js'

/**
 * Token counts of Gemini's `usageMetadata` (Gemini API and Vertex AI): input is `promptTokenCount`, output is
 * `candidatesTokenCount` plus `thoughtsTokenCount` (thinking is billed as output); `undefined` when absent.
 *
 * @example
 * geminiUsage({ promptTokenCount: 12, candidatesTokenCount: 5, thoughtsTokenCount: 40 }) // { inputTokens: 12, outputTokens: 45 }
 */
export function geminiUsage(metadata: unknown): TokenUsage | undefined {
  if (metadata === null || typeof metadata !== 'object') return undefined
  const { promptTokenCount, candidatesTokenCount, thoughtsTokenCount } = metadata as Record<string, unknown>
  const outputs = [candidatesTokenCount, thoughtsTokenCount].filter((count): count is number => typeof count === 'number')
  const usage: TokenUsage = {}
  if (typeof promptTokenCount === 'number') usage.inputTokens = promptTokenCount
  if (outputs.length > 0) usage.outputTokens = outputs.reduce((sum, count) => sum + count, 0)
  return usage.inputTokens === undefined && usage.outputTokens === undefined ? undefined : usage
}
