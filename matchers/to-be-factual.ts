import type { MatcherState } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../src/lazy-schema.js'
import { ConfigError } from '../src/errors/index.js'
import { judgedOptionsShape, judgedScoreRecord, type JudgedOptions } from '../src/judge/options.js'
import type { PromptOverride } from '../src/judge/prompt.js'
import { scoreFactuality, type FactualityOptions } from '../src/judge/scorers/factuality.js'
import { FACTUALITY_CATEGORIES, type FactualityCategory } from '../src/metrics/judged/factuality.js'
import { formatScore } from './shared/failure-message.js'
import { judgingFor } from './shared/judging.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { requireString } from './shared/received.js'

/** Options of `toBeFactual`: a `reference` answer, a `context`, or both, plus the judge options. */
export interface FactualMatcherOptions extends FactualityOptions, Omit<JudgedOptions, 'prompt'> {
  /** Overrides of the reference-comparison and/or the context (grounding) prompt. */
  prompt?: { reference?: PromptOverride; context?: PromptOverride }
}

const override = lazySchema(() => z.strictObject({ system: z.string().min(1).optional(), template: z.string().min(1).optional() }))

const OptionsSchema = lazySchema(() =>
  z.strictObject({
    ...judgedOptionsShape(),
    reference: z.string().min(1).optional(),
    context: z.union([z.string().min(1), z.array(z.string()).min(1)]).optional(),
    question: z.string().optional(),
    threshold: z.number().min(0).max(1).optional(),
    complete: z.boolean().optional(),
    strict: z.boolean().optional(),
    scores: z.partialRecord(z.enum(FACTUALITY_CATEGORIES as [FactualityCategory, ...FactualityCategory[]]), z.number().min(0).max(1)).optional(),
    prompt: z.strictObject({ reference: override().optional(), context: override().optional() }).optional(),
  }),
)

/**
 * Passes when the output is factually consistent with a `reference` answer (5-way comparison: only a
 * contradiction fails unless `complete` / `strict` / `threshold`: a category scoring below it) and/or grounded in a
 * `context` (no claim contradicted, supported share >= `threshold`, default 1). Checked by the judge model.
 *
 * @example
 * await expect(answer).toBeFactual({ reference: 'Refunds are paid within 5 working days.' })
 * @see docs/judges.md#tobefactual
 */
export function toBeFactual(this: MatcherState, output: unknown, options: FactualMatcherOptions): Promise<MatcherOutcome> {
  const text = requireString('toBeFactual', 'output', output)
  const parsed = parseMatcherOptions('toBeFactual', OptionsSchema(), options ?? {})
  if (parsed.reference === undefined && parsed.context === undefined) {
    throw new ConfigError("toBeFactual() needs a `reference` answer or a `context` (or both) to check facts against, e.g. { reference: 'Paris is the capital of France.' }.")
  }
  // Its `prompt` option overrides two prompts (`{ reference?, context? }`), so it is passed as `prompts`.
  const judging = { ...judgingFor(this, 'toBeFactual', { judge: parsed.judge, samples: parsed.samples }), ...(parsed.prompt ? { prompts: parsed.prompt } : {}) }
  return scoreFactuality(text, parsed as FactualityOptions, judging).then((result) => {
    const reference = parsed.threshold === undefined ? 'the reference' : `the reference (score >= ${formatScore(parsed.threshold)})`
    const against = [parsed.reference === undefined ? '' : reference, parsed.context === undefined ? '' : `the context (supported >= ${formatScore(result.threshold ?? 1)})`]
    return toMatcherResult(this, {
      record: judgedScoreRecord('factuality', result),
      report: {
        matcherName: 'toBeFactual',
        expectedLabel: 'options',
        expectation: `to be factual against ${against.filter(Boolean).join(' and ')}`,
        scoreLabel: 'factuality',
        reasons: result.reasons,
        output: text,
      },
    })
  })
}
