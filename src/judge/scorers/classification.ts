import { ConfigError } from '../../errors/index.js'
import { normalizeLabel } from '../../metrics/agreement/compare-labels.js'
import { majorityVote } from '../../metrics/judged/samples.js'
import { quoteJudgeText } from '../options.js'
import { withOverride } from '../prompt.js'
import { classificationPrompt } from '../prompts/classification.js'
import { runJudge } from '../run-judge.js'
import { callSettings, type JudgedScore, type ScorerJudging } from './judged-score.js'

/** Category names, or names with what each means (`{ resolved: 'The problem is solved.' }`), in tie-break order. */
export type Categories = readonly string[] | Readonly<Record<string, string>>

/** Options of {@link scoreCategory}. */
export interface CategoryOptions {
  categories: Categories
  /** The question or input the output responds to, shown to the judge. */
  question?: string
}

/** One category as the judge sees it. */
export interface CategoryEntry {
  name: string
  description?: string
}

/**
 * The categories as a list, checked: at least two, none empty, no two equal once compared as labels are
 * (without case, whitespace or punctuation), since a human label could not tell them apart.
 *
 * @example
 * categoryEntries({ resolved: 'Solved.', unresolved: 'Not solved.' }, 'toMatchHumanLabel')
 */
export function categoryEntries(categories: Categories, where: string): CategoryEntry[] {
  const entries: CategoryEntry[] = Array.isArray(categories)
    ? categories.map((name: string) => ({ name }))
    : Object.entries(categories).map(([name, description]) => (description.trim() === '' ? { name } : { name, description }))
  const fix = 'Pass at least two distinct names, e.g. `categories: [\'resolved\', \'unresolved\']` or `{ resolved: \'The problem is solved.\', … }`.'
  if (entries.length < 2) throw new ConfigError(`${where}: \`categories\` needs at least two categories, got ${JSON.stringify(categories)}. ${fix}`)
  const seen = new Map<string | number, string>()
  for (const { name } of entries) {
    if (name.trim() === '') throw new ConfigError(`${where}: \`categories\` has an empty name. ${fix}`)
    const key = normalizeLabel(name)
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      throw new ConfigError(`${where}: \`categories\` has ${JSON.stringify(earlier)} and ${JSON.stringify(name)}, which are the same label once case, whitespace and punctuation are ignored. Keep one of them.`)
    }
    seen.set(key, name)
  }
  return entries
}

function categoriesText(entries: readonly CategoryEntry[]): string {
  return entries.map(({ name, description }) => `- ${JSON.stringify(name)}${description === undefined ? '' : `: ${description}`}`).join('\n')
}

/**
 * The judge assigns the output to one of `categories`. With several samples the category most samples
 * chose wins; a tie goes to the tied category listed first in `categories` (so list them in the order
 * ties should be broken, e.g. worst first to err towards the stricter class). A classification has no
 * pass/fail of its own: `pass` is true, `score` is the share of samples that chose the category (1 with one
 * sample), and the category is in `details.category` to compare with a label.
 *
 * @example
 * await scoreCategory(reply, { categories: ['resolved', 'unresolved'], question: 'Where is my parcel?' }, { judge })
 */
export async function scoreCategory(output: string, options: CategoryOptions, judging: ScorerJudging): Promise<JudgedScore> {
  const matcherName = judging.matcherName ?? 'scoreCategory'
  const entries = categoryEntries(options.categories, `${matcherName}()`)
  const names = entries.map((entry) => entry.name) as [string, ...string[]]
  const run = await runJudge(judging.judge, {
    matcherName,
    prompt: withOverride(classificationPrompt(names), judging.prompt),
    variables: { question: options.question ?? '', categories: categoriesText(entries), output },
    ...callSettings(judging),
  })
  const votes = run.samples.map((sample) => sample.output.category)
  const order = Object.fromEntries(names.map((name, index) => [name, index]))
  const category = majorityVote(votes, order)
  const { reasoning } = run.samples.find((sample) => sample.output.category === category)!.output
  const share = votes.filter((vote) => vote === category).length / votes.length
  return {
    score: share,
    pass: true,
    reason: `${category}: ${reasoning}`,
    reasons: [`category: ${JSON.stringify(category)}`, `judge: ${quoteJudgeText(reasoning)}`],
    details: { category, reasoning, ...(votes.length > 1 ? { votes } : {}) },
    runs: [run],
  }
}
