// A test try as the cassette session keeps it (its calls, recordings, misses and refusals), the requests it has in
// flight, and which try of each test attempt is the latest (a Vitest retry drops what its failed tries recorded).
import { CassetteMissError, type CassetteError } from '../errors/index.js'
import type { CanonicalRequest } from './canonical.js'
import { FILE_LEVEL_TEST, type CassetteEntry } from './entry.js'
import type { SentCall } from './miss-reasons.js'
import { currentCallRole, type TestScope } from './scope.js'
import type { AttemptCounts } from './session-usage.js'
import type { CassetteStore } from './store.js'
import { newAttemptTools, type AttemptTools } from './tool-session.js'
import { openSlot, type AppExchangeSlot } from '../agents/app-exchanges.js'

/** One try of a test attempt (or the file's calls outside tests), as the session tracks it. */
export interface Attempt {
  scope: TestScope
  /** The test's name as stored in the cassette (scrubbed like everything stored), and looked up by. */
  storedTest: string
  /** The call index the attempt's next recording gets. */
  nextCall: number
  occurrences: Map<string, number>
  /** Occurrences `answer` gave to requests it passed on to msw (auto-mode misses), by key. */
  handedOver: Map<string, number[]>
  /** Call numbers of retryable failures (never stored), by key: the retry takes the failure's place. */
  failedCalls: Map<string, number>
  misses: string[]
  /** Recordings refused: they would have written a live secret, or a tool returned what is not JSON. */
  refused: CassetteError[]
  /** Calls of tools wrapped with `recordTool`. */
  tools: AttemptTools
  /** Recorded API errors (status >= 400) this try was answered with. */
  replayedFailures: CassetteEntry[]
  recordings: Set<Promise<void>>
  counts: AttemptCounts
  /** The attempt's app calls in request order (replayed, or recorded once stored), for `testTrace`. */
  appExchanges: AppExchangeSlot[]
  /** Its test try has ended (its recordings are settled and kept, held or written): see `writeAsArrived`. */
  ended?: true
  /** The try ended unsuccessful (failed, or a recording refused): what it records late is held back as its other recordings are. */
  failed?: true
  /** A `record` try a cancelled run interrupted: nothing it recorded is kept, late answers included (see `dropInterrupted`). */
  interrupted?: true
}

/** A request looked up in the cassette (see \`CassetteSession.lookup\`). */
export interface Lookup {
  store: CassetteStore
  attempt: Attempt
  canonical: CanonicalRequest
  /** The request as the cassette stores it (redacted, see \`storedRequest\`): its key is the lookup key, and a miss shows it. */
  stored: CanonicalRequest
  /** The request's URL as stored and shown: no credential query parameters. */
  url: string
  key: string
  isRetry: boolean
  /** The occurrence this request is (a retry is the one it retries). */
  thisOccurrence: number
  hit: CassetteEntry | undefined
  /** In `auto`, the recording whose sidecar file is missing or damaged: the call is recorded again in its place. */
  restores?: CassetteEntry
}

/** A request passed through to the network, until its response is stored (or it fails). */
export interface InFlight {
  attempt: Attempt
  /** The app's abort signal: a stream it aborts mid-way is recorded as far as it arrived. */
  signal?: AbortSignal
  entry: Omit<CassetteEntry, 'response' | 'meta'> & { key: string }
  /** Which occurrence of its key within the attempt the request is. */
  occurrence: number
  startedAt: number
  /** Its place in the attempt's app calls (judge and simulator calls have none). */
  slot?: AppExchangeSlot
  /** It records again a recording whose sidecar file is missing or damaged (see `Lookup.restores`). */
  restores?: true
}

/** A new, empty try of `scope`, stored and looked up under `storedTest`. */
export function newAttempt(scope: TestScope, storedTest: string): Attempt {
  return {
    scope, storedTest, nextCall: 0, occurrences: new Map(), handedOver: new Map(), failedCalls: new Map(),
    misses: [], refused: [], replayedFailures: [], recordings: new Set(), counts: { replayed: 0, recorded: 0, calls: [] }, appExchanges: [], tools: newAttemptTools(),
  }
}

/**
 * The latest try of each test attempt (by stored name and repeat) and which tries ended unsuccessful: a recording of
 * an earlier try arriving late is held with its try's others, or not kept at all once a retry runs or passed.
 */
export class TestTries {
  private latest = new Map<string, TestScope>()
  private failed = new WeakSet<TestScope>()

  /** A test try begins: what its test attempt's failed tries recorded is dropped (a Vitest retry). */
  begin(scope: TestScope, storedTest: string, store: CassetteStore | undefined): void {
    this.latest.set(tryKey(storedTest, scope.repeat), scope)
    store?.discardFailedTries(storedTest, scope.repeat)
  }

  /** The try of `scope` ended unsuccessful. */
  markFailed(scope: TestScope): void {
    this.failed.add(scope)
  }

  /** A new test file begins. */
  clear(): void {
    this.latest.clear()
  }

  /**
   * A recording that arrived after its try ended unsuccessful (a tool it awaited when it timed out): held back with the
   * try's others, so a retry beginning later drops it, and dropped at once when a retry already runs or passed. One of
   * an interrupted `record` try is dropped (see `CassetteSession.dropInterrupted`).
   */
  keepLate(attempt: Attempt, store: CassetteStore): void {
    if (attempt.interrupted) {
      store.discardAttempt(attempt)
      return
    }
    if (!attempt.ended || !attempt.failed) return
    store.endAttempt(attempt, { hold: true })
    const latest = this.latest.get(tryKey(attempt.storedTest, attempt.scope.repeat))
    // Only earlier failed tries are held while the retry runs; a retry that failed too keeps its own (the last try's).
    if (latest && latest !== attempt.scope && (latest.active || !this.failed.has(latest))) store.discardFailedTries(attempt.storedTest, attempt.scope.repeat)
  }

  /** A later try of `attempt`'s test began (a Vitest retry): a recording of `attempt` arriving now is not kept. */
  retriedSince(attempt: Attempt): boolean {
    const latest = this.latest.get(tryKey(attempt.storedTest, attempt.scope.repeat))
    return attempt.ended === true && latest !== undefined && latest !== attempt.scope
  }
}

/** A new place in the attempt's app calls for the request being made (stored at once when replayed), unless it is a judge's or simulator's. */
export function appSlot(attempt: Attempt, url: string, replayed?: CassetteEntry): AppExchangeSlot | undefined {
  if (currentCallRole() !== 'app' || attempt.scope.test === FILE_LEVEL_TEST) return undefined
  const slot = openSlot(url, replayed)
  attempt.appExchanges.push(slot)
  return slot
}

/** A call in flight, as its reasons for not being stored are noted. */
export function sentCall(flight: InFlight): SentCall {
  const { entry } = flight
  return { storedTest: entry.test, repeat: entry.repeat, key: entry.key, occurrence: flight.occurrence, method: entry.request.method, url: entry.request.url, path: entry.request.path, token: flight.attempt }
}

/** Throws the misses of a try (or of the file's calls outside tests) as one error, when there are any. */
export function throwMisses(misses: readonly string[]): void {
  if (misses.length === 0) return
  const head = misses.length > 1 ? `${misses.length} requests had no recording.\n\n` : ''
  throw new CassetteMissError(head + misses.join('\n\n'))
}

/** A test attempt (stored name, repeat) whose tries are told apart by {@link TestTries}. */
function tryKey(storedTest: string, repeat: number): string {
  return `${repeat}\u0000${storedTest}`
}
