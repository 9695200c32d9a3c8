import { realClearTimeout, realSetTimeout } from '../real-clock.js'
/** Why a judge call was stopped before it answered: its time ran out, or its caller cancelled it. */
export type CallStop = { kind: 'timeout'; timeoutMs: number } | { kind: 'cancelled'; reason: unknown }

/** The rejection of {@link withDeadline} when the call was stopped; runJudge turns it into a JudgeError. */
export class CallStoppedError extends Error {
  override name = 'CallStoppedError'
  constructor(readonly stop: CallStop) {
    super(stop.kind === 'timeout' ? `no answer within ${stop.timeoutMs} ms` : 'cancelled')
  }
}

/**
 * Runs `work` with a signal that aborts after `timeoutMs` or as soon as `cancel` aborts. It settles at that
 * moment even when `work` ignores its signal (a custom judge), so whoever waits on it — the limiter slot —
 * is freed; a late answer or rejection of `work` is then ignored.
 *
 * @example
 * await withDeadline((signal) => client.chat.completions.create(body, { signal }), 60_000, testSignal)
 */
export function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, timeoutMs: number, cancel?: AbortSignal): Promise<T> {
  const controller = new AbortController()
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined
    const cleanup = () => {
      realClearTimeout(timer)
      cancel?.removeEventListener('abort', onCancel)
    }
    const stop = (why: CallStop) => {
      cleanup()
      const stopped = new CallStoppedError(why)
      // Rejected before the abort, so the SDK's own abort error (which follows) is the one ignored.
      reject(stopped)
      controller.abort(stopped)
    }
    const onCancel = () => stop({ kind: 'cancelled', reason: cancel?.reason })
    if (cancel?.aborted) return onCancel()
    cancel?.addEventListener('abort', onCancel, { once: true })
    timer = realSetTimeout(() => stop({ kind: 'timeout', timeoutMs }), timeoutMs)
    let running: Promise<T>
    try {
      running = work(controller.signal)
    } catch (error) {
      cleanup()
      return reject(error)
    }
    running.then(
      (value) => {
        cleanup()
        resolve(value)
      },
      (error: unknown) => {
        cleanup()
        reject(error)
      },
    )
  })
}
