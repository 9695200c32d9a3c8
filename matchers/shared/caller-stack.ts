// A matcher's failure is made after awaits (a scorer's, a lazy import's), so its own stack holds only library
// frames, and Vitest, which takes the failure's file and line from the stack, could not show the test's line.
// As Vitest does for its own async assertions (`expect.poll`, `.resolves`, `toMatchFileSnapshot`: an error
// captured at the call lends its stack), the failure gets the frames captured at the matcher call. The stack
// text is read only on failure; the success path pays one small object and two closures.
import { LlmEvalsError } from '../../src/errors/index.js'

/** Where a matcher was called: an object with a stack captured at the call (`Error.captureStackTrace`). */
export interface CallSiteHolder {
  stack?: string
  /** Set by the wrapper that points the call's failures at it (the lazy matchers), so the await guard does not again. */
  pointed?: boolean
}

// The stack each error had before it was first pointed at a caller: an error shared by several calls (a
// memoized rejection) is pointed at each caller from its own frames, never from a previous call's.
const ownStacks = new WeakMap<Error, string>()

function frames(stack: string | undefined): string[] {
  return (stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
}

/**
 * Gives `error` the call site's frames, first (its message kept), so Vitest shows the test's file and line.
 * Its own frames follow when they can help (an unexpected error: a bug, an SDK's); a failed assertion's or
 * one of this library's errors (misuse, replay miss: the message says what and how) has none worth showing.
 *
 * @example
 * result.catch((error) => { throw pointAtCaller(error, callSite) })
 */
export function pointAtCaller(error: unknown, callSite: CallSiteHolder, assertionFailure = false): unknown {
  // Never throws: it runs inside the rejection handler that passes the failure on, and a throw there would
  // leave the awaiting test pending until its timeout, the failure lost to an unhandled rejection.
  try {
    if (!isError(error)) return error
    const caller = frames(callSite.stack)
    if (caller.length === 0) return error
    const own = ownStacks.get(error) ?? error.stack ?? ''
    if (!ownStacks.has(error)) ownStacks.set(error, own)
    const kept = assertionFailure || error instanceof LlmEvalsError ? [] : frames(own)
    error.stack = [`${error.name}: ${error.message}`, ...caller, ...kept].join('\n')
  } catch {
    // A frozen error, or one whose stack, name or message cannot be read or set (a getter that throws, a
    // revoked proxy, a symbol message), keeps its stack.
  }
  return error
}

/** An Error, from this realm or another (a `vm` context's, an iframe's: `instanceof Error` is false there). */
function isError(value: unknown): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]'
}

/**
 * A matcher's result as Vitest receives it: a thenable whose every failure — a rejection (misuse, a judge's
 * error) or the failed assertion Vitest throws from its own `then` callback — points at the call site before
 * any of Vitest's handlers (`expect.soft` records a failure there, before the caller could see it).
 */
class CallerPointedResult<T> implements PromiseLike<T> {
  readonly #result: PromiseLike<T>
  readonly #callSite: CallSiteHolder

  constructor(result: PromiseLike<T>, callSite: CallSiteHolder) {
    this.#result = result
    this.#callSite = callSite
  }

  then<Fulfilled = T, Rejected = never>(
    onFulfilled?: ((value: T) => Fulfilled | PromiseLike<Fulfilled>) | null,
    onRejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): PromiseLike<Fulfilled | Rejected> {
    const callSite = this.#callSite
    return this.#result.then(
      onFulfilled &&
        ((value: T) => {
          try {
            return onFulfilled(value)
          } catch (failure) {
            throw pointAtCaller(failure, callSite, true)
          }
        }),
      (error: unknown) => {
        pointAtCaller(error, callSite)
        if (onRejected) return onRejected(error)
        throw error
      },
    )
  }
}

/**
 * `result` (a matcher's promise) as a thenable whose failures point at `callSite`.
 *
 * @example
 * return pointedAtCaller(implementation.apply(this, args), callSite)
 */
export function pointedAtCaller<T>(result: PromiseLike<T>, callSite: CallSiteHolder): PromiseLike<T> {
  callSite.pointed = true
  return new CallerPointedResult(result, callSite)
}
