// The end of a test waits for its recordings (responses still streaming in), bounded: the hook that ends a test
// runs without Vitest's hook timeout.
import { CassetteError } from '../errors/index.js'
import { realClearTimeout, realSetTimeout } from '../real-clock.js'

/** How long the end of a test waits for its recordings to finish (the hook itself has no timeout). */
export const RECORDING_WAIT_MS = 60_000

/**
 * Waits for a test's recordings (responses still streaming in) to be stored. The end of a test try runs
 * without Vitest's hook timeout (its timer costs every test), so the wait is bounded here instead.
 */
export async function settleRecordings(recordings: ReadonlySet<Promise<void>>, test: string, waitMs = RECORDING_WAIT_MS): Promise<void> {
  if (recordings.size === 0) return
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((done) => {
    timer = realSetTimeout(() => done('timeout'), waitMs)
  })
  try {
    const outcome = await Promise.race([Promise.allSettled([...recordings]), timedOut])
    if (outcome === 'timeout') {
      throw new CassetteError(
        `The recording of a response in "${test}" did not finish within ${waitMs / 1000} s after the test ended: the response stream never ended. ` +
          'Consume or cancel every stream the test opens (e.g. \`for await\` to the end, or \`stream.controller.abort()\`); the response was not recorded.',
      )
    }
  } finally {
    realClearTimeout(timer)
  }
}
