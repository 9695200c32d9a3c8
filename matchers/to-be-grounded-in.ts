import type { MatcherState } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../src/lazy-schema.js'
import { ConfigError } from '../src/errors/index.js'
import { judgedOptionsShape, judgedScoreRecord, type JudgedOptions } from '../src/judge/options.js'
import { scoreGrounding } from '../src/judge/scorers/factuality.js'
import { formatScore } from './shared/failure-message.js'
import { judgingFor } from './shared/judging.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { requireString } from './shared/received.js'

/** Options of `toBeGroundedIn`. */
export interface GroundedInOptions extends JudgedOptions {
  /** Lowest share of claims supported by the context; default 1. A contradicted claim always fails. */
  threshold?: number
}

const OptionsSchema = lazySchema(() => z.strictObject({ ...judgedOptionsShape(), threshold: z.number().min(0).max(1).optional() }))

function requireContext(context: unknown): string | string[] {
  if (typeof context === 'string' && context !== '') return context
  if (Array.isArray(context) && context.length > 0 && context.every((chunk) => typeof chunk === 'string')) return context
  throw new ConfigError('toBeGroundedIn() needs the context as a non-empty string or a non-empty array of strings (the retrieved chunks).')
}

/**
 * Passes when every claim of the output is supported by the context (judge model): claims are extracted,
 * each labelled supported / contradicted / not in context with evidence.
 *
 * @example
 * await expect(answer).toBeGroundedIn(retrievedChunks)
 * @see docs/judges.md#tobegroundedin
 */
export function toBeGroundedIn(this: MatcherState, output: unknown, context: string | readonly string[], options: GroundedInOptions = {}): Promise<MatcherOutcome> {
  const text = requireString('toBeGroundedIn', 'output', output)
  const chunks = requireContext(context)
  const parsed = parseMatcherOptions('toBeGroundedIn', OptionsSchema(), options)
  const judging = judgingFor(this, 'toBeGroundedIn', parsed)
  return scoreGrounding(text, { context: chunks, ...(parsed.threshold === undefined ? {} : { threshold: parsed.threshold }) }, judging).then((result) =>
    toMatcherResult(this, {
      record: judgedScoreRecord('grounding', result),
      report: {
        matcherName: 'toBeGroundedIn',
        expectedLabel: 'context',
        expectation: `to be grounded in the context (supported claims >= ${formatScore(result.threshold ?? 1)}, none contradicted)`,
        scoreLabel: 'supported share',
        reasons: result.reasons,
        output: text,
      },
    }),
  )
}
