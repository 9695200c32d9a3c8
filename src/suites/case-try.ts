// A try of a case that ran out of time (describeEval's timeout, or Vitest's) can go on after it: a scorer that
// ignores its signal still calls a matcher, whose record lands on `task.meta.evals` while the retry runs, where
// records are taken by position. So each try of a test that can run again carries a token in its async context,
// and the test's records drop a record pushed from a try that has ended; code of an ended try leaves them alone.
// A test that cannot run again (no `retry`, no `repeats`) gets a plain flag: no async context is tracked for it.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { ScoreRecord } from '../metrics/score-record.js'
import { evalMeta } from './task-meta.js'

/** One try of a case's test: `ended` once the case finished or a newer try of its test began. */
export interface CaseTry {
  readonly ended: boolean
  /** Runs the try's work with the try's token in its async context. */
  run<T>(work: () => Promise<T>): Promise<T>
  end(): void
}

class Try implements CaseTry {
  ended = false
  constructor(private readonly tries: AsyncLocalStorage<Try> | undefined) {}
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.tries ? this.tries.run(this, work) : work()
  }
  end(): void {
    this.ended = true
  }
}

let tries: AsyncLocalStorage<Try> | undefined
const latest = new WeakMap<object, Try>()

/** `push` of a test's records that can run again: a record pushed from an ended try is dropped. */
function pushUnlessEnded(this: ScoreRecord[], ...records: ScoreRecord[]): number {
  if (tries?.getStore()?.ended) return this.length
  return Array.prototype.push.apply(this, records)
}

function canRunAgain(task: { retry?: unknown; repeats?: unknown }): boolean {
  const retry = typeof task.retry === 'object' && task.retry !== null ? (task.retry as { count?: unknown }).count : task.retry
  return (typeof retry === 'number' && retry > 0) || (typeof task.repeats === 'number' && task.repeats > 0)
}

/**
 * Begins a try of `task`'s case: ends its previous try, and for a test that can run again makes its records drop
 * what an ended try pushes (a non-enumerable `push`: the records still cross to the reporter as a plain array).
 *
 * @example
 * const caseTry = beginTry(context.task)
 * try { await caseTry.run(() => runTrials()) } finally { caseTry.end() }
 */
export function beginTry(task: { meta: object; retry?: unknown; repeats?: unknown }): CaseTry {
  latest.get(task)?.end()
  if (!canRunAgain(task)) return new Try(undefined)
  tries ??= new AsyncLocalStorage<Try>()
  const caseTry = new Try(tries)
  latest.set(task, caseTry)
  const meta = evalMeta(task)
  const evals = (meta.evals ??= [])
  if (!Object.hasOwn(evals, 'push')) Object.defineProperty(evals, 'push', { value: pushUnlessEnded, enumerable: false, configurable: true, writable: true })
  return caseTry
}
