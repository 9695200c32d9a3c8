// The options of `toMatchHumanLabel`: the types users see and the zod schema the matcher validates with.
import { z } from 'zod'
import { lazySchema } from '../../src/lazy-schema.js'
import { judgedOptionsShape, type JudgedOptions } from '../../src/judge/options.js'
import type { Categories } from '../../src/judge/scorers/classification.js'
import type { Rubric } from '../../src/judge/scorers/rubric.js'
import type { LabelAliases, LabelValue } from '../../src/metrics/agreement/compare-labels.js'
import type { RubricScale } from '../../src/metrics/judged/rubric.js'

/** What a grader returns: a label, or a label with the grader's reasoning. */
export type GraderVerdict = LabelValue | { label: LabelValue; reason?: string }

/** An automated grader: a classifier, a heuristic, or a call to a judge model. */
export type Grader = (output: unknown) => GraderVerdict | Promise<GraderVerdict>

interface CommonLabelOptions {
  /** What is labelled; the record's metric is `label:<metric>`. Default: the `humanLabel()` metric, else `label`. */
  metric?: string
  /** Alternative spellings per label, e.g. `{ refund: ['money back'] }`. */
  aliases?: LabelAliases
}

/** `toMatchHumanLabel` with the output itself as the verdict, or a grader function's verdict. */
export interface GraderLabelOptions extends CommonLabelOptions {
  /** Grades the output; its verdict is compared with the label. Without it the output itself is the verdict. */
  grader?: Grader
  rubric?: never
  categories?: never
  question?: never
  scale?: never
  threshold?: never
  judge?: never
  samples?: never
  prompt?: never
}

/** `toMatchHumanLabel` with the judge as grader: its rubric verdict (pass/fail, or the rating for a numeric label). */
export interface RubricLabelOptions extends CommonLabelOptions, JudgedOptions {
  /** The rubric the judge grades the output on (as in `toSatisfyRubric`). */
  rubric: Rubric
  /** Whole-number rating scale `[min, max]`; default `[1, 5]`. */
  scale?: RubricScale
  /** Lowest normalised score (0..1) the judge's verdict counts as `pass`; default 0.75. */
  threshold?: number
  grader?: never
  categories?: never
  question?: never
}

/** `toMatchHumanLabel` with the judge as classifier: the category it assigns is compared with the human label. */
export interface CategoryLabelOptions extends CommonLabelOptions, JudgedOptions {
  /** The classes the judge chooses from: names, or names with what each means; listed first wins a tie of samples. */
  categories: Categories
  /** The question or input the output responds to, shown to the judge. */
  question?: string
  grader?: never
  rubric?: never
  scale?: never
  threshold?: never
}

/** Options of `toMatchHumanLabel`: at most one of a grader function, a `rubric` or `categories` for the judge. */
export type HumanLabelOptions = GraderLabelOptions | RubricLabelOptions | CategoryLabelOptions

const GRADERS = ['grader', 'rubric', 'categories'] as const
/** Options that only apply with one of the judge graders. */
const NEEDS_GRADER = [
  ['judge', ['rubric', 'categories']],
  ['samples', ['rubric', 'categories']],
  ['prompt', ['rubric', 'categories']],
  ['scale', ['rubric']],
  ['threshold', ['rubric']],
  ['question', ['categories']],
] as const
/** A label: text, a number (a rating) or a boolean. */
export const label = lazySchema(() => z.union([z.string(), z.number().finite(), z.boolean()]))
export const OptionsSchema = lazySchema(() =>
  z
    .strictObject({
      metric: z.string().min(1).optional(),
      grader: z.custom<Grader>((value) => typeof value === 'function', 'must be a function (output) => label').optional(),
      aliases: z.record(z.string(), z.array(z.string())).optional(),
      rubric: z.union([z.string().trim().min(1), z.strictObject({ criteria: z.string().trim().min(1), steps: z.array(z.string()).optional() })]).optional(),
      ...judgedOptionsShape(),
      scale: z.tuple([z.number().int(), z.number().int()]).refine(([min, max]) => min < max, 'must be [min, max] with min < max').optional(),
      threshold: z.number().min(0).max(1).optional(),
      categories: z.union([z.array(z.string()), z.record(z.string(), z.string())]).optional(),
      question: z.string().optional(),
    })
    .superRefine((options, context) => {
      const given = GRADERS.filter((key) => options[key] !== undefined)
      if (given.length > 1) {
        const names = given.map((key) => `\`${key}\``).join(' and ')
        context.addIssue({ code: 'custom', path: [given[1]!], message: `pass one of \`grader\` (a function), \`rubric\` or \`categories\` (the judge grades), not ${names}` })
      }
      for (const [key, graders] of NEEDS_GRADER) {
        if (options[key] === undefined || graders.some((grader) => options[grader] !== undefined)) continue
        const needed = graders.map((grader) => `\`${grader}\``).join(' or ')
        context.addIssue({ code: 'custom', path: [key], message: `applies to the judge grader with ${needed} only: add ${needed}, or remove it` })
      }
    }),
)
export const VerdictSchema = lazySchema(() => z.union([label(), z.object({ label: label(), reason: z.string().optional() })]))

/** The options after validation. */
export type ParsedOptions = z.output<ReturnType<typeof OptionsSchema>>
