// How a case fails when its scorers could not score it: every scorer's error is shown, not only the first
// (fixing one, then meeting the next on the next run, wastes a run per scorer). Pure: no Vitest.
import { scorerError, type RepeatedScorerErrors } from './repeated-errors.js'

/** A scorer that could not score a case: its place in `scorers` (0-based) and what it threw. */
export interface ThrownByScorer {
  index: number
  error: unknown
}

const MAX_LINE_CHARS = 300

/**
 * How messages name scorer `index` (0-based) of a suite: its place (1-based) and its function's name.
 *
 * @example
 * scorerTitle(function judge() {}, 1, 'bot') // 'Scorer #2 (judge) of describeEval("bot")'
 */
export function scorerTitle(scorer: { name: string } | undefined, index: number, suite: string): string {
  const name = scorer?.name.replace(/^(bound )+/, '') ?? ''
  return `Scorer #${index + 1}${name === '' ? '' : ` (${name})`} of describeEval("${suite}")`
}

/**
 * What case `caseId` fails with when scorers threw: the error itself for one scorer; for several, an
 * AggregateError of all of them (Vitest shows each in full) whose message lists them, one line each. A
 * ConfigError another case already showed is a one-line pointer to it (see {@link RepeatedScorerErrors}).
 *
 * @example
 * throw scorersFailure([{ index: 0, error: a }, { index: 2, error: b }], scorers, 'bot', 'q1', repeated)
 */
export function scorersFailure(thrown: readonly ThrownByScorer[], scorers: readonly { name: string }[], suite: string, caseId: string, repeated?: RepeatedScorerErrors): unknown {
  const errors = thrown.map(({ error }) => (repeated ? repeated.forCase(error, caseId) : error))
  if (errors.length === 1) return errors[0]
  const lines = thrown.map(({ index, error }) => {
    const shown = scorerError(scorers[index], index, error)
    const line = shown.message.replace(/\s*\n\s*/g, ' ')
    return `  - scorer #${shown.scorer}${shown.name === undefined ? '' : ` (${shown.name})`}: ${line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line}`
  })
  return new AggregateError(errors, `[vitest-llm-evals] ${thrown.length} scorers of describeEval("${suite}") threw for case "${caseId}" (each error follows in full):\n${lines.join('\n')}\nFix each of them: the case fails until all of them score.`)
}
