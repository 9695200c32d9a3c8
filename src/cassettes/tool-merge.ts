// How a test attempt's new tool recordings combine with the tool records of the cassette on disk: the same
// rules as model calls (see `CommitMode`), with the occurrence stored in each record. Pure: no I/O.
import { attemptId, type ToolRecord } from './entry.js'
import type { CommitMode } from './store.js'
import { realNow } from '../real-clock.js'

/** A test attempt's new tool recordings and how they are committed. */
export interface ToolAttempt {
  test: string
  repeat: number
  mode: CommitMode
  tools: ToolRecord[]
}

/** Where a tool record sits in its cassette: test attempt and call. */
export function toolSlotOf(record: Pick<ToolRecord, 'test' | 'repeat' | 'call'>): string {
  return `${attemptId(record.test, record.repeat)}\u0000${record.call}`
}

const callId = (record: ToolRecord) => `${record.key}#${record.occurrence}`

/**
 * True for a recording a process of this run may have made: dated from the run's start (`runStartedAt`) to `now`
 * (the time of the write reading it). One dated later was dated by another clock (a cassette recorded on a machine
 * whose clock runs ahead, then committed): no process of this run made it, so `record` replaces it like any older one.
 */
export function recordedInRun(recordedAt: string, runStartedAt: number, now: number): boolean {
  const at = Date.parse(recordedAt)
  return at >= runStartedAt && at <= now
}

/**
 * `stored` with `attempt`'s recordings applied: `append` adds the calls no record answers yet (another process
 * may have recorded the same call meanwhile: theirs is kept), `replace` first drops the attempt's records made
 * before the run began (see {@link recordedInRun}) or written earlier by this process (its own project's only), and `replace` and `merge` replace records of the
 * same call and occurrence, except, with `keepOthers`, one another process stored since the run began (two `record` runs at
 * once): the first written is kept, the new one left out. Returns the records to store and the new ones among them.
 *
 * @example
 * const { records, added } = mergeToolAttempt(onDisk, { test: 'refund', repeat: 0, mode: 'append', tools }, { runStartedAt, written })
 */
export function mergeToolAttempt(
  stored: readonly ToolRecord[],
  attempt: ToolAttempt,
  options: { runStartedAt: number; now?: number; written: ReadonlySet<string>; project?: string; keepOthers?: { addedNow: readonly ToolRecord[] } },
): { records: ToolRecord[]; added: ToolRecord[] } {
  const mine = (record: ToolRecord) => record.test === attempt.test && record.repeat === attempt.repeat
  const { now = realNow() } = options
  const inRun = (record: ToolRecord) => recordedInRun(record.meta.recordedAt, options.runStartedAt, now) && !options.written.has(toolSlotOf(record))
  // `replace` and `merge` touch this project's records only: another project's of the same test stay (see `CassetteEntry.project`).
  const own = (record: ToolRecord) => mine(record) && record.project === options.project
  let kept = [...stored]
  if (attempt.mode === 'replace') kept = kept.filter((record) => !own(record) || inRun(record))
  let fresh: ToolRecord[]
  if (attempt.mode === 'append') {
    const answered = new Set(kept.filter(mine).map(callId))
    fresh = attempt.tools.filter((record) => !answered.has(callId(record)))
  } else {
    const covered = new Set(attempt.tools.map(callId))
    const { keepOthers } = options
    const othersFresh = new Set(
      keepOthers
        ? kept.filter((record) => own(record) && covered.has(callId(record)) && inRun(record) && !keepOthers.addedNow.includes(record)).map(callId)
        : [],
    )
    kept = kept.filter((record) => !own(record) || !covered.has(callId(record)) || othersFresh.has(callId(record)))
    fresh = attempt.tools.filter((record) => !othersFresh.has(callId(record)))
  }
  // Call numbers stay unique within an attempt, as for model calls: a failed re-recording (`merge`) keeps
  // its own numbers; new recordings made beside another process's are numbered after those.
  const moving = attempt.mode === 'merge' ? kept.filter(mine) : fresh
  const staying = attempt.mode === 'merge' ? fresh : kept.filter(mine)
  const taken = new Set(staying.map((record) => record.call))
  if (moving.some((record) => taken.has(record.call))) {
    let next = Math.max(-1, ...taken, ...moving.map((record) => record.call)) + 1
    for (const record of moving) record.call = next++
  }
  return { records: [...kept, ...fresh], added: fresh }
}
