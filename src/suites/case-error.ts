// What the reporter is told of a case that could not be scored (its task threw or ran out of time, a scorer threw):
// the case fails, and the report lists it as the suite gate counts it, not as a case that never ran. Pure.
import { visibleText } from '../visible-text.js'
import type { ScorerError } from './suite-gate.js'

/** Stored on `task.meta.caseError` (plain JSON) by the try that failed; a later try that scores clears it. */
export interface CaseError {
  /** `task`: the task threw or timed out (0 on every metric, as the gate counts it); `scorer`: a scorer threw (its metric is left out). */
  kind: 'task' | 'scorer'
  /** The error on one line, controls escaped. */
  message: string
  /** The trials the case was to run (`repeats`). */
  trials: number
  /**
   * Set while a try runs (the index of its first record on `task.meta.evals`): still there when the test ended, the
   * try did not finish (Vitest's timeout stopped it); the report uses Vitest's error and leaves out the try's records.
   */
  unfinishedFrom?: number
}

const MAX_CHARS = 300

/**
 * The first line of an error's message, without the library's prefix, cut at 300 characters, controls escaped.
 *
 * @example
 * errorLine(new Error('[vitest-llm-evals] Case "q1" timed out\nmore')) // 'Case "q1" timed out'
 */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  const line = (text.split('\n')[0] ?? '').replace(/^\[vitest-llm-evals\] /, '')
  return visibleText(line.length > MAX_CHARS ? `${cutBeforeWord(line, MAX_CHARS)}…` : line)
}

// Characters of a key (and of a word): a cut among them would keep part of a key, which neither a key pattern
// nor a live value's scrub (done in the reporter, after this cut) recognises.
const WORD_CHARACTER = /[\w+/=.~-]/

/** `line` cut at `at`, and back to the start of the word the cut falls in (or before a character cut in two). */
function cutBeforeWord(line: string, at: number): string {
  let end = at
  if (WORD_CHARACTER.test(line[at] ?? '')) while (end > 0 && WORD_CHARACTER.test(line[end - 1] as string)) end--
  const last = line.charCodeAt(end - 1)
  return line.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end)
}

/**
 * The case error of a case whose task threw or timed out (in any of its `repeats` trials).
 *
 * @example
 * taskCaseError(new Error('upstream refused'), 3) // { kind: 'task', message: 'upstream refused', trials: 3 }
 */
export function taskCaseError(error: unknown, repeats: number): CaseError {
  return { kind: 'task', message: errorLine(error), trials: repeats }
}

/**
 * The case error of a case whose scorers threw: the first one's, named (`scorer #2 (judge): …`).
 *
 * @example
 * scorerCaseError([{ scorer: 1, name: 'judged', message: 'judge: 500' }], 1) // { kind: 'scorer', message: 'scorer #1 (judged): judge: 500', trials: 1 }
 */
export function scorerCaseError(errors: readonly ScorerError[], repeats: number): CaseError {
  const [first] = errors
  const named = first ? `scorer #${first.scorer}${first.name === undefined ? '' : ` (${first.name})`}: ${first.message}` : 'a scorer threw'
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more scorer${errors.length > 2 ? 's' : ''})` : ''
  return { kind: 'scorer', message: `${errorLine(named)}${more}`, trials: repeats }
}

/**
 * The case error a try stores as it begins, replaced when it finishes: left when Vitest's timeout stops it.
 *
 * @example
 * unfinishedCaseError(2, 0) // { kind: 'task', message: '', trials: 2, unfinishedFrom: 0 }
 */
export function unfinishedCaseError(repeats: number, firstRecord: number): CaseError {
  return { kind: 'task', message: '', trials: repeats, unfinishedFrom: firstRecord }
}
