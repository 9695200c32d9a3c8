import { afterEach, chai, expect } from 'vitest'
import { ERROR_PREFIX } from '../../src/errors/index.js'
import type { MatcherState } from 'vitest'
import { refuseAsymmetricUse } from './asymmetric-use.js'
import { CALL_SITE_FRAMES, enterCallSite, leaveCallSite } from './call-site.js'
import { pointAtCaller, type CallSiteHolder } from './caller-stack.js'
import { runningTest } from './running-test.js'

// Vitest's custom async matchers return a plain promise: forgetting `await` goes unnoticed when the
// matcher passes, and a failure surfaces as an unhandled rejection outside the test. This guard does
// for our matchers what Vitest does for its own async assertions (`toMatchFileSnapshot`, `expect.poll`).

interface GuardedTest {
  type: string
}

/** One guarded matcher call, checked when its test ends. */
interface Check {
  awaited: boolean
  failure?: unknown
  text: string
  callSite: CallSite
}

const guardedMethods = new WeakSet<object>()
/** The guarded calls of each running test; `verifyAwaited` takes them when the test ends. */
const checks = new WeakMap<object, Check[]>()

function assertionText(assertion: object, name: string): string {
  const soft = chai.util.flag(assertion, 'soft') ? '.soft' : ''
  const not = chai.util.flag(assertion, 'negate') ? 'not.' : ''
  return `expect${soft}(output).${not}${name}(…)`
}

/** Where a matcher was called: an object with a captured `stack`. */
type CallSite = CallSiteHolder

function notAwaitedError(text: string, callSite: CallSite, failure: unknown): Error {
  const outcome = failure instanceof Error ? `\n\nIt failed on its own as well:\n${failure.message}` : ''
  const error = new Error(
    `${ERROR_PREFIX} \`${text}\` was not awaited. vitest-llm-evals matchers are asynchronous; without ` +
      `\`await\` their verdict may arrive after the test ends. Write:\n\nawait ${text}${outcome}`,
  )
  error.stack = `${error.message}\n${(callSite.stack ?? '').split('\n').slice(1).join('\n')}`
  return error
}

/**
 * `result`, whose failure points at the line that called the matcher, unless the matcher's own wrapper does
 * that already (the lazy matchers the plugin registers: theirs runs before `expect.soft` records a failure).
 */
function pointingAtCaller(result: Promise<unknown>, callSite: CallSite): Promise<unknown> {
  if (callSite.pointed === true) return result
  return result.catch((error: unknown) => {
    throw pointAtCaller(error, callSite)
  })
}

function guard(assertion: object, name: string, settled: Promise<unknown>, callSite: CallSite): PromiseLike<unknown> {
  const result = pointingAtCaller(settled, callSite)
  // `vitest-test` is the flag Vitest 4.1 and 5 set on each assertion (the source of a matcher's `this.task`).
  // With the global `expect` in a concurrent test, the flag names the test that began last: use the running one.
  const test = runningTest({ task: chai.util.flag(assertion, 'vitest-test') as MatcherState['task'] }) as GuardedTest | undefined
  if (test?.type !== 'test') return result
  const check: Check = { awaited: false, text: assertionText(assertion, name), callSite }
  // Keeps an un-awaited failure from also surfacing as an unhandled rejection; it is reported below.
  result.then(undefined, (error: unknown) => {
    check.failure = error
  })
  const list = checks.get(test)
  if (list) list.push(check)
  else checks.set(test, [check])
  return new GuardedResult(result, check)
}

/**
 * What a guarded matcher call returns: its result, noting that the caller awaited (or chained) it. A class, so
 * each call allocates one object, not an object and three closures (thousands of cases).
 */
class GuardedResult implements PromiseLike<unknown> {
  readonly #result: Promise<unknown>
  readonly #check: Check

  constructor(result: Promise<unknown>, check: Check) {
    this.#result = result
    this.#check = check
  }

  then<Fulfilled = unknown, Rejected = never>(
    onFulfilled?: ((value: unknown) => Fulfilled | PromiseLike<Fulfilled>) | null,
    onRejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<Fulfilled | Rejected> {
    this.#check.awaited = true
    return this.#result.then(onFulfilled, onRejected)
  }

  catch(onRejected: (reason: unknown) => unknown): Promise<unknown> {
    this.#check.awaited = true
    return this.#result.catch(onRejected)
  }

  finally(onFinally: () => void): Promise<unknown> {
    this.#check.awaited = true
    return this.#result.finally(onFinally)
  }

  get [Symbol.toStringTag](): string {
    return 'Promise'
  }
}

/**
 * Fails `test` (throws) when one of its guarded matcher calls was not awaited. `installAwaitGuard` runs it
 * after each test of the file it is called in.
 */
export function verifyAwaited(test: object): void {
  const list = checks.get(test)
  if (!list) return
  checks.delete(test)
  const missed = list.filter((check) => !check.awaited)
  const [first] = missed
  if (!first) return
  const error = notAwaitedError(first.text, first.callSite, first.failure)
  if (missed.length > 1) error.message += `\n\n(${missed.length - 1} more matcher call(s) in this test were not awaited either.)`
  throw error
}

/**
 * Makes an un-awaited call of the named matchers fail its test (with the call site and the fix), the way
 * Vitest treats its own async assertions. Call it right after `expect.extend(matchers)` at the top level
 * of the worker setup file (it registers an `afterEach` there that does the check, unless `afterEachHook`
 * is false and you call {@link verifyAwaited} from your own); calling it again is harmless, and calling
 * `expect.extend` again removes the guard. It also makes their asymmetric forms (`expect.toBeSimilarTo(…)` inside
 * `toEqual`), which cannot work for async matchers, throw a ConfigError saying what to write instead.
 *
 * @example
 * expect.extend(matchers)
 * installAwaitGuard(Object.keys(matchers))
 */
export function installAwaitGuard(matcherNames: Iterable<string>, options: { afterEachHook?: boolean } = {}): void {
  const prototype = chai.Assertion.prototype as unknown as Record<string, unknown>
  // One hook per file (not an `onTestFinished` per call: that costs a stack trace and a timer each). The
  // worker setup file passes `afterEachHook: false` and calls `verifyAwaited` from its own `afterEach`.
  if (options.afterEachHook !== false) afterEach((context) => verifyAwaited(context.task))
  const names = [...matcherNames]
  for (const name of names) {
    const method = prototype[name]
    if (typeof method !== 'function') {
      throw new Error(`${ERROR_PREFIX} installAwaitGuard: \`${name}\` is not a registered matcher. Call expect.extend(matchers) first.`)
    }
    if (guardedMethods.has(method)) continue
    chai.util.overwriteMethod(chai.Assertion.prototype, name, (original: (...args: unknown[]) => unknown) => {
      return function guardedMatcher(this: object, ...args: unknown[]) {
        // One stack capture per call, shared with the score's call site (call-site.ts); its text is built only
        // on failure. A short trace is enough to show the call; it keeps the capture cheap at thousands of calls.
        const callSite: CallSite = {}
        const limit = Error.stackTraceLimit
        Error.stackTraceLimit = CALL_SITE_FRAMES
        Error.captureStackTrace(callSite, guardedMatcher)
        Error.stackTraceLimit = limit
        const outer = enterCallSite(callSite)
        let result: unknown
        try {
          result = original.apply(this, args)
        } finally {
          leaveCallSite(outer)
        }
        return result instanceof Promise ? guard(this, name, result, callSite) : result
      }
    })
    guardedMethods.add(prototype[name] as object)
  }
  refuseAsymmetricUse(expect, names)
}

/** True when `installAwaitGuard` covers the matcher `name` as it is registered now. */
export function isAwaitGuarded(name: string): boolean {
  const method = (chai.Assertion.prototype as unknown as Record<string, unknown>)[name]
  return typeof method === 'function' && guardedMethods.has(method)
}
