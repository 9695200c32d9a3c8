import type { MatcherState } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../src/lazy-schema.js'
import { judgedOptionsShape, judgedScoreRecord, type JudgedOptions } from '../src/judge/options.js'
import { scoreRelevance, type RelevanceVerdict } from '../src/judge/scorers/relevance.js'
import { formatScore, truncateOutput } from './shared/failure-message.js'
import { judgingFor } from './shared/judging.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { requireString } from './shared/received.js'

/** Options of `toBeRelevantTo`. */
export interface RelevantToOptions extends JudgedOptions {
  /** Lowest passing score; default 1 (relevant). 0.5 accepts partially relevant. */
  threshold?: number
  /** Overrides of the verdict → score map (relevant 1, partially-relevant 0.5, irrelevant 0). */
  scores?: Partial<Record<RelevanceVerdict, number>>
}

const OptionsSchema = lazySchema(() =>
  z.strictObject({
    ...judgedOptionsShape(),
    threshold: z.number().min(0).max(1).optional(),
    scores: z.partialRecord(z.enum(['relevant', 'partially-relevant', 'irrelevant']), z.number().min(0).max(1)).optional(),
  }),
)

/**
 * Passes when the judge finds that the output addresses the question.
 *
 * @example
 * await expect(answer).toBeRelevantTo('How long do refunds take?')
 * @see docs/judges.md#toberelevantto
 */
export function toBeRelevantTo(this: MatcherState, output: unknown, question: string, options: RelevantToOptions = {}): Promise<MatcherOutcome> {
  const text = requireString('toBeRelevantTo', 'output', output)
  const questionText = requireString('toBeRelevantTo', 'question', question)
  const parsed = parseMatcherOptions('toBeRelevantTo', OptionsSchema(), options)
  const judging = judgingFor(this, 'toBeRelevantTo', parsed)
  const scoring = { question: questionText, ...(parsed.threshold === undefined ? {} : { threshold: parsed.threshold }), ...(parsed.scores ? { scores: parsed.scores } : {}) }
  return scoreRelevance(text, scoring, judging).then((result) =>
    toMatcherResult(this, {
      record: judgedScoreRecord('relevance', result),
      report: {
        matcherName: 'toBeRelevantTo',
        expectedLabel: 'question',
        expectation: `to be relevant to ${JSON.stringify(truncateOutput(questionText, 120))} (score >= ${formatScore(result.threshold ?? 1)})`,
        scoreLabel: 'relevance',
        reasons: result.reasons,
        output: text,
      },
      expected: questionText,
    }),
  )
}
