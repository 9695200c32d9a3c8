// The options of `describeEval`, checked once per suite before any case runs: a misspelt option (`treshold`,
// `scorer`) or value (`passOn: 'any'`) was ignored, and the suite ran without what it asked for (no scorers:
// every case passed unscored). Pure: no Vitest.
import { ConfigError } from '../errors/index.js'
import { shownValue, type NameSuggester } from './suite-threshold.js'

/** Every option `describeEval` takes. */
export const DESCRIBE_EVAL_OPTIONS = ['data', 'task', 'scorers', 'threshold', 'repeats', 'k', 'passOn', 'caseFailures', 'concurrency', 'timeout', 'name', 'idField', 'confirmFailures', 'input', 'expected'] as const

const CHOICES = { passOn: ['every-trial', 'any-trial'], caseFailures: ['fail', 'score'] } as const
const FUNCTIONS = ['task', 'input', 'expected'] as const
const STRINGS = ['name', 'idField'] as const
const MAX_KEYS_NAMED = 5

/**
 * The keys of `options` that `describeEval` does not know (none, for options it can read).
 *
 * @example
 * unknownOptions({ data: [], task, treshold: { mean: 0.8 } }) // ['treshold']
 */
export function unknownOptions(options: object): string[] {
  const known: readonly string[] = DESCRIBE_EVAL_OPTIONS
  return Object.keys(options).filter((key) => !known.includes(key))
}

const quoted = (key: string) => JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key)

/**
 * Checks the options of `describeEval` other than the numbers and `threshold` (checked where they are read):
 * no unknown option, `task` (and `input`, `expected`) functions, `scorers` an array of functions, `name` and
 * `idField` strings, `passOn` and `caseFailures` one of their values. A ConfigError names the suite, the option
 * and what it takes, with the likely name for a typo (`suggest`: src/closest-name.ts).
 *
 * @example
 * checkSuiteOptions({ data: rows, task, scorer: [exact] }, 'support bot', closestName) // throws: unknown option "scorer"; did you mean "scorers"?
 */
export function checkSuiteOptions(options: Record<string, unknown>, suite: string, suggest?: NameSuggester): void {
  const where = `describeEval("${suite}")`
  if (typeof options !== 'object' || options === null) throw new ConfigError(`${where} needs options { data, task, scorers?, threshold?, … }, got ${shownValue(options)}.`)
  const unknown = unknownOptions(options)
  if (unknown.length > 0) {
    const named = unknown.slice(0, MAX_KEYS_NAMED)
    // One unknown key: `did you mean "repeats"?`; several: which guess is for which key.
    const guesses = named.flatMap((key) => {
      const near = suggest?.(key, DESCRIBE_EVAL_OPTIONS)
      if (near === undefined) return []
      return [unknown.length === 1 ? `"${near}"` : `"${near}" for ${quoted(key)}`]
    })
    const more = unknown.length > named.length ? ` (+${unknown.length - named.length} more)` : ''
    const noun = unknown.length === 1 ? 'an unknown option' : 'unknown options'
    throw new ConfigError(`${where} has ${noun} ${named.map(quoted).join(', ')}${more}${guesses.length ? `; did you mean ${guesses.join(', ')}?` : '.'} Options: ${DESCRIBE_EVAL_OPTIONS.join(', ')}.`)
  }
  if (options.data === undefined) throw new ConfigError(`${where} needs data: the rows (an array, e.g. from loadDataset), a promise of them, or a function returning them.`)
  for (const option of FUNCTIONS) {
    const value = options[option]
    if ((value !== undefined || option === 'task') && typeof value !== 'function') throw new ConfigError(`${where} option ${option} must be a function, got ${shownValue(value)}.`)
  }
  for (const option of STRINGS) {
    const value = options[option]
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new ConfigError(`${where} option ${option} must be a non-empty string, got ${shownValue(value)}.`)
  }
  const scorers = options.scorers
  if (scorers !== undefined) {
    if (!Array.isArray(scorers)) throw new ConfigError(`${where} option scorers must be an array of functions, got ${shownValue(scorers)}${typeof scorers === 'function' ? '; put the scorer in an array: scorers: [scorer]' : ''}.`)
    const bad = scorers.findIndex((scorer) => typeof scorer !== 'function')
    if (bad >= 0) throw new ConfigError(`${where} option scorers[${bad}] is ${shownValue(scorers[bad])}, not a function; a scorer is (output, { row, expect }) => a score, or matchers called on expect.`)
  }
  for (const [option, choices] of Object.entries(CHOICES)) {
    const value = options[option]
    if (value === undefined || (choices as readonly unknown[]).includes(value)) continue
    const near = typeof value === 'string' ? suggest?.(value, choices) : undefined
    throw new ConfigError(`${where} option ${option} must be ${choices.map((choice) => `'${choice}'`).join(' or ')}, got ${shownValue(value)}${near === undefined ? '.' : `; did you mean '${near}'?`}`)
  }
}
