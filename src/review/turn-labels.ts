// Labels on single turns of a conversation: stored in the labels file like any label, under the suite, case id and
// the metric `turn:<n>` (1-based), so they never mix with the case's own labels or with agreement, and
// `humanLabel(caseId, 'turn:2')` reads one back. Pure.
import type { CaseConversation } from '../history/run-record.js'
import { outputHash, type HumanLabel } from './labels-file.js'
import type { RowLabel } from './review-rows.js'

/** Prefix of the metric a turn's label is stored under. */
export const TURN_METRIC_PREFIX = 'turn:'

/**
 * The metric a label on turn `turn` (1-based) of a case's conversation is stored under.
 *
 * @example
 * turnLabelMetric(2) // 'turn:2'
 */
export function turnLabelMetric(turn: number): string {
  return `${TURN_METRIC_PREFIX}${turn}`
}

/** Hash of a turn as shown (user and assistant text): a label given to another version of the turn is stale. */
export function turnHash(turn: CaseConversation['turns'][number]): string {
  return outputHash(`${turn.user}\u0000${turn.assistant}`)
}

/**
 * The current labels of a case's turns, keyed by turn number (1-based); stale when the turn changed since.
 * `labelOf(metric)` finds the case's label of a metric (in its suite).
 *
 * @example
 * turnLabelsOf(row.conversation, (metric) => findLabel(index, { suite, caseId, metric }, caseSuites)) // { '2': { label: 'fail', at: '…', stale: false } }
 */
export function turnLabelsOf(conversation: CaseConversation, labelOf: (metric: string) => HumanLabel | undefined): Record<string, RowLabel> {
  const found: Record<string, RowLabel> = {}
  conversation.turns.forEach((turn, index) => {
    const stored = labelOf(turnLabelMetric(index + 1))
    if (!stored) return
    const stale = stored.outputHash !== undefined && stored.outputHash !== turnHash(turn)
    found[String(index + 1)] = { label: stored.label, at: stored.at, stale, ...(stored.note ? { note: stored.note } : {}), ...(stored.by ? { by: stored.by } : {}) }
  })
  return found
}
