/**
 * At most `limit` tasks at once; the rest wait in arrival order. Keeps the pressure off a provider's
 * rate limit so the SDK's own retries (which honour `retry-after`) rarely have to step in.
 *
 * @example
 * const limiter = new Limiter(8)
 * await limiter.run(() => client.chat.completions.create(request))
 */
export class Limiter {
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(readonly limit: number) {}

  /** Tasks running now. */
  get inFlight(): number {
    return this.active
  }

  /**
   * Runs `task` in a slot; the slot is freed as soon as the task settles. While waiting for a slot, an
   * abort of `signal` gives up the place in line and rejects with the abort reason.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted()
    if (this.active >= this.limit) await this.waitForSlot(signal)
    else this.active += 1
    try {
      return await task()
    } finally {
      // Hand the slot straight to the next waiter, so `active` never dips below the limit in between.
      const next = this.waiting.shift()
      if (next) next()
      else this.active -= 1
    }
  }

  private waitForSlot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiting.indexOf(granted)
        if (at !== -1) this.waiting.splice(at, 1)
        reject(signal?.reason)
      }
      const granted = () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      this.waiting.push(granted)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}

const limiters = new Map<string, Limiter>()

/** Default most judge calls per provider in flight at once, per worker. */
export const DEFAULT_JUDGE_CONCURRENCY = 8

/** The limiter shared by every judge of `provider` with this `limit` in this worker. */
export function limiterFor(provider: string, limit: number = DEFAULT_JUDGE_CONCURRENCY): Limiter {
  const key = `${provider}#${limit}`
  let limiter = limiters.get(key)
  if (!limiter) {
    limiter = new Limiter(limit)
    limiters.set(key, limiter)
  }
  return limiter
}
