// How `toMatchHumanLabel` gets its automated verdict: the output itself, a grader function, or the judge
// (a rubric rating or one of `categories`), and the checks on a human label the judge could never give.
import type { MatcherState } from 'vitest'
import { ConfigError, DatasetError, LabelsError } from '../../src/errors/index.js'
import { judgeRecordFields } from '../../src/judge/options.js'
import { scoreCategory, type Categories, type CategoryEntry } from '../../src/judge/scorers/classification.js'
import { scoreRubric, type Rubric } from '../../src/judge/scorers/rubric.js'
import { normalizeLabel, type LabelAliases, type LabelValue } from '../../src/metrics/agreement/compare-labels.js'
import type { HumanLabelReference } from '../../src/review/human-label.js'
import { judgingFor } from './judging.js'
import { requireString } from './received.js'
import { VerdictSchema, type Grader, type ParsedOptions } from './label-options.js'
import { runningTest } from './running-test.js'

/** What graded the output: its verdict, the grader's reasoning, and (for the judge) the record's judge and usage fields. */
export interface Grading {
  verdict: LabelValue
  reason?: string
  grader: 'output' | 'function' | 'rubric' | 'categories'
  judged?: ReturnType<typeof judgeRecordFields>
  /** Judge grader: shown after its verdict, e.g. `4 on 1..5` (rubric) or `2 of 3 samples` (categories). */
  qualifier?: string
  /** Categories with several samples: each sample's category. */
  votes?: string[]
}

export async function gradeWith(grader: Grader | undefined, output: unknown): Promise<Grading> {
  const raw = grader ? await grader(output) : output
  const parsed = VerdictSchema().safeParse(raw)
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
export async function gradeWithJudge(state: MatcherState, output: unknown, options: ParsedOptions & { rubric: Rubric }, human: LabelValue | undefined): Promise<Grading> {
  const text = requireString('toMatchHumanLabel', 'output (the judge grades text)', output)
  const judging = judgingFor(state, 'toMatchHumanLabel', options)
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
export async function gradeWithCategories(state: MatcherState, output: unknown, options: ParsedOptions & { categories: Categories }): Promise<Grading> {
  const text = requireString('toMatchHumanLabel', 'output (the judge classifies text)', output)
  const judging = judgingFor(state, 'toMatchHumanLabel', options)
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

export function grade(state: MatcherState, output: unknown, options: ParsedOptions, human: LabelValue | undefined): Promise<Grading> {
  const { rubric, categories } = options
  if (rubric !== undefined) return gradeWithJudge(state, output, { ...options, rubric }, human)
  if (categories !== undefined) return gradeWithCategories(state, output, { ...options, categories })
  return gradeWith(options.grader, output)
}

export const GRADER_NAMES = { output: 'output', function: 'grader', rubric: 'judge', categories: 'judge' } as const
export const isJudged = (grading: Grading) => grading.grader === 'rubric' || grading.grader === 'categories'

export function graderSaid(grading: Grading, automated: string | number): string {
  return `${GRADER_NAMES[grading.grader]} said ${JSON.stringify(automated)}${grading.qualifier ? ` (${grading.qualifier})` : ''}`
}

/** Where a human label came from, for the error when it is not one of the categories. */
export interface LabelOrigin {
  /** `case "q1"`, or `the test "…"` without a case id. */
  caseName: string
  metric: string
  /** The labels file it was read from; else it was given to the matcher. */
  file?: string
}

/** The case for messages: `case "q1"` (from `humanLabel()` or the dataset's case id), else the test's name. */
export function caseNameOf(state: MatcherState, reference: HumanLabelReference | undefined): string {
  const caseId = reference?.caseId ?? (runningTest(state)?.meta as { caseId?: unknown } | undefined)?.caseId
  if (typeof caseId === 'string' || typeof caseId === 'number') return `case ${JSON.stringify(String(caseId))}`
  return `the test ${JSON.stringify(state.currentTestName ?? '(unknown)')}`
}

/**
 * A human label the judge could never give (not one of the categories, after aliases) is a mistake in the
 * labels or the dataset, not a disagreement: an error naming the label, the case and the categories.
 */
export function checkHumanCategory(human: LabelValue, entries: readonly CategoryEntry[], aliases: LabelAliases, origin: LabelOrigin): void {
  const label = normalizeLabel(human, aliases)
  if (entries.some((entry) => normalizeLabel(entry.name, aliases) === label)) return
  const names = entries.map((entry) => JSON.stringify(entry.name)).join(', ')
  const where = `toMatchHumanLabel(): the human label ${JSON.stringify(human)} of ${origin.caseName} (metric ${JSON.stringify(origin.metric)})`
  const fix = 'or add it to `categories`, or map it to a category with `aliases`.'
  if (origin.file) throw new LabelsError(`${where}, read from ${origin.file}, is not one of the categories ${names}. Correct the label with \`llm-evals review\` (or in the file), ${fix}`)
  throw new DatasetError(`${where}, given to the matcher, is not one of the categories ${names}. Correct the label in the dataset row or test, ${fix}`)
}
