import { isAbsolute, resolve } from 'node:path'
import { inject, type MatcherState } from 'vitest'
import { z } from 'zod'
import { ConfigError, DatasetError, LabelsError } from '../src/errors/index.js'
import { judgedOptionsShape, judgeRecordFields, quoteJudgeText, type JudgedOptions } from '../src/judge/options.js'
import { resolveJudge } from '../src/judge/resolve-judge.js'
import { categoryEntries, scoreCategory, type Categories, type CategoryEntry } from '../src/judge/scorers/classification.js'
import { scoreRubric, type Rubric } from '../src/judge/scorers/rubric.js'
import { compareLabels, normalizeLabel, type LabelAliases, type LabelValue } from '../src/metrics/agreement/compare-labels.js'
import type { RubricScale } from '../src/metrics/judged/rubric.js'
import { findHumanLabel, isHumanLabelReference, type HumanLabelReference } from '../src/review/human-label.js'
import { DEFAULT_LABELS_FILE, outputHash } from '../src/review/labels-file.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { requireString } from './shared/received.js'
import { recordScore } from './shared/record-score.js'

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
const label = z.union([z.string(), z.number().finite(), z.boolean()])
const OptionsSchema = z
  .strictObject({
    metric: z.string().min(1).optional(),
    grader: z.custom<Grader>((value) => typeof value === 'function', 'must be a function (output) => label').optional(),
    aliases: z.record(z.string(), z.array(z.string())).optional(),
    rubric: z.union([z.string().trim().min(1), z.strictObject({ criteria: z.string().trim().min(1), steps: z.array(z.string()).optional() })]).optional(),
    ...judgedOptionsShape,
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
  })
const VerdictSchema = z.union([label, z.object({ label, reason: z.string().optional() })])

/** The labels file the running project uses: the plugin's `labels.file`, else `evals/labels.jsonl`, from the root. */
function labelsFile(reference: HumanLabelReference): string {
  let provided: { root?: string; labels?: { file: string } } | undefined
  try {
    provided = inject('llmEvals')
  } catch {}
  const root = provided?.root ?? process.cwd()
  const file = reference.file ?? provided?.labels?.file ?? DEFAULT_LABELS_FILE
  return isAbsolute(file) ? file : resolve(root, file)
}

type ParsedOptions = z.output<typeof OptionsSchema>

/** What graded the output: its verdict, the grader's reasoning, and (for the judge) the record's judge and usage fields. */
interface Grading {
  verdict: LabelValue
  reason?: string
  grader: 'output' | 'function' | 'rubric' | 'categories'
  judged?: ReturnType<typeof judgeRecordFields>
  /** Judge grader: shown after its verdict, e.g. `4 on 1..5` (rubric) or `2 of 3 samples` (categories). */
  qualifier?: string
  /** Categories with several samples: each sample's category. */
  votes?: string[]
}

async function gradeWith(grader: Grader | undefined, output: unknown): Promise<Grading> {
  const raw = grader ? await grader(output) : output
  const parsed = VerdictSchema.safeParse(raw)
  if (!parsed.success) {
    const what = grader ? 'its grader returned' : 'got the output'
    throw new ConfigError(`toMatchHumanLabel() ${what} ${JSON.stringify(raw)?.slice(0, 80) ?? String(raw)}; it needs a label (string, number or boolean) or { label, reason }. Pass a grader that extracts the label.`)
  }
  const kind = grader ? 'function' : 'output'
  return typeof parsed.data === 'object' ? { verdict: parsed.data.label, grader: kind, ...(parsed.data.reason ? { reason: parsed.data.reason } : {}) } : { verdict: parsed.data, grader: kind }
}

/**
 * The judge grades the output on the rubric. Its verdict is `pass`/`fail` at the threshold, or, when the
 * human label is a number (a 1..N score), the rating rounded to the scale.
 */
async function gradeWithJudge(output: unknown, options: ParsedOptions & { rubric: Rubric }, human: LabelValue | undefined): Promise<Grading> {
  const text = requireString('toMatchHumanLabel', 'output (the judge grades text)', output)
  const judge = resolveJudge(options.judge, 'toMatchHumanLabel')
  const judging = { judge, matcherName: 'toMatchHumanLabel', ...(options.samples ? { samples: options.samples } : {}), ...(options.prompt ? { prompt: options.prompt } : {}) }
  const scoring = { ...(options.scale ? { scale: options.scale } : {}), ...(options.threshold === undefined ? {} : { threshold: options.threshold }) }
  const result = await scoreRubric(text, options.rubric, scoring, judging)
  const { rating, scale, reasoning } = result.details as { rating: number; scale: [number, number]; reasoning: string }
  const numeric = human !== undefined && typeof normalizeLabel(human) === 'number'
  return {
    verdict: numeric ? Math.round(rating) : result.pass ? 'pass' : 'fail',
    reason: reasoning,
    grader: 'rubric',
    judged: judgeRecordFields(result.runs),
    qualifier: `${Number.isInteger(rating) ? rating : rating.toFixed(2)} on ${scale[0]}..${scale[1]}`,
  }
}

/** The judge assigns the output to one of the categories; that category is its verdict. */
async function gradeWithCategories(output: unknown, options: ParsedOptions & { categories: Categories }): Promise<Grading> {
  const text = requireString('toMatchHumanLabel', 'output (the judge classifies text)', output)
  const judge = resolveJudge(options.judge, 'toMatchHumanLabel')
  const judging = { judge, matcherName: 'toMatchHumanLabel', ...(options.samples ? { samples: options.samples } : {}), ...(options.prompt ? { prompt: options.prompt } : {}) }
  const result = await scoreCategory(text, { categories: options.categories, ...(options.question === undefined ? {} : { question: options.question }) }, judging)
  const { category, reasoning, votes } = result.details as { category: string; reasoning: string; votes?: string[] }
  const agreeing = votes?.filter((vote) => vote === category).length
  return {
    verdict: category,
    reason: reasoning,
    grader: 'categories',
    judged: judgeRecordFields(result.runs),
    ...(votes ? { votes, qualifier: `${agreeing} of ${votes.length} samples` } : {}),
  }
}

function grade(output: unknown, options: ParsedOptions, human: LabelValue | undefined): Promise<Grading> {
  const { rubric, categories } = options
  if (rubric !== undefined) return gradeWithJudge(output, { ...options, rubric }, human)
  if (categories !== undefined) return gradeWithCategories(output, { ...options, categories })
  return gradeWith(options.grader, output)
}

const GRADER_NAMES = { output: 'output', function: 'grader', rubric: 'judge', categories: 'judge' } as const
const isJudged = (grading: Grading) => grading.grader === 'rubric' || grading.grader === 'categories'

function graderSaid(grading: Grading, automated: string | number): string {
  return `${GRADER_NAMES[grading.grader]} said ${JSON.stringify(automated)}${grading.qualifier ? ` (${grading.qualifier})` : ''}`
}

/** Where a human label came from, for the error when it is not one of the categories. */
interface LabelOrigin {
  /** `case "q1"`, or `the test "…"` without a case id. */
  caseName: string
  metric: string
  /** The labels file it was read from; else it was given to the matcher. */
  file?: string
}

/** The case for messages: `case "q1"` (from `humanLabel()` or the dataset's case id), else the test's name. */
function caseNameOf(state: MatcherState, reference: HumanLabelReference | undefined): string {
  const caseId = reference?.caseId ?? (state.task?.meta as { caseId?: unknown } | undefined)?.caseId
  if (typeof caseId === 'string' || typeof caseId === 'number') return `case ${JSON.stringify(String(caseId))}`
  return `the test ${JSON.stringify(state.currentTestName ?? '(unknown)')}`
}

/**
 * A human label the judge could never give (not one of the categories, after aliases) is a mistake in the
 * labels or the dataset, not a disagreement: an error naming the label, the case and the categories.
 */
function checkHumanCategory(human: LabelValue, entries: readonly CategoryEntry[], aliases: LabelAliases, origin: LabelOrigin): void {
  const label = normalizeLabel(human, aliases)
  if (entries.some((entry) => normalizeLabel(entry.name, aliases) === label)) return
  const names = entries.map((entry) => JSON.stringify(entry.name)).join(', ')
  const where = `toMatchHumanLabel(): the human label ${JSON.stringify(human)} of ${origin.caseName} (metric ${JSON.stringify(origin.metric)})`
  const fix = 'or add it to `categories`, or map it to a category with `aliases`.'
  if (origin.file) throw new LabelsError(`${where}, read from ${origin.file}, is not one of the categories ${names}. Correct the label with \`llm-evals review\` (or in the file), ${fix}`)
  throw new DatasetError(`${where}, given to the matcher, is not one of the categories ${names}. Correct the label in the dataset row or test, ${fix}`)
}

/**
 * Passes when the automated verdict equals the human label (ignoring case, whitespace, punctuation; with
 * `aliases`). The verdict is the output itself (classifiers), what `grader` says about it, the judge's
 * verdict on `rubric`, or the one of `categories` the judge assigns (to validate the judge); a human label
 * that is not one of the `categories` is an error. `label` comes from the dataset row or from the labels file
 * via `humanLabel(caseId, metric)`. Records the (automated, human) pair. A case with no current label
 * (none yet, or one on a different output) is graded and recorded as awaiting a label — shown on the
 * review page, neither a failure nor a disagreement — and the assertion passes.
 *
 * @example
 * await expect(intent).toMatchHumanLabel(row.intent, { aliases: { refund: ['money back'] } })
 * await expect(reply).toMatchHumanLabel(humanLabel(row.id, 'helpful'), { rubric: 'Answers the question and offers a next step.' })
 * await expect(reply).toMatchHumanLabel(row.outcome, { categories: ['resolved', 'partially-resolved', 'unresolved', 'harmful'], question: row.message })
 * @see README.md#human-review
 */
export async function toMatchHumanLabel(this: MatcherState, output: unknown, expected: LabelValue | HumanLabelReference, options: HumanLabelOptions = {}): Promise<MatcherOutcome> {
  const parsed = parseMatcherOptions('toMatchHumanLabel', OptionsSchema, options)
  const aliases = parsed.aliases ?? {}
  const reference = isHumanLabelReference(expected) ? expected : undefined
  if (!reference && !label.safeParse(expected).success) {
    throw new ConfigError(`toMatchHumanLabel() needs the human label as a string, number or boolean, or humanLabel(caseId, metric); got ${JSON.stringify(expected) ?? typeof expected}.`)
  }
  const metric = parsed.metric ?? reference?.metric ?? 'label'
  const text = typeof output === 'string' ? output : undefined
  const meta = (this.task?.meta ?? {}) as { output?: unknown; humanLabel?: unknown }
  if (text !== undefined) meta.output ??= text
  const stored = reference ? findHumanLabel(labelsFile(reference), reference.caseId, reference.metric) : undefined
  const hash = text === undefined ? undefined : outputHash(text)
  const stale = stored?.outputHash !== undefined && hash !== undefined && stored.outputHash !== hash
  if (reference && (!stored || stale)) return awaitingLabel(this, output, parsed, { reference, metric, ...(stale && stored ? { stale: stored } : {}), ...(hash ? { hash } : {}) })
  const human = stored ? stored.label : (expected as LabelValue)
  if (parsed.categories) {
    const origin = { caseName: caseNameOf(this, reference), metric, ...(stored && reference ? { file: labelsFile(reference) } : {}) }
    checkHumanCategory(human, categoryEntries(parsed.categories, 'toMatchHumanLabel()'), aliases, origin)
  }
  const grading = await grade(output, parsed, human)
  const comparison = compareLabels(grading.verdict, human, aliases)
  meta.humanLabel = String(comparison.human)
  const said = `${graderSaid(grading, comparison.automated)}, human said ${JSON.stringify(comparison.human)}`
  return toMatcherResult(this, {
    record: {
      metric: `label:${metric}`,
      score: comparison.agree ? 1 : 0,
      pass: comparison.agree,
      reason: grading.reason ? `${said}: ${grading.reason}` : said,
      details: {
        automated: comparison.automated,
        human: comparison.human,
        grader: grading.grader,
        ...(grading.votes ? { votes: grading.votes } : {}),
        source: stored ? 'labels-file' : 'argument',
        ...(hash ? { outputHash: hash } : {}),
        ...(stored?.by ? { labelledBy: stored.by } : {}),
        ...(stored?.note ? { note: stored.note } : {}),
      },
      ...grading.judged,
    },
    report: {
      matcherName: 'toMatchHumanLabel',
      expectedLabel: 'label',
      expectation: `to match the human label ${JSON.stringify(comparison.human)}${grading.grader === 'function' ? ' by its grader' : isJudged(grading) ? ' by the judge' : ''}`,
      reasons: [said, ...(grading.reason ? [`${isJudged(grading) ? 'judge' : 'grader'}'s reason: ${quoteIfJudged(grading)}`] : []), ...(stored?.note ? [`human's note: ${stored.note}`] : [])],
      ...(text === undefined ? {} : { output: text }),
    },
    actual: comparison.automated,
    expected: comparison.human,
  })
}

/** Judge reasoning is untrusted model text: quoted and escaped in messages, as every judged matcher does. */
function quoteIfJudged(grading: Grading): string {
  return isJudged(grading) ? quoteJudgeText(grading.reason ?? '') : (grading.reason ?? '')
}

interface Unlabelled {
  reference: HumanLabelReference
  metric: string
  hash?: string
  /** The label given to a different output. */
  stale?: { label: LabelValue; by?: string }
}

/**
 * A case with no current human label: graded all the same and recorded with `details.awaitingLabel`, so
 * the review page lists it with the grader's verdict. It passes (pass true, score 0); the reporter keeps
 * it out of scores, failures and agreement until a human labels it.
 */
async function awaitingLabel(state: MatcherState, output: unknown, options: ParsedOptions, unlabelled: Unlabelled): Promise<MatcherOutcome> {
  const { reference, metric, stale, hash } = unlabelled
  const grading = await grade(output, options, undefined)
  const automated = normalizeLabel(grading.verdict, options.aliases ?? {})
  const why = stale ? `its label (${JSON.stringify(stale.label)} by ${stale.by ?? 'someone'}) is on a different output: review it again` : 'nobody has labelled it yet'
  const said = graderSaid(grading, automated)
  recordScore(state, {
    metric: `label:${metric}`,
    score: 0,
    pass: true,
    reason: `awaiting a human label (${stale ? 'stale label' : 'unlabelled'}); ${said}${grading.reason ? `: ${grading.reason}` : ''}`,
    details: {
      awaitingLabel: true,
      automated,
      grader: grading.grader,
      ...(grading.votes ? { votes: grading.votes } : {}),
      source: 'labels-file',
      ...(hash ? { outputHash: hash } : {}),
      ...(stale ? { staleLabel: stale.label } : {}),
    },
    ...grading.judged,
  })
  return { pass: true, message: () => `Expected case ${JSON.stringify(reference.caseId)} (${metric}) to have a current human label, but ${why} (\`llm-evals review\`).` }
}
