// What the `suite threshold` test of a `describeEval` suite decides from its cases' outcomes. A suite with
// nothing to judge (no rows, every task threw, no scorer scored) fails saying why: it never passes silently.
// Pure: no Vitest.
import { evaluateSuiteGate, formatGateFailures, type CaseOutcome, type SuiteThreshold } from './suite-gate.js'
import type { NameSuggester } from './suite-threshold.js'
import { errorLine } from './case-error.js'
import { visibleText } from '../visible-text.js'
import { hideShownText, liveSecrets } from '../cassettes/redact.js'

/** The gate test's outcome: pass, skip (with Vitest's skip note) or fail (with the failure message). */
export type GateVerdict = { kind: 'pass' } | { kind: 'skip'; note: string } | { kind: 'fail'; message: string }

/**
 * An error's first line as the gate message shows it: live key values and key-shaped text hidden (before the cut: a
 * key cut in two matches neither), cut at 300 characters, controls escaped (errorLine).
 */
function firstLine(text: string): string {
  return errorLine(hideShownText(text, liveSecrets()))
}

/** A scorer's error on one line: a matcher's message often lists what is wrong on the lines after the first. */
function flattened(text: string): string {
  return errorLine(hideShownText(text, liveSecrets()).replace(/\s*\n\s*/g, ' '))
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

/** `3 cases failed before they were scored (first, case "q7": …)`, or '' when none did. */
function unscoredLine(failed: readonly CaseOutcome[]): string {
  const first = failed[0]
  if (first === undefined) return ''
  return `${plural(failed.length, 'case')} failed before ${failed.length === 1 ? 'it was' : 'they were'} scored (first, case "${first.caseId}": ${firstLine(first.error ?? '')})`
}

/**
 * One line per scorer that threw instead of scoring (`scorer #2 (similar) failed in 3 of 40 cases (first, case
 * "q7": ConfigError: …)`), in scorer order; none when no scorer threw.
 */
function scorerErrorLines(outcomes: readonly CaseOutcome[]): string[] {
  const byScorer = new Map<number, { name?: string; caseId: string; message: string; count: number }>()
  for (const outcome of outcomes) {
    for (const each of outcome.scorerErrors ?? []) {
      const seen = byScorer.get(each.scorer)
      if (seen) seen.count++
      else byScorer.set(each.scorer, { ...(each.name === undefined ? {} : { name: each.name }), caseId: outcome.caseId, message: each.message, count: 1 })
    }
  }
  return [...byScorer]
    .sort(([a], [b]) => a - b)
    .map(([scorer, each]) => `scorer #${scorer}${each.name === undefined ? '' : ` (${each.name})`} failed in ${each.count} of ${plural(outcomes.length, 'case')} (first, case "${each.caseId}": ${flattened(each.message)})`)
}

const SCORER_FIX = 'Fix the scorer (its error is shown in full on the test of the first case named); its metric is left out for those cases, not counted as 0, and the other scorers\' scores count as they are.'

/**
 * Judges a suite: `outcomes` are the cases that ran (in case order), `caseCount` the cases the data gave.
 * No rows, or cases that ran but none scored (every task threw, the scorers recorded nothing), fail; so does a
 * scorer that threw instead of scoring (named, with its error: its metric is left out, never counted as 0);
 * no case run (a `-t` filter) or only cases awaiting a human label skip; else the thresholds decide
 * (`suggest`, src/closest-name.ts, names the metric a missing `perMetric` one likely meant). A failure message shows
 * no key (live values, key-shaped text) and no raw control character.
 *
 * @example
 * suiteGateVerdict('support bot', { mean: 0.8 }, outcomes, 500) // { kind: 'pass' }
 */
export function suiteGateVerdict(suite: string, threshold: SuiteThreshold, outcomes: readonly CaseOutcome[], caseCount: number, suggest?: NameSuggester): GateVerdict {
  const verdict = judgeSuite(suite, threshold, outcomes, caseCount, suggest)
  // Suite names and case ids come from the project's code and data: the whole message is shown as its errors are.
  return verdict.kind === 'fail' ? { kind: 'fail', message: visibleText(hideShownText(verdict.message, liveSecrets())) } : verdict
}

function judgeSuite(suite: string, threshold: SuiteThreshold, outcomes: readonly CaseOutcome[], caseCount: number, suggest?: NameSuggester): GateVerdict {
  if (caseCount === 0) {
    return { kind: 'fail', message: `Suite "${suite}" has no cases: its data gave no rows, so its threshold cannot be checked. Check the data of describeEval("${suite}") (an empty file, or a filter that drops every row).` }
  }
  if (outcomes.length === 0) return { kind: 'skip', note: 'no case of this suite ran (filtered out?)' }
  const failed = outcomes.filter((outcome) => outcome.error !== undefined)
  const brokenScorers = scorerErrorLines(outcomes)
  const scored = outcomes.filter((outcome) => outcome.error === undefined && Object.keys(outcome.metrics).length > 0)
  if (scored.length === 0) {
    const awaiting = outcomes.filter((outcome) => outcome.awaitingLabel).length
    if (failed.length === 0 && awaiting === outcomes.length) return { kind: 'skip', note: `no case is scored yet: ${plural(awaiting, 'case')} await a human label (npx llm-evals review)` }
    const unscored = outcomes.filter((outcome) => outcome.error === undefined && outcome.scorerErrors === undefined).length
    const reasons = [
      unscoredLine(failed),
      ...brokenScorers,
      unscored === 0 ? '' : `${unscored < outcomes.length ? 'the other ' : ''}${plural(unscored, 'case')} recorded no score${awaiting ? ` (${awaiting} only await a human label)` : ''}: a scorer must call a matcher on context.expect (awaited or returned) or return a score (a number within 0..1, or { metric, score })`,
    ].filter(Boolean)
    const fix = brokenScorers.length ? `\n${SCORER_FIX}` : ''
    return { kind: 'fail', message: `Suite "${suite}" scored no case: ${plural(outcomes.length, 'case')} ran and none was scored, so its threshold cannot be checked.\n${reasons.map((reason) => `  - ${reason}`).join('\n')}${fix}` }
  }
  const failures = evaluateSuiteGate(outcomes, threshold)
  if (failures.length === 0 && brokenScorers.length === 0) return { kind: 'pass' }
  const partial = outcomes.length < caseCount ? `\n(${outcomes.length} of ${caseCount} cases ran; the others were filtered out or skipped.)` : ''
  const unscored = failed.length ? `\n(${unscoredLine(failed)}; counted as 0.)` : ''
  const gate = failures.length ? formatGateFailures(suite, failures, outcomes, suggest) + partial + unscored : ''
  if (brokenScorers.length === 0) return { kind: 'fail', message: gate }
  // A scorer that threw leaves its metric unjudged for those cases: the suite cannot pass on the others alone.
  // The whole-case pass rate leaves out every case a scorer threw for: with none left, it was not checked at all.
  const unjudged = threshold.passRate !== undefined && outcomes.every((outcome) => outcome.scorerErrors !== undefined)
  const met = unjudged
    ? `The pass rate (passRate ${threshold.passRate}) cannot be checked until then: every case that ran had a scorer that threw.`
    : 'The scores the other scorers gave meet the threshold.'
  const others = failures.length ? `\n\n${gate}` : `\n${met}${partial}${unscored}`
  return { kind: 'fail', message: `Suite "${suite}" cannot be fully checked: a scorer failed instead of scoring (it threw, or ran out of time).\n${brokenScorers.map((line) => `  - ${line}`).join('\n')}\n${SCORER_FIX}${others}` }
}
