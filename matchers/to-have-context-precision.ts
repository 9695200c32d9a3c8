import type { MatcherState } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../src/lazy-schema.js'
import { ConfigError } from '../src/errors/index.js'
import { judgedOptionsShape, judgedScoreRecord, type JudgedOptions } from '../src/judge/options.js'
import { scoreContextPrecision } from '../src/judge/scorers/context.js'
import { formatScore } from './shared/failure-message.js'
import { judgingFor } from './shared/judging.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'

/** Options of `toHaveContextPrecision`. */
export interface ContextPrecisionOptions extends JudgedOptions {
  /** The question the chunks were retrieved for. */
  question: string
  /** A reference answer: chunks are judged useful when they help reach it. */
  reference?: string
  /** Lowest passing average precision; default 0.5. */
  threshold?: number
}

const OptionsSchema = lazySchema(() =>
  z.strictObject({
    ...judgedOptionsShape(),
    question: z.string().min(1),
    reference: z.string().optional(),
    threshold: z.number().min(0).max(1).optional(),
  }),
)

/**
 * Context precision of a ranked list of retrieved chunks: each judged useful or not for the question,
 * scored as the average precision of the useful ones (useful chunks ranked first score higher).
 *
 * @example
 * await expect(retrievedChunks).toHaveContextPrecision({ question: 'How long do refunds take?', threshold: 0.8 })
 * @see docs/judges.md#tohavecontextprecision
 */
export function toHaveContextPrecision(this: MatcherState, received: unknown, options: ContextPrecisionOptions): Promise<MatcherOutcome> {
  if (!Array.isArray(received) || received.length === 0 || !received.every((chunk) => typeof chunk === 'string')) {
    throw new ConfigError('toHaveContextPrecision() needs the retrieved chunks as a non-empty array of strings, in rank order: expect(chunks).toHaveContextPrecision({ question }).')
  }
  const chunks = received as string[]
  const parsed = parseMatcherOptions('toHaveContextPrecision', OptionsSchema(), options ?? {})
  const judging = judgingFor(this, 'toHaveContextPrecision', parsed)
  const scoring = { question: parsed.question, ...(parsed.reference ? { reference: parsed.reference } : {}), ...(parsed.threshold === undefined ? {} : { threshold: parsed.threshold }) }
  return scoreContextPrecision(chunks, scoring, judging).then((result) =>
    toMatcherResult(this, {
      record: judgedScoreRecord('context-precision', result),
      report: {
        matcherName: 'toHaveContextPrecision',
        expectedLabel: 'options',
        expectation: `to rank useful chunks first (average precision >= ${formatScore(result.threshold ?? 0.5)})`,
        scoreLabel: 'average precision',
        reasons: result.reasons,
        output: chunks.map((chunk, index) => `[${index + 1}] ${chunk}`).join('\n'),
      },
    }),
  )
}
