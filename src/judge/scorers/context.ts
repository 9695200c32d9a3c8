import { averagePrecision } from '../../metrics/judged/average-precision.js'
import { scoreClaims } from '../../metrics/judged/claims.js'
import { medianIndex } from '../../metrics/judged/samples.js'
import { quoteJudgeText } from '../options.js'
import { checkIndexes, withOverride } from '../prompt.js'
import { contextPrecisionPrompt, contextPrecisionSchema } from '../prompts/context-precision.js'
import { contextRecallPrompt } from '../prompts/context-recall.js'
import { runJudge } from '../run-judge.js'
import { callSettings, contextList, type JudgedScore, type ScorerJudging } from './judged-score.js'

/**
 * Context recall: the share of the reference answer's claims attributable to the retrieved context.
 * Passes at `threshold` (default 1).
 *
 * @example
 * await scoreContextRecall({ reference: 'Refunds take 5 days.', context: chunks }, { judge })
 */
export async function scoreContextRecall(
  options: { reference: string; context: string | readonly string[]; threshold?: number },
  judging: ScorerJudging,
): Promise<JudgedScore> {
  const threshold = options.threshold ?? 1
  const run = await runJudge(judging.judge, {
    matcherName: judging.matcherName ?? 'scoreContextRecall',
    prompt: withOverride(contextRecallPrompt, judging.prompt),
    variables: { context: contextList(options.context), reference: options.reference },
    ...callSettings(judging),
  })
  const scored = run.samples.map((sample) => scoreClaims(sample.output.claims, { supported: 'attributed', threshold }))
  const index = medianIndex(scored.map((result) => result.score))
  const claims = run.samples[index]!.output.claims
  const result = scored[index]!
  return {
    score: result.score,
    pass: result.pass,
    threshold,
    reason: `${result.supported} of ${result.total} reference claims found in the context`,
    reasons: [
      `${result.supported} of ${result.total} reference claims found in the context`,
      ...result.failing.map((at) => `✗ not in context: ${quoteJudgeText(claims[at]!.claim, 200)} — judge: ${quoteJudgeText(claims[at]!.reasoning, 200)}`),
    ],
    details: { claims, attributed: result.supported, total: result.total },
    runs: [run],
  }
}

/**
 * Context precision: each retrieved chunk judged useful or not for the question, scored as the average
 * precision of the useful ones over the ranking. Passes at `threshold` (default 0.5).
 *
 * @example
 * await scoreContextPrecision(chunks, { question: 'How long do refunds take?' }, { judge })
 */
export async function scoreContextPrecision(
  chunks: readonly string[],
  options: { question: string; reference?: string; threshold?: number },
  judging: ScorerJudging,
): Promise<JudgedScore> {
  const threshold = options.threshold ?? 0.5
  const run = await runJudge(judging.judge, {
    matcherName: judging.matcherName ?? 'scoreContextPrecision',
    prompt: withOverride(contextPrecisionPrompt, judging.prompt),
    variables: { question: options.question, reference: options.reference ?? '', context: chunks },
    schema: contextPrecisionSchema(chunks.length),
    check: (output) => checkIndexes(output.chunks, chunks.length, 'chunk'),
    ...callSettings(judging),
  })
  const ranked = run.samples.map((sample) => [...sample.output.chunks].sort((a, b) => a.index - b.index))
  const scores = ranked.map((verdicts) => averagePrecision(verdicts.map((verdict) => verdict.verdict === 'useful')))
  const index = medianIndex(scores)
  const verdicts = ranked[index]!
  const useful = verdicts.map((verdict) => verdict.verdict === 'useful')
  const score = scores[index]!
  return {
    score,
    pass: score >= threshold,
    threshold,
    reason: `useful chunks at ranks ${useful.flatMap((isUseful, at) => (isUseful ? [at + 1] : [])).join(', ') || '(none)'} of ${chunks.length}`,
    reasons: verdicts.map((verdict) => `${verdict.verdict === 'useful' ? '✓' : '✗'} #${verdict.index} ${verdict.verdict}: ${quoteJudgeText(verdict.reasoning, 200)}`),
    details: { chunks: verdicts, useful },
    runs: [run],
  }
}
