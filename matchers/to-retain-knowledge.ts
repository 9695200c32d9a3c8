import type { MatcherState } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../src/lazy-schema.js'
import { describeReceived, isConversation } from '../src/agents/shape-guards.js'
import { ConfigError } from '../src/errors/index.js'
import { judgedOptionsShape, judgedScoreRecord, type JudgedOptions } from '../src/judge/options.js'
import { scoreKnowledgeRetention } from '../src/judge/scorers/knowledge-retention.js'
import { formatScore } from './shared/failure-message.js'
import { judgingFor } from './shared/judging.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { keepConversation } from './shared/trace-matching.js'
import { recordSummary, transcriptPreview } from './shared/record-preview.js'

/** Options of `toRetainKnowledge`. */
export interface RetainKnowledgeOptions extends JudgedOptions {
  /** Lowest passing share of replies that kept what the user said; default 1 (no reply forgets). */
  threshold?: number
}

const OptionsSchema = lazySchema(() => z.strictObject({ ...judgedOptionsShape(), threshold: z.number().min(0).max(1).optional() }))

/**
 * Passes when the assistant keeps what the user told it in earlier turns (DeepEval's knowledge retention):
 * no reply asks again for, contradicts or ignores something the user already said.
 *
 * @example
 * await expect(conversation).toRetainKnowledge()
 * @see docs/agents.md#task-completion-and-simulated-conversations
 */
export function toRetainKnowledge(this: MatcherState, received: unknown, options: RetainKnowledgeOptions = {}): Promise<MatcherOutcome> {
  if (!isConversation(received)) {
    throw new ConfigError(
      `toRetainKnowledge() judges a conversation: pass the result of simulateConversation() (or { turns: [{ user, assistant }], messages }), got ${describeReceived(received)}. ` +
        'To judge one reply, use a matcher on `conversation.turns[i].assistant`.',
    )
  }
  if (received.turns.length === 0) throw new ConfigError('toRetainKnowledge() got a conversation with no turns: there is nothing to judge.')
  const parsed = parseMatcherOptions('toRetainKnowledge', OptionsSchema(), options)
  const judging = judgingFor(this, 'toRetainKnowledge', parsed)
  keepConversation(this, received)
  return scoreKnowledgeRetention(received, parsed.threshold === undefined ? {} : { threshold: parsed.threshold }, judging).then((result) =>
    toMatcherResult(this, {
      record: judgedScoreRecord('knowledge-retention', result),
      report: {
        matcherName: 'toRetainKnowledge',
        expectation: `to retain what the user said in earlier turns (score >= ${formatScore(result.threshold ?? 1)})`,
        scoreLabel: 'knowledge retention',
        reasons: [...recordSummary(received), ...result.reasons],
        output: transcriptPreview(received),
      },
    }),
  )
}
