// When the cassette session writes its cassette: writing rewrites the whole file, so during a test file at most once a
// second (recording a large suite stays linear), a write held back by that limit within the second, and always at the
// end of the file. A killed run loses at most the last second.
import { realClearTimeout, realElapsedNow, realSetTimeout } from '../real-clock.js'
import type { CassetteMode } from './mode.js'
import type { CassetteStore } from './store.js'

const WRITE_INTERVAL_MS = 1000

/** Writes one worker's current cassette, at most once a second while tests run (see {@link SessionWrites.testEnded}). */
export class SessionWrites {
  private lastWrite = -Infinity
  /** The write of recordings held back by the once-a-second limit, and the error it hit, told at the end of the file. */
  private held: { timer?: NodeJS.Timeout; error?: unknown } = {}

  constructor(private readonly target: () => { store: CassetteStore; mode: CassetteMode }) {}

  /** A new test file begins: a write held back for the previous one is not made now. */
  reset(): void {
    realClearTimeout(this.held.timer)
    this.held = {}
  }

  /** Writes what ended tries recorded (`final`: every try's), unless nothing is pending or the mode writes nothing. */
  flush(options: { final?: boolean; existingTests?: ReadonlySet<string> } = {}): void {
    const { store, mode } = this.target()
    if (mode === 'replay' || mode === 'passthrough') return
    if (!store.hasPending && !options.final && !options.existingTests) return
    // This write takes what a held-back one would have written.
    realClearTimeout(this.held.timer)
    this.held.timer = undefined
    this.lastWrite = realElapsedNow()
    store.flush(options)
  }

  /** A test ended: its recordings are written now, or within the second when the last write was less than a second ago. */
  testEnded(): void {
    const sinceWrite = realElapsedNow() - this.lastWrite
    if (sinceWrite >= WRITE_INTERVAL_MS) this.flush()
    else this.writeLater(WRITE_INTERVAL_MS - sinceWrite)
  }

  /** The error a held-back write hit since the file began (no test to fail then), now told; the next file starts afresh. */
  takeHeldError(): unknown {
    const { error } = this.held
    this.held = {}
    return error
  }

  /**
   * Writes held-back recordings `delayMs` from now, unless a write comes first: a test ending less than a second
   * after the last write is saved within a second even when the next test runs for long. The timer keeps no
   * worker alive; the write is synchronous, so it never overlaps another of this process's writes.
   */
  private writeLater(delayMs: number): void {
    if (this.held.timer || !this.target().store.hasPending) return
    const held = this.held
    held.timer = realSetTimeout(() => {
      held.timer = undefined
      try {
        this.flush()
      } catch (error) {
        // No test to fail now: the end of the file reports it.
        held.error ??= error
      }
    }, delayMs)
    held.timer.unref()
  }
}
