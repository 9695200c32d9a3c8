import type { MatcherState } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../src/lazy-schema.js'
import { judgedOptionsShape, judgedScoreRecord, type JudgedOptions } from '../src/judge/options.js'
import { scorePreference } from '../src/judge/scorers/preference.js'
import { formatScore, truncateOutput } from './shared/failure-message.js'
import { judgingFor } from './shared/judging.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { requireString } from './shared/received.js'

/** Options of `toPreferOver`. */
export interface PreferOverOptions extends JudgedOptions {
  /** The question or task both answers respond to, shown to the judge. */
  question?: string
  /** Lowest passing score: win 1, tie 0.5, loss 0. Default 1 (must win); 0.5 accepts a tie. */
  threshold?: number
}

const OptionsSchema = lazySchema(() => z.strictObject({ ...judgedOptionsShape(), question: z.string().optional(), threshold: z.number().min(0).max(1).optional() }))

/**
 * Passes when the judge prefers the output over `baseline` on `criterion`, in both orders (the answers
 * are shown both ways round; a disagreement between the orders is a tie).
 *
 * @example
 * await expect(newPromptReply).toPreferOver(oldPromptReply, 'Which reply resolves the customer issue more clearly?')
 * @see docs/judges.md#topreferover
 */
export function toPreferOver(this: MatcherState, output: unknown, baseline: string, criterion: string, options: PreferOverOptions = {}): Promise<MatcherOutcome> {
  const text = requireString('toPreferOver', 'output', output)
  const baselineText = requireString('toPreferOver', 'baseline', baseline)
  const criterionText = requireString('toPreferOver', 'criterion', criterion)
  const parsed = parseMatcherOptions('toPreferOver', OptionsSchema(), options)
  const judging = judgingFor(this, 'toPreferOver', parsed)
  const scoring = { criterion: criterionText, ...(parsed.question === undefined ? {} : { question: parsed.question }), ...(parsed.threshold === undefined ? {} : { threshold: parsed.threshold }) }
  return scorePreference(text, baselineText, scoring, judging).then((result) =>
    toMatcherResult(this, {
      record: judgedScoreRecord('preference', result),
      report: {
        matcherName: 'toPreferOver',
        expectedLabel: 'baseline, criterion',
        expectation: `to be preferred over the baseline on ${JSON.stringify(truncateOutput(criterionText, 120))} (score >= ${formatScore(result.threshold ?? 1)})`,
        scoreLabel: 'win 1 · tie 0.5 · loss 0',
        reasons: [...result.reasons, `baseline: ${JSON.stringify(truncateOutput(baselineText, 200))}`],
        output: text,
      },
      expected: baselineText,
    }),
  )
}
