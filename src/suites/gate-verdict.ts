// What the `suite threshold` test of a `describeEval` suite decides from its cases' outcomes. A suite with
// nothing to judge (no rows, every task threw, no scorer scored) fails saying why: it never passes silently.
// Pure: no Vitest.
import { evaluateSuiteGate, formatGateFailures, type CaseOutcome, type SuiteThreshold } from './suite-gate.js'
import type { NameSuggester } from './suite-threshold.js'

/** The gate test's outcome: pass, skip (with Vitest's skip note) or fail (with the failure message). */
export type GateVerdict = { kind: 'pass' } | { kind: 'skip'; note: string } | { kind: 'fail'; message: string }

const MAX_ERROR_CHARS = 300

function firstLine(text: string): string {
  const line = (text.split('\n')[0] ?? '').replace(/^\[vitest-llm-evals\] /, '')
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS)}…` : line
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

/** `3 cases failed before they were scored (first, case "q7": …)`, or '' when none did. */
function unscoredLine(failed: readonly CaseOutcome[]): string {
  const first = failed[0]
  if (first === undefined) return ''
  return `${plural(failed.length, 'case')} failed before ${failed.length === 1 ? 'it was' : 'they were'} scored (first, case "${first.caseId}": ${firstLine(first.error ?? '')})`
}

/**
 * Judges a suite: `outcomes` are the cases that ran (in case order), `caseCount` the cases the data gave.
 * No rows, or cases that ran but none scored (every task threw, the scorers recorded nothing), fail;
 * no case run (a `-t` filter) or only cases awaiting a human label skip; else the thresholds decide
 * (`suggest`, src/closest-name.ts, names the metric a missing `perMetric` one likely meant).
 *
 * @example
 * suiteGateVerdict('support bot', { mean: 0.8 }, outcomes, 500) // { kind: 'pass' }
 */
export function suiteGateVerdict(suite: string, threshold: SuiteThreshold, outcomes: readonly CaseOutcome[], caseCount: number, suggest?: NameSuggester): GateVerdict {
  if (caseCount === 0) {
    return { kind: 'fail', message: `Suite "${suite}" has no cases: its data gave no rows, so its threshold cannot be checked. Check the data of describeEval("${suite}") (an empty file, or a filter that drops every row).` }
  }
  if (outcomes.length === 0) return { kind: 'skip', note: 'no case of this suite ran (filtered out?)' }
  const failed = outcomes.filter((outcome) => outcome.error !== undefined)
  const scored = outcomes.filter((outcome) => outcome.error === undefined && Object.keys(outcome.metrics).length > 0)
  if (scored.length === 0) {
    const awaiting = outcomes.filter((outcome) => outcome.awaitingLabel).length
    if (failed.length === 0 && awaiting === outcomes.length) return { kind: 'skip', note: `no case is scored yet: ${plural(awaiting, 'case')} await a human label (npx llm-evals review)` }
    const unscored = outcomes.length - failed.length
    const reasons = [
      unscoredLine(failed),
      unscored === 0 ? '' : `${failed.length ? 'the other ' : ''}${plural(unscored, 'case')} recorded no score${awaiting ? ` (${awaiting} only await a human label)` : ''}: a scorer must call a matcher on context.expect (awaited or returned) or return a score (a number within 0..1, or { metric, score })`,
    ].filter(Boolean)
    return { kind: 'fail', message: `Suite "${suite}" scored no case: ${plural(outcomes.length, 'case')} ran and none was scored, so its threshold cannot be checked.\n${reasons.map((reason) => `  - ${reason}`).join('\n')}` }
  }
  const failures = evaluateSuiteGate(outcomes, threshold)
  if (failures.length === 0) return { kind: 'pass' }
  const partial = outcomes.length < caseCount ? `\n(${outcomes.length} of ${caseCount} cases ran; the others were filtered out or skipped.)` : ''
  const unscored = failed.length ? `\n(${unscoredLine(failed)}; counted as 0.)` : ''
  return { kind: 'fail', message: formatGateFailures(suite, failures, outcomes, suggest) + partial + unscored }
}
