// A scorer misused (a ConfigError: a missing option, a score out of range) usually fails every case of its
// suite the same way: a 500-row suite would print the same error and stack 500 times. The first case shows
// it in full; later cases fail with one line pointing there, and the suite reports the count once.
import { ConfigError, ERROR_PREFIX } from '../errors/index.js'
import type { ScorerError } from './suite-gate.js'

interface Seen {
  caseId: string
  scorer: number
  message: string
  /** The cases it failed: a case's retries (Vitest's `retry`) and repeats are one case. */
  cases: Set<string>
}

/** The scorer (0-based) whose run threw each error, so the case can tell a scorer's ConfigError from the task's. */
const thrownBy = new WeakMap<object, number>()

/**
 * Marks `error` as thrown by scorer `index` (0-based) and returns it, to be rethrown.
 *
 * @example
 * throw fromScorer(error, 0)
 */
export function fromScorer(error: unknown, index: number): unknown {
  if (typeof error === 'object' && error !== null) thrownBy.set(error, index)
  return error
}

/**
 * What the suite gate shows of the error scorer `index` (0-based) threw: the scorer (1-based, and its
 * function's name) and the error's name and message.
 *
 * @example
 * scorerError(function similar() {}, 1, new ConfigError('bad option')) // { scorer: 2, name: 'similar', message: 'ConfigError: bad option' }
 */
export function scorerError(scorer: { name: string } | undefined, index: number, error: unknown): ScorerError {
  const name = scorer?.name.replace(/^(bound )+/, '') ?? ''
  // This library's own errors without a kind of their own (a scorer that ran out of time) show their message alone.
  const plain = error instanceof Error && (error.name === 'Error' || error.name === 'LlmEvalsError')
  const text = error instanceof Error ? `${plain ? '' : `${error.name}: `}${error.message}` : String(error)
  return { scorer: index + 1, ...(name === '' ? {} : { name }), message: text.replace(`${ERROR_PREFIX} `, '') }
}

/** An error printed as its message alone: no stack frames, so Vitest shows no code frame for it. */
function oneLine(message: string): ConfigError {
  const error = new ConfigError(message)
  error.stack = `${error.name}: ${error.message}`
  return error
}

/**
 * The ConfigErrors the scorers of one suite threw, by message (with the case id left out).
 *
 * @example
 * const repeated = new RepeatedScorerErrors('support bot')
 * throw repeated.forCase(error, 'q7') // the error itself the first time, then a one-line pointer to it
 */
export class RepeatedScorerErrors {
  private readonly seen = new Map<string, Seen>()

  constructor(private readonly suite: string) {}

  /** What case `caseId` fails with: `error` itself, unless the same scorer ConfigError already failed another case. */
  forCase(error: unknown, caseId: string): unknown {
    const scorer = typeof error === 'object' && error !== null ? thrownBy.get(error) : undefined
    if (scorer === undefined || !(error instanceof Error) || error.name !== 'ConfigError') return error
    const key = `${scorer}\u0000${error.message.split(`"${caseId}"`).join('"\u0000"')}`
    const seen = this.seen.get(key)
    if (seen === undefined) {
      this.seen.set(key, { caseId, scorer, message: error.message, cases: new Set([caseId]) })
      return error
    }
    const source = `the same ConfigError from scorer #${scorer + 1} of describeEval("${this.suite}")`
    // A retry of the first case: its earlier try's failure, listed above this one on the same test, has it in full.
    if (caseId === seen.caseId) return oneLine(`Case "${caseId}", tried again: ${source} as on its first try, shown in full there.`)
    seen.cases.add(caseId)
    return oneLine(`Case "${caseId}": ${source} as case "${seen.caseId}", shown in full there (${seen.cases.size} cases so far).`)
  }

  /** One line per scorer ConfigError that failed more than one case, with its count; undefined when none did. */
  summary(casesRun: number): Error | undefined {
    const repeated = [...this.seen.values()].filter((each) => each.cases.size > 1)
    if (repeated.length === 0) return undefined
    const lines = repeated.map((each) => `  - scorer #${each.scorer + 1}, ${each.cases.size} of ${casesRun} cases (first: case "${each.caseId}"): ${each.message.split('\n')[0]?.replace(/^\[vitest-llm-evals\] /, '')}`)
    return oneLine(`The scorers of describeEval("${this.suite}") threw the same ConfigError in several cases, shown in full once each:\n${lines.join('\n')}\nFix the scorer: each of these cases fails until then.`)
  }
}
