import type { MatcherState } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../src/lazy-schema.js'
import { ConfigError } from '../src/errors/index.js'
import { judgedOptionsShape, judgedScoreRecord, type JudgedOptions } from '../src/judge/options.js'
import { scoreRubric, type Rubric, type RubricOptions } from '../src/judge/scorers/rubric.js'
import { formatScore } from './shared/failure-message.js'
import { judgingFor } from './shared/judging.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { requireString } from './shared/received.js'

/** Options of `toSatisfyRubric`. */
export interface SatisfyRubricOptions extends RubricOptions, JudgedOptions {}

const OptionsSchema = lazySchema(() =>
  z.strictObject({
    ...judgedOptionsShape(),
    scale: z.tuple([z.number().int(), z.number().int()]).refine(([min, max]) => min < max, 'must be [min, max] with min < max').optional(),
    threshold: z.number().min(0).max(1).optional(),
  }),
)

function requireRubric(rubric: unknown): Rubric {
  if (typeof rubric === 'string' && rubric.trim() !== '') return rubric
  const value = rubric as { criteria?: unknown; steps?: unknown } | null
  const stepsOk = value?.steps === undefined || (Array.isArray(value.steps) && value.steps.every((step) => typeof step === 'string'))
  if (typeof value?.criteria === 'string' && value.criteria.trim() !== '' && stepsOk) return value as Rubric
  throw new ConfigError("toSatisfyRubric() needs a rubric: the criteria as a string, or { criteria: string, steps?: string[] }, e.g. 'Apologises and offers a refund.'.")
}

/**
 * G-Eval style grading: passes when the judge's score on `scale` (default 1..5), normalised to 0..1,
 * reaches `threshold` (default 0.75). Uses token probabilities where the provider returns them.
 *
 * @example
 * await expect(reply).toSatisfyRubric('Apologises once, explains the delay, offers a concrete next step.', { threshold: 0.75 })
 * @see docs/judges.md#tosatisfyrubric
 */
export function toSatisfyRubric(this: MatcherState, output: unknown, rubric: Rubric, options: SatisfyRubricOptions = {}): Promise<MatcherOutcome> {
  const text = requireString('toSatisfyRubric', 'output', output)
  const checked = requireRubric(rubric)
  const parsed = parseMatcherOptions('toSatisfyRubric', OptionsSchema(), options)
  const judging = judgingFor(this, 'toSatisfyRubric', parsed)
  const scoring = { ...(parsed.scale ? { scale: parsed.scale } : {}), ...(parsed.threshold === undefined ? {} : { threshold: parsed.threshold }) }
  return scoreRubric(text, checked, scoring, judging).then((result) =>
    toMatcherResult(this, {
      record: judgedScoreRecord('rubric', result),
      report: {
        matcherName: 'toSatisfyRubric',
        expectedLabel: 'rubric',
        expectation: `to satisfy the rubric (score >= ${formatScore(result.threshold ?? 0.75)})`,
        scoreLabel: 'rubric, normalised',
        reasons: result.reasons,
        output: text,
      },
    }),
  )
}
