import type { z } from 'zod'
import { ConfigError } from '../../src/errors/index.js'

function describePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'options' : `\`${path.map(String).join('.')}\``
}

/**
 * Validates a matcher's options with zod; misuse throws a ConfigError naming the matcher and each bad
 * option (it is a mistake in the test, not a failed assertion).
 *
 * @example
 * const options = parseMatcherOptions('toBeSimilarTo', SimilarityOptionsSchema, rawOptions)
 */
export function parseMatcherOptions<Schema extends z.ZodType>(matcherName: string, schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `  - ${describePath(issue.path)}: ${issue.message}`)
  throw new ConfigError(`${matcherName}() got invalid options:\n${problems.join('\n')}\nFix the call in your test.`)
}
