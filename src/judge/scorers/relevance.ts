import { categoryScores } from '../../metrics/judged/categories.js'
import { majorityVote } from '../../metrics/judged/samples.js'
import { quoteJudgeText } from '../options.js'
import { withOverride } from '../prompt.js'
import { relevancePrompt } from '../prompts/relevance.js'
import { runJudge } from '../run-judge.js'
import { callSettings, type JudgedScore, type ScorerJudging } from './judged-score.js'

/** A relevance verdict. */
export type RelevanceVerdict = 'relevant' | 'partially-relevant' | 'irrelevant'

/** Default verdict → score map of {@link scoreRelevance}. */
export const RELEVANCE_SCORES: Readonly<Record<RelevanceVerdict, number>> = { relevant: 1, 'partially-relevant': 0.5, irrelevant: 0 }

/**
 * Does the output address the question: relevant 1, partially relevant 0.5, irrelevant 0; passes at
 * `threshold` (default 1).
 *
 * @example
 * await scoreRelevance('Refunds take 5 days.', { question: 'How long do refunds take?' }, { judge })
 */
export async function scoreRelevance(
  output: string,
  options: { question: string; threshold?: number; scores?: Partial<Record<RelevanceVerdict, number>> },
  judging: ScorerJudging,
): Promise<JudgedScore> {
  const threshold = options.threshold ?? 1
  const run = await runJudge(judging.judge, {
    matcherName: judging.matcherName ?? 'scoreRelevance',
    prompt: withOverride(relevancePrompt, judging.prompt),
    variables: { question: options.question, output },
    ...callSettings(judging),
  })
  const scores = categoryScores(RELEVANCE_SCORES, options.scores, 'toBeRelevantTo')
  const verdict = majorityVote(run.samples.map((sample) => sample.output.verdict), scores)
  const { reasoning } = run.samples.find((sample) => sample.output.verdict === verdict)!.output
  const score = scores[verdict]
  return {
    score,
    pass: score >= threshold,
    threshold,
    reason: `${verdict}: ${reasoning}`,
    reasons: [`verdict: ${verdict}`, `judge: ${quoteJudgeText(reasoning)}`],
    details: { verdict, reasoning, ...(run.samples.length > 1 ? { votes: run.samples.map((sample) => sample.output.verdict) } : {}) },
    runs: [run],
  }
}
