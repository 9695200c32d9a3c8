// A describeEval trial's time limit (`timeout`: the task and all its scorers). When it passes, the trial's signal
// aborts and the trial fails with an error that says what was running: the task (make it faster) or a scorer
// (a slow judge: the app is not at fault). Pure: no Vitest.
import { LlmEvalsError } from '../errors/index.js'
import { markTestTimeout } from '../cassettes/abort-cause.js'
import { realClearTimeout, realSetTimeout } from '../real-clock.js'

/**
 * Runs `work` with a signal that aborts when `parent` does or after `timeout` ms; rejects at that moment with
 * `expiredError()` (also the signal's reason), even when `work` ignores its signal. No limit when undefined.
 *
 * @example
 * await withTimeout((signal) => task(row, { signal }), context.signal, 30_000, () => new Error('timed out'))
 */
export function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, parent: AbortSignal, timeout: number | undefined, expiredError: () => Error): Promise<T> {
  // No limit: `work` itself, without the extra promise an async function would add to every trial.
  if (timeout === undefined) return work(parent)
  return limited(work, parent, timeout, expiredError)
}

async function limited<T>(work: (signal: AbortSignal) => Promise<T>, parent: AbortSignal, timeout: number, expiredError: () => Error): Promise<T> {
  const timer = new AbortController()
  const signal = AbortSignal.any([parent, timer.signal])
  let handle: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    handle = realSetTimeout(() => {
      // Marked so that a model call it cuts off is told from one the app aborted itself.
      const error = markTestTimeout(expiredError())
      timer.abort(error)
      reject(error)
    }, timeout)
  })
  try {
    return await Promise.race([work(signal), expired])
  } finally {
    realClearTimeout(handle)
  }
}

/**
 * The error of a trial whose task was still running when its time ran out.
 *
 * @example
 * taskTimeoutError('Case "q1"', 200) // Case "q1" timed out after 200 ms; the task was cancelled through its signal. …
 */
export function taskTimeoutError(trial: string, timeout: number): Error {
  return new Error(`[vitest-llm-evals] ${trial} timed out after ${timeout} ms; the task was cancelled through its signal. Raise describeEval's timeout, or make the task faster.`)
}

/**
 * The error of a trial whose task had finished but whose scorer `scorer` (`Scorer #2 (judge) of
 * describeEval("bot")`) was still scoring when its time ran out: the scorer, not the app, ran out of time.
 *
 * @example
 * scorerTimeoutError('Scorer #2 (judge) of describeEval("bot")', 'case "q1"', 200, 'bot.test.ts:4')
 */
export function scorerTimeoutError(scorer: string, forCase: string, timeout: number, where: string | undefined): LlmEvalsError {
  return new LlmEvalsError(
    `${scorer}${where === undefined ? '' : ` (${where})`} ran out of time for ${forCase}: the trial's timeout of ${timeout} ms (for the task and all its scorers) ` +
      'passed while it was scoring, after the task had finished. No score of this trial is kept (the scorers after it did not run). ' +
      'Raise describeEval\'s timeout, or make the scorer faster (a faster judge model, fewer judge samples).',
  )
}
