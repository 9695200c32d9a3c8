import { DEFAULT_RENDER_LIMITS } from '../../agents/bound-regions.js'
import { conversationRegions } from '../../agents/render-trace.js'
import { describeReceived, isConversation } from '../../agents/shape-guards.js'
import type { Conversation } from '../../agents/types.js'
import { ConfigError } from '../../errors/index.js'
import { medianIndex } from '../../metrics/judged/samples.js'
import { quoteJudgeText } from '../options.js'
import { withOverride } from '../prompt.js'
import { knowledgeRetentionPrompt, type KnowledgeRetentionVerdict } from '../prompts/knowledge-retention.js'
import { runJudge } from '../run-judge.js'
import { boundedAsStored } from '../stored-cuts.js'
import { callSettings, type JudgedScore, type ScorerJudging } from './judged-score.js'
import { cutsReason } from './task-completion.js'

type ReplyVerdict = KnowledgeRetentionVerdict['turns'][number]

/**
 * The share of assistant replies that kept what the user had said, among the replies that needed any
 * (1 when none did).
 *
 * @example
 * retentionScore([{ verdict: 'retained' }, { verdict: 'forgot' }, { verdict: 'nothing-to-retain' }]) // 0.5
 */
export function retentionScore(verdicts: readonly Pick<ReplyVerdict, 'verdict'>[]): { score: number; retained: number; forgot: number } {
  const retained = verdicts.filter((item) => item.verdict === 'retained').length
  const forgot = verdicts.filter((item) => item.verdict === 'forgot').length
  return { score: retained + forgot === 0 ? 1 : retained / (retained + forgot), retained, forgot }
}

function checkTurns(items: readonly { index: number }[], expected: readonly number[]): string | undefined {
  const seen = items.map((item) => item.index).sort((a, b) => a - b)
  if (JSON.stringify(seen) === JSON.stringify(expected)) return undefined
  return `expected one verdict per assistant reply with index ${expected.join(', ')}, got indexes [${seen.join(', ')}]`
}

/**
 * Knowledge retention (DeepEval's metric): each assistant reply is judged on whether it kept what the user
 * told it earlier; the score is the share of replies that did, among those that needed to. Passes at
 * `threshold` (default 1: no reply forgets).
 *
 * @example
 * await scoreKnowledgeRetention(conversation, {}, { judge })
 */
export async function scoreKnowledgeRetention(conversation: Conversation, options: { threshold?: number }, judging: ScorerJudging): Promise<JudgedScore> {
  const matcherName = judging.matcherName ?? 'scoreKnowledgeRetention'
  if (!isConversation(conversation)) {
    throw new ConfigError(`${matcherName}() needs a conversation ({ turns: [{ user, assistant }], messages }), e.g. from simulateConversation(), got ${describeReceived(conversation)}.`)
  }
  if (conversation.turns.length === 0) throw new ConfigError(`${matcherName}() got a conversation with no turns: there is nothing to judge.`)
  const threshold = options.threshold ?? 1
  // Cut as the cassette stores the turns (see `boundedAsStored`), so a recording replays.
  const shown = await boundedAsStored((limits) => conversationRegions(conversation, limits), 'turn', DEFAULT_RENDER_LIMITS)
  const replies = shown.regions.flatMap((region) => (region.tag === 'assistant' && region.index !== undefined ? [region.index] : []))
  const run = await runJudge(judging.judge, {
    matcherName,
    prompt: withOverride(knowledgeRetentionPrompt, judging.prompt),
    variables: { transcript: shown.regions, indexes: replies.join(', ') },
    check: (output) => checkTurns(output.turns, replies),
    ...callSettings(judging),
  })
  const sorted = run.samples.map((sample) => [...sample.output.turns].sort((a, b) => a.index - b.index))
  const scored = sorted.map(retentionScore)
  const index = medianIndex(scored.map((result) => result.score))
  const verdicts = sorted[index]!
  const { score, retained, forgot } = scored[index]!
  const summary = `${retained} of ${retained + forgot} replies that needed what the user said kept it`
  return {
    score,
    pass: score >= threshold,
    threshold,
    reason: summary,
    reasons: [
      summary,
      ...verdicts
        .filter((item) => item.verdict === 'forgot')
        .map((item) => `✗ turn ${item.index} forgot ${quoteJudgeText(item.knowledge, 200)} — judge: ${quoteJudgeText(item.reasoning, 200)}`),
      ...cutsReason(shown.cuts),
    ],
    details: { turns: verdicts, retained, forgot, ...(shown.cuts.cutTexts + shown.cuts.omittedRegions > 0 ? { cuts: { ...shown.cuts } } : {}) },
    runs: [run],
  }
}
