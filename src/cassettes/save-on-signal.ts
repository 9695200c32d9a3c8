// A run stopped by a signal — Ctrl-C in a terminal (SIGINT to the whole process group), `kill` or a CI cancel
// (SIGTERM), a closed terminal (SIGHUP) — ends a Vitest worker process at once: the recordings of tests that already
// ended, held back by the once-a-second write limit, would be lost. They are written first; then the signal ends the
// process as it would have without this listener.
import { isMainThread } from 'node:worker_threads'

/** The signals whose default ends the process, and that a run stopped from outside gets. */
export const SAVED_ON: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/** Where a process keeps its listeners' save: one set of listeners per process, however many times cassettes start in it. */
const SAVE = Symbol.for('vitest-llm-evals.save-on-signal')
type SaveHolder = { [SAVE]?: { save: () => void } }

/**
 * Calls `save` (synchronous) when the process gets SIGINT, SIGTERM or SIGHUP, then lets the signal do what it did
 * before: when no other listener handles it, the listener goes and the signal is raised again, so the process ends
 * killed by it (Node's default); with other listeners (the user's), they decide and this one stays for the next
 * signal. Listeners are added once per process; a later call (the next test file of a VM pool worker) replaces
 * `save`. Nothing in a worker thread (`pool: 'threads'`): signals reach only the main thread of a process.
 *
 * @example
 * saveOnSignals(() => state.session?.saveEnded())
 */
export function saveOnSignals(save: () => void, target: NodeJS.Process = process): void {
  if (!isMainThread) return
  const holder = target as SaveHolder
  if (holder[SAVE]) {
    holder[SAVE].save = save
    return
  }
  const current = (holder[SAVE] = { save })
  for (const signal of SAVED_ON) {
    const listener = () => {
      try {
        current.save()
      } catch {
        // Nothing can be told now: the process ends. What was not written is recorded again by the next run.
      }
      if (target.listenerCount(signal) > 1) return
      target.off(signal, listener)
      target.kill(target.pid, signal)
    }
    // First, so a user's listener that exits the process does not run before the recordings are saved.
    target.prependListener(signal, listener)
  }
}
