// The `threshold` option of `describeEval`, checked once per suite before any case runs: a misspelt key or a
// percentage would otherwise be ignored, and the suite would pass with no target at all. Pure: no Vitest.
import type { closestName } from '../closest-name.js'
import { ConfigError } from '../errors/index.js'
import { printValue } from '../print-value.js'
import type { SuiteThreshold, ThresholdTargets } from './suite-gate.js'

/**
 * `closestName` of src/closest-name.ts, passed in: the library's modules load it lazily, as the reporter shares
 * their chunk and must not load its dependency (scripts/bundle.ts checks).
 */
export type NameSuggester = typeof closestName

const SUITE_KEYS = ['mean', 'passRate', 'perMetric'] as const
const TARGET_KEYS = ['mean', 'passRate'] as const

/** A value as a message shows it: numbers as written (`NaN`, `80`), strings quoted, the rest as bounded JSON. */
export function shownValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === undefined) return String(value)
  return printValue(typeof value === 'string' ? JSON.stringify(value) : value, { maxChars: 120 })
}

const shownKey = (key: string) => JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key)
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value))

function unknownKey(where: string, key: string, value: unknown, valid: readonly string[], suggest: NameSuggester | undefined): ConfigError {
  const near = suggest?.(key, valid)
  // At the top level, a key that is no typo of a target is most likely a metric's name.
  const example = typeof value === 'number' && value >= 0 && value <= 1 ? value : 0.8
  const perMetric = near === undefined && valid === SUITE_KEYS ? ` Targets for one metric go under perMetric: { perMetric: { ${shownKey(key)}: { mean: ${example} } } }.` : ''
  return new ConfigError(`${where} has an unknown key ${shownKey(key)}${near === undefined ? '.' : `; did you mean "${near}"?`} Valid keys: ${valid.join(', ')}.${perMetric}`)
}

function target(where: string, value: unknown): number {
  if (typeof value === 'number' && value >= 0 && value <= 1) return value
  // 80 meant as 80%: say what it is as a fraction.
  const percent = typeof value === 'number' && Number.isInteger(value) && value > 1 && value <= 100 ? ` (${value}% is ${value / 100})` : ''
  throw new ConfigError(`${where} is ${shownValue(value)}; a threshold is a number within 0..1${percent}.`)
}

/** `mean` and `passRate` of `given`, checked; `path` is where they are (`threshold`, `threshold.perMetric["x"]`). */
function targets(suite: string, path: string, given: Record<string, unknown>, valid: readonly string[], suggest: NameSuggester | undefined): ThresholdTargets {
  const checked: ThresholdTargets = {}
  for (const [key, value] of Object.entries(given)) {
    if (key !== 'mean' && key !== 'passRate') throw unknownKey(`${suite} option ${path}`, key, value, valid, suggest)
    checked[key] = target(`${suite} option ${path}.${key}`, value)
  }
  return checked
}

/**
 * Checks `describeEval`'s `threshold` option: an object of `mean`, `passRate` (numbers within 0..1) and
 * `perMetric` (metric name → `{ mean?, passRate? }`), with at least one target. Anything else is a
 * `ConfigError` naming the suite, the key or value, and the valid keys (with the likely one for a typo, by `suggest`).
 *
 * @example
 * suiteThresholdOption({ mean: 0.8 }, 'support bot') // { mean: 0.8 }
 * suiteThresholdOption({ men: 0.8 }, 'support bot', closestName) // throws: unknown key "men"; did you mean "mean"?
 */
export function suiteThresholdOption(value: unknown, suite: string, suggest?: NameSuggester): SuiteThreshold | undefined {
  if (value === undefined) return undefined
  const where = `describeEval("${suite}")`
  if (!isPlainObject(value)) {
    const meant = typeof value === 'number' && value >= 0 && value <= 1 ? `; did you mean { mean: ${value} }?` : ''
    throw new ConfigError(`${where} option threshold must be an object of targets such as { mean: 0.8, passRate: 0.9 }, got ${shownValue(value)}${meant}`)
  }
  const { perMetric, ...suiteWide } = value
  const checked: SuiteThreshold = targets(where, 'threshold', suiteWide, SUITE_KEYS, suggest)
  if (perMetric !== undefined) {
    if (!isPlainObject(perMetric)) throw new ConfigError(`${where} option threshold.perMetric must map metric names to targets, such as { "similarity:rouge-l": { mean: 0.7 } }, got ${shownValue(perMetric)}.`)
    checked.perMetric = {}
    for (const [metric, given] of Object.entries(perMetric)) {
      const path = `threshold.perMetric[${shownKey(metric)}]`
      if (!isPlainObject(given)) {
        const meant = typeof given === 'number' && given >= 0 && given <= 1 ? `; did you mean { mean: ${given} }?` : '.'
        throw new ConfigError(`${where} option ${path} must be targets { mean?, passRate? }, got ${shownValue(given)}${meant}`)
      }
      const metricTargets = targets(where, path, given, TARGET_KEYS, suggest)
      if (Object.keys(metricTargets).length === 0) throw new ConfigError(`${where} option ${path} sets no target: give it mean or passRate (numbers within 0..1), or remove it.`)
      // Defined, not assigned: a metric named `__proto__` (JSON.parse makes one) is a target like any other.
      Object.defineProperty(checked.perMetric, metric, { value: metricTargets, enumerable: true, writable: true, configurable: true })
    }
  }
  if (checked.mean === undefined && checked.passRate === undefined && Object.keys(checked.perMetric ?? {}).length === 0) {
    throw new ConfigError(`${where} option threshold sets no target: give it mean, passRate or perMetric, or leave threshold out (the cases then fail on their own).`)
  }
  return checked
}
