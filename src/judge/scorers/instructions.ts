import { majorityVote } from '../../metrics/judged/samples.js'
import { checkIndexes, withOverride } from '../prompt.js'
import { instructionsPrompt } from '../prompts/instructions.js'
import { runJudge, type JudgeRun } from '../run-judge.js'
import { callSettings, type ScorerJudging } from './judged-score.js'

/** The judge's verdict on one free-text instruction. */
export interface FreeTextVerdict {
  instruction: string
  verdict: 'followed' | 'not-followed' | 'not-applicable'
  /** Followed or not applicable. */
  pass: boolean
  reasoning: string
}

const VERDICT_SCORES = { followed: 1, 'not-applicable': 1, 'not-followed': 0 } as const

/**
 * Judges every free-text instruction in one call: a verdict per instruction (followed / not followed /
 * not applicable, the last counting as followed), majority vote per instruction over samples.
 *
 * @example
 * await scoreFreeTextInstructions(reply, ['Be polite.', 'Mention the order number.'], { judge })
 */
export async function scoreFreeTextInstructions(
  output: string,
  instructions: readonly string[],
  judging: ScorerJudging,
): Promise<{ verdicts: FreeTextVerdict[]; run: JudgeRun<unknown> }> {
  const run = await runJudge(judging.judge, {
    matcherName: judging.matcherName ?? 'scoreFreeTextInstructions',
    prompt: withOverride(instructionsPrompt, judging.prompt),
    variables: { instructions: instructions.map((text, index) => `${index + 1}. ${text}`).join('\n'), output },
    check: (result) => checkIndexes(result.verdicts, instructions.length, 'instruction'),
    ...callSettings(judging),
  })
  const verdicts = instructions.map((instruction, at) => {
    const votes = run.samples.map((sample) => sample.output.verdicts.find((verdict) => verdict.index === at + 1)!)
    const verdict = majorityVote(votes.map((vote) => vote.verdict), VERDICT_SCORES)
    const reasoning = votes.find((vote) => vote.verdict === verdict)!.reasoning
    return { instruction, verdict, pass: verdict !== 'not-followed', reasoning }
  })
  return { verdicts, run }
}
