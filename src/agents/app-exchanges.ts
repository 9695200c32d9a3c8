// Where `testTrace` finds the running test attempt's app model calls: the cassette session registers
// itself here (on a global, so a second copy of this module in the worker sees the same session).
import type { CassetteEntry } from '../cassettes/entry.js'
import type { ToolRecord } from './trace-assemble.js'
import { callingTrial, type TrialCalls } from './trial-calls.js'

/** One app model call of a test attempt, in request order: `pending` until its response is stored. */
export interface AppExchangeSlot {
  state: 'pending' | 'stored' | 'dropped'
  /** The exchange as stored in the cassette (a replayed hit, or the recording just made). */
  entry?: CassetteEntry
  /** The body of a recording too large to store inline, until its sidecar file is written. */
  sidecar?: Uint8Array
  /** The request's URL, to name a call still pending. */
  url: string
  /** Resolves when the slot is no longer pending. */
  settled: Promise<void>
  /** The describeEval trial that made the call, when its test runs several. */
  trial?: TrialCalls
}

const settlers = new WeakMap<AppExchangeSlot, () => void>()
/** Shared by every replayed slot: a replay costs one small object, not a promise each. */
const SETTLED = Promise.resolve()

/** A slot for a call: stored at once (a replayed `entry`), or pending until {@link closeSlot}; tagged with its trial. */
export function openSlot(url: string, entry?: CassetteEntry): AppExchangeSlot {
  const trial = callingTrial()
  if (entry) return { state: 'stored', entry, url, settled: SETTLED, ...(trial ? { trial } : {}) }
  let settle: () => void = () => undefined
  const settled = new Promise<void>((resolve) => (settle = resolve))
  const slot: AppExchangeSlot = { state: 'pending', url, settled, ...(trial ? { trial } : {}) }
  settlers.set(slot, settle)
  return slot
}

/** Ends a pending slot: its recording was stored, or it never will be (a retried failure, a refused or broken recording). */
export function closeSlot(slot: AppExchangeSlot, outcome: { entry: CassetteEntry; sidecar?: Uint8Array } | 'dropped'): void {
  if (slot.state !== 'pending') return
  if (outcome === 'dropped') slot.state = 'dropped'
  else Object.assign(slot, { state: 'stored', entry: outcome.entry, ...(outcome.sidecar ? { sidecar: outcome.sidecar } : {}) })
  settlers.get(slot)?.()
  settlers.delete(slot)
}

/** The app model calls of the running test attempt, and what else a trace needs of the session. */
export interface AttemptExchanges {
  slots: readonly AppExchangeSlot[]
  cassetteFile: string | undefined
  /** `recordTool` records of the attempt, when the session has them: they give results to calls no message answered. */
  toolRecords?: readonly ToolRecord[]
}

/** What the cassette session offers `testTrace`. */
export interface AppExchangeSource {
  /** The running test attempt's app calls; `undefined` outside a test. */
  currentAppExchanges(): AttemptExchanges | undefined
}

const SOURCE = Symbol.for('vitest-llm-evals.app-exchanges')

/** Registers the worker's cassette session (it replaces any earlier one). */
export function setAppExchangeSource(source: AppExchangeSource): void {
  ;(globalThis as { [SOURCE]?: AppExchangeSource })[SOURCE] = source
}

/** The worker's cassette session, once it has loaded (with the worker's first model call). */
export function appExchangeSource(): AppExchangeSource | undefined {
  return (globalThis as { [SOURCE]?: AppExchangeSource })[SOURCE]
}
