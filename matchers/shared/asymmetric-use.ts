// Vitest's `expect.extend` also makes each matcher an asymmetric one (`expect.toBeSimilarTo(…)`, for use inside
// `toEqual` or `expect.objectContaining`), whose verdict it reads synchronously: `const { pass } = matcher(…)`.
// Ours are async, so `pass` was always undefined: the positive form always failed with a bare diff, the `.not`
// form always passed, and the matcher still ran (and scored) in the background. The asymmetric forms are
// replaced, once per worker, by ones that throw a ConfigError at the call; the matcher calls pay nothing.
import { ConfigError } from '../../src/errors/index.js'
import { printValue } from '../../src/print-value.js'

/** Where Vitest 4.1 and 5 keep the asymmetric matchers they copy onto each test context's `expect`. */
const ASYMMETRIC_MATCHERS = Symbol.for('asymmetric-matchers-object')
const MAX_SAMPLE_CHARS = 120

/** The arguments as the fix shows them: `"x", {"method":"dice"}`, or `…` when long. */
function shownSample(sample: readonly unknown[]): string {
  const text = sample.map((value) => (typeof value === 'string' ? JSON.stringify(value) : printValue(value, { maxChars: MAX_SAMPLE_CHARS }))).join(', ')
  return text.length > MAX_SAMPLE_CHARS ? '…' : text
}

/**
 * The error of `expect.<name>(…)` (or `expect.not.<name>(…)`) used as an asymmetric matcher: why it cannot work
 * and the awaited assertion to write instead.
 *
 * @example
 * asymmetricUseError('toBeSimilarTo', false, ['x']) // ConfigError: expect.toBeSimilarTo(…) cannot be used as an asymmetric matcher …
 */
export function asymmetricUseError(name: string, negated: boolean, sample: readonly unknown[]): ConfigError {
  const not = negated ? 'not.' : ''
  return new ConfigError(
    `expect.${not}${name}(…) cannot be used as an asymmetric matcher (inside toEqual, toMatchObject, expect.objectContaining, toHaveBeenCalledWith…): ` +
      `vitest-llm-evals matchers are asynchronous, and Vitest reads an asymmetric matcher's verdict at once, so it would never pass ` +
      `(and expect.not.${name}(…) would always pass). Assert on the value itself, with await:\n\nawait expect(value.a).${not}${name}(${shownSample(sample)})`,
  )
}

function refusing(name: string, negated: boolean): (...sample: unknown[]) => never {
  const asymmetric = (...sample: unknown[]): never => {
    const error = asymmetricUseError(name, negated, sample)
    // The stack starts at the line that wrote `expect.<name>(…)`.
    Error.captureStackTrace(error, asymmetric)
    throw error
  }
  return asymmetric
}

/** Replaces `target[name]` when Vitest defined it (a function): never adds a property Vitest did not. */
function replace(target: unknown, name: string, value: unknown): void {
  if ((typeof target !== 'object' && typeof target !== 'function') || target === null) return
  if (typeof (target as Record<string, unknown>)[name] !== 'function') return
  Object.defineProperty(target, name, { configurable: true, enumerable: true, writable: true, value })
}

/**
 * Makes `expect.<name>(…)` and `expect.not.<name>(…)` throw a ConfigError (with the fix) for each matcher named,
 * on `expect` and on the test contexts' `expect`s made after this call. Call it after `expect.extend`.
 *
 * @example
 * expect.extend(matchers)
 * refuseAsymmetricUse(expect, Object.keys(matchers))
 */
export function refuseAsymmetricUse(expect: object, matcherNames: Iterable<string>): void {
  const copied = (globalThis as Record<symbol, unknown>)[ASYMMETRIC_MATCHERS]
  const negated = (expect as { not?: unknown }).not
  for (const name of matcherNames) {
    const positive = refusing(name, false)
    replace(expect, name, positive)
    replace(copied, name, positive)
    replace(negated, name, refusing(name, true))
  }
}
