import { PAIRWISE_SCORES, combinePairwiseOrders, type PairwiseWinner } from '../../metrics/judged/pairwise.js'
import { majorityVote } from '../../metrics/judged/samples.js'
import { quoteJudgeText } from '../options.js'
import { withOverride } from '../prompt.js'
import { pairwisePrompt } from '../prompts/pairwise.js'
import { runJudge } from '../run-judge.js'
import { callSettings, type JudgedScore, type ScorerJudging } from './judged-score.js'

// For a vote within one order: a tie ranks between the two answers.
const WINNER_RANK: Record<PairwiseWinner, number> = { A: 0, tie: 0.5, B: 1 }

/**
 * Pairwise preference judged in both orders (output as A, then as B). Win 1, tie 0.5, loss 0; orders that
 * disagree make a tie. Passes at `threshold` (default 1: the output must win; 0.5 accepts a tie).
 *
 * @example
 * await scorePreference(newReply, oldReply, { criterion: 'Which reply is more helpful?' }, { judge })
 */
export async function scorePreference(
  output: string,
  baseline: string,
  options: { criterion: string; question?: string; threshold?: number },
  judging: ScorerJudging,
): Promise<JudgedScore> {
  const threshold = options.threshold ?? 1
  const ask = (a: string, b: string) =>
    runJudge(judging.judge, {
      matcherName: judging.matcherName ?? 'scorePreference',
      prompt: withOverride(pairwisePrompt, judging.prompt),
      variables: { criterion: options.criterion, question: options.question ?? '', a, b },
      ...callSettings(judging),
    })
  const outputFirst = await ask(output, baseline)
  const outputSecond = await ask(baseline, output)
  const vote = (run: typeof outputFirst) => majorityVote(run.samples.map((sample) => sample.output.winner), WINNER_RANK)
  const first = vote(outputFirst)
  const second = vote(outputSecond)
  const outcome = combinePairwiseOrders(first, second)
  const score = PAIRWISE_SCORES[outcome]
  const reasoningFirst = outputFirst.samples[0]!.output.reasoning
  const reasoningSecond = outputSecond.samples[0]!.output.reasoning
  const positions = `output shown first: ${first === 'A' ? 'output' : first === 'B' ? 'baseline' : 'tie'}; shown second: ${second === 'B' ? 'output' : second === 'A' ? 'baseline' : 'tie'}`
  return {
    score,
    pass: score >= threshold,
    threshold,
    reason: `${outcome} (${positions})`,
    reasons: [
      `outcome: ${outcome} (${positions})`,
      `judge, output first: ${quoteJudgeText(reasoningFirst, 200)}`,
      `judge, output second: ${quoteJudgeText(reasoningSecond, 200)}`,
    ],
    details: { outcome, outputFirst: { winner: first, reasoning: reasoningFirst }, outputSecond: { winner: second, reasoning: reasoningSecond } },
    runs: [outputFirst, outputSecond],
  }
}
