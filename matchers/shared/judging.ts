// How a judged matcher calls its judge: the judge it resolves to, its options, and the signal that cancels
// its judge calls when the running test ends or is aborted (so a hung judge call never outlives its test).
import type { MatcherState } from 'vitest'
import type { JudgedOptions } from '../../src/judge/options.js'
import { resolveJudge } from '../../src/judge/resolve-judge.js'
import type { ScorerJudging } from '../../src/judge/scorers/judged-score.js'
import { runningTest } from './running-test.js'

/** The parts of Vitest's test context used here (Vitest 4.1 and 5 have both). */
interface TestContextLike {
  signal?: AbortSignal
  onTestFinished?: (handler: () => void) => void
}

interface TaskLike {
  name?: string
  context?: TestContextLike
}

/** Per test: the signal of its current attempt (Vitest gives each retry and repeat a new context signal). */
const attemptSignals = new WeakMap<object, { source: AbortSignal; signal: AbortSignal }>()

/**
 * A signal that aborts when the running test's own signal does (its timeout, a cancelled run) or when the
 * test attempt ends; undefined outside a test. One `onTestFinished` hook per test attempt, not per call.
 *
 * @example
 * runJudge(judge, { ...call, signal: testEndSignal(this) })
 */
export function testEndSignal(state: MatcherState): AbortSignal | undefined {
  const task = runningTest(state) as TaskLike | undefined
  const context = task?.context
  const source = context?.signal
  if (!task || !context || !source) return undefined
  const cached = attemptSignals.get(task)
  if (cached && cached.source === source && !cached.signal.aborted) return cached.signal
  const ended = new AbortController()
  try {
    context.onTestFinished?.(() => ended.abort(new Error(`the test ${JSON.stringify(task.name ?? '')} ended before the judge answered`)))
  } catch {
    // Called from a test hook, where Vitest allows no `onTestFinished`: the test's own signal still applies.
  }
  const signal = AbortSignal.any([source, ended.signal])
  attemptSignals.set(task, { source, signal })
  return signal
}

/**
 * The judge and call settings of one judged matcher call: its `judge` option (else the configured
 * default), `samples`, `prompt`, and the signal that cancels the calls when the test ends.
 *
 * @example
 * const judging = judgingFor(this, 'toBeRelevantTo', parsed)
 */
export function judgingFor(state: MatcherState, matcherName: string, options: JudgedOptions): ScorerJudging {
  const signal = testEndSignal(state)
  return {
    judge: resolveJudge(options.judge, matcherName),
    matcherName,
    ...(options.samples ? { samples: options.samples } : {}),
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(signal ? { signal } : {}),
  }
}
