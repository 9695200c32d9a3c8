import type { MatcherState } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../src/lazy-schema.js'
import { ConfigError } from '../src/errors/index.js'
import { judgedOptionsShape, judgedScoreRecord, type JudgedOptions } from '../src/judge/options.js'
import { scoreContextRecall } from '../src/judge/scorers/context.js'
import { formatScore } from './shared/failure-message.js'
import { judgingFor } from './shared/judging.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { requireString } from './shared/received.js'

/** Options of `toRecallReference`. */
export interface RecallReferenceOptions extends JudgedOptions {
  /** The retrieved context; when absent, the value under test is the context. */
  context?: string | readonly string[]
  /** Lowest share of reference claims found in the context; default 1. */
  threshold?: number
}

const contextSchema = lazySchema(() => z.union([z.string().min(1), z.array(z.string()).min(1)]))
const OptionsSchema = lazySchema(() => z.strictObject({ ...judgedOptionsShape(), context: contextSchema().optional(), threshold: z.number().min(0).max(1).optional() }))

/**
 * Context recall: passes when the retrieved context supports (enough of) the claims of the reference
 * answer. Scores retrieval, not the generated answer. Use `expect(chunks).toRecallReference(reference)`
 * or `expect(answer).toRecallReference(reference, { context: chunks })`.
 *
 * @example
 * await expect(retrievedChunks).toRecallReference('Refunds are paid within 5 working days to the original card.')
 * @see docs/judges.md#torecallreference
 */
export function toRecallReference(this: MatcherState, received: unknown, reference: string, options: RecallReferenceOptions = {}): Promise<MatcherOutcome> {
  const referenceText = requireString('toRecallReference', 'reference', reference)
  const parsed = parseMatcherOptions('toRecallReference', OptionsSchema(), options)
  const context = parsed.context ?? received
  if (!contextSchema().safeParse(context).success) {
    throw new ConfigError('toRecallReference() needs the retrieved context: expect(chunks).toRecallReference(reference) with a string or an array of strings, or the `context` option.')
  }
  const chunks = context as string | string[]
  const output = parsed.context === undefined ? undefined : requireString('toRecallReference', 'output', received)
  const judging = judgingFor(this, 'toRecallReference', parsed)
  return scoreContextRecall({ reference: referenceText, context: chunks, ...(parsed.threshold === undefined ? {} : { threshold: parsed.threshold }) }, judging).then((result) =>
    toMatcherResult(this, {
      record: judgedScoreRecord('context-recall', result),
      report: {
        matcherName: 'toRecallReference',
        expectedLabel: 'reference',
        expectation: `to have retrieved context that supports the reference answer (share >= ${formatScore(result.threshold ?? 1)})`,
        scoreLabel: 'context recall',
        reasons: result.reasons,
        output: output ?? (typeof chunks === 'string' ? chunks : chunks.map((chunk, index) => `[${index + 1}] ${chunk}`).join('\n')),
      },
      expected: referenceText,
    }),
  )
}
