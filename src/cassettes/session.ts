import { join } from 'node:path'
import { CassetteError, ERROR_PREFIX, SecretLeakError } from '../errors/index.js'
import { requestKey, withoutCredentials } from './canonical.js'
import { canonicalize, placeholderKeyIn, type RequestLike } from './live-request.js'
import { storedRequest } from './stored-request.js'
import { settleRecordings } from './settle-recordings.js'
import { realElapsedNow, realIsoTime } from '../real-clock.js'
import type { AttemptCounts, CassetteUsage } from './session-usage.js'
export type { RequestLike } from './live-request.js'
export { RECORDING_WAIT_MS, settleRecordings } from './settle-recordings.js'
export type { AttemptCounts, CassetteUsage } from './session-usage.js'
import { callUsage, FILE_LEVEL_TEST, type CassetteEntry } from './entry.js'
import { pushTo } from '../collections.js'
import { ownsUrl } from './hosts.js'
import { cassettePathFor, PLACEHOLDER_KEYS, type WorkerCassetteOptions } from './worker-options.js'
export { cassettePathFor, PLACEHOLDER_KEYS, type WorkerCassetteOptions } from './worker-options.js'
import { findRecordingSecrets, redactFound } from './found-secrets.js'
import type { SecretFinding } from './secret-scan.js'
import { replayedFailureMessage } from './miss-message.js'
import { replayMissMessage } from './replay-miss.js'
import { MissReasons, type UnfinishedCall } from './miss-reasons.js'
import { abortCause, isRunCancel } from './abort-cause.js'
import { hideSecretText, liveSecrets, scrubString } from './redact.js'
import { currentCallRole, currentTestScope, type TestScope } from './scope.js'
import { storedDuplicateName } from './duplicate-names.js'
import { interruptedTryWarning } from './interrupted-try.js'
import { LateCalls } from './late-calls.js'
import { appSlot, newAttempt, sentCall, TestTries, throwMisses, type Attempt, type InFlight, type Lookup } from './session-attempt.js'
import { SessionWrites } from './session-writes.js'
import { missResponse, readResponse, replayResponse } from './responses.js'
import { sidecarReplayable, streamToSidecar } from './stream-sidecar.js'
import { CassetteStore, isRetryableStatus, type CommitMode } from './store.js'
import { usageFromJson, usageFromStream } from './usage.js'
import { usageFromEvents, usageFromHeaders } from './bedrock-usage.js'
import { AWS_PLACEHOLDER_CREDENTIALS } from './aws-credentials.js'
import { closeSlot, setAppExchangeSource, type AttemptExchanges } from '../agents/app-exchanges.js'
import type { ToolCall } from '../agents/types.js'
import { finishedToolCalls, runToolCall, toolResultCounts, type AttemptTools, type ToolInvocation, type ToolResultCounts } from './tool-session.js'

/**
 * Record/replay for one worker: decides, per intercepted request, whether a recording answers it,
 * it goes to the network and is recorded, or it fails as a miss.
 */
export class CassetteSession {
  private store: CassetteStore | undefined
  private testFile = ''
  private attempts = new Map<TestScope, Attempt>()
  private fileAttempt: Attempt
  private inFlight = new Map<string, InFlight>()
  private writes = new SessionWrites(() => ({ store: this.requireStore(), mode: this.options.mode }))
  /** Requests (and `recordTool` calls, as method `tool`) of the current test file that had no recording. */
  misses: { test: string; method: string; url: string }[] = []
  /** Why calls of the current file were sent but not stored (cut off, refused), and what explains a later miss. */
  private reasons: MissReasons | undefined
  /** Live credential values (see \`liveSecrets\`): never written, never printed. */
  private secrets: { name: string; value: string }[] = []
  /** Every test of the file has ended: a later recording (an \`afterAll\` hook's or a teardown's call) is written at once. */
  private testsEnded = false
  /** The tool calls made outside tests of the file that `endFile` ended (the counts are read after it). */
  private endedFileTools: AttemptTools | undefined
  /** Likewise, what its model calls outside tests (module top level, `beforeAll`, `afterAll`) did. */
  private endedFileCounts: AttemptCounts | undefined
  /** Test names as stored, by name (each try of a test looks its name up twice). */
  private storedNames = new Map<string, string>()
  /** True while a test of the file runs (set by the worker): a model call outside any test then lost its test's context. */
  testsRunning: () => boolean = () => false
  /** Calls made in the context of a test other than the one running, or of none (see late-calls.ts). */
  private late = new LateCalls(() => ({ testFile: this.testFile, root: this.options.root, secrets: this.secrets, testsRunning: () => this.testsRunning() }))
  /** The latest try of each test attempt that began, and the tries that failed: an earlier try's late answer is not kept. */
  private tries = new TestTries()

  constructor(readonly options: WorkerCassetteOptions) {
    this.fileAttempt = this.newAttempt({ test: FILE_LEVEL_TEST, repeat: 0, active: true })
    setAppExchangeSource(this)
  }

  /** Switches to the cassette of `testFile` (called once per test file). */
  useTestFile(testFile: string): void {
    if (testFile === this.testFile && this.store) return
    this.writes.reset()
    this.testFile = testFile
    this.secrets = liveSecrets(process.env, [...Object.values(PLACEHOLDER_KEYS), ...Object.values(AWS_PLACEHOLDER_CREDENTIALS)])
    this.store = new CassetteStore(cassettePathFor(testFile, this.options.root, this.options.dir), {
      redact: this.options.redact,
      secrets: this.secrets,
      runStartedAt: this.options.runStartedAt,
      ...(this.options.project ? { project: this.options.project } : {}),
      ...(this.options.normalizeRequest ? { normalizeRequest: this.options.normalizeRequest } : {}),
    })
    this.storedNames.clear()
    const { root, mode, project } = this.options
    this.reasons = new MissReasons(this.store, { root, mode, secrets: this.secrets, ...(project ? { project } : {}) })
    this.late.reset()
    this.tries.clear()
    this.fileAttempt = this.newAttempt({ test: FILE_LEVEL_TEST, repeat: 0, active: true })
    this.endedFileTools = undefined
    this.endedFileCounts = undefined
    this.misses = []
    this.testsEnded = false
  }

  /** Model calls of the current file sent live but never stored: aborted, or unanswered when their test ended (see `CassetteUsageReport.unfinished`). */
  get unfinished(): readonly UnfinishedCall[] {
    return this.requireReasons().unfinished
  }

  get cassetteFile(): string | undefined {
    return this.store?.file
  }

  /** True for requests to a model API host. */
  owns(url: URL): boolean {
    return ownsUrl(url, this.options.hosts)
  }

  /** A test try begins (from the runner, or `beforeEach`): when it is a Vitest retry, what its failed tries recorded is dropped. */
  beginTry(scope: TestScope): void {
    this.tries.begin(scope, this.storedName(storedDuplicateName(scope.test, scope.duplicate)), this.store)
  }

  /** A test's name as stored: scrubbed like everything stored (names may hold dataset fields). */
  private storedName(test: string): string {
    let stored = this.storedNames.get(test)
    if (stored === undefined) this.storedNames.set(test, (stored = scrubString(test, this.options.redact)))
    return stored
  }

  private newAttempt(scope: TestScope): Attempt {
    return newAttempt(scope, this.storedName(storedDuplicateName(scope.test, scope.duplicate)))
  }

  /**
   * Answers an intercepted `fetch` without going through msw when the cassette alone decides: a hit in
   * `replay`/`auto`, or a miss in `replay` (which never reaches the network). `undefined` when the request
   * must take the full path (a miss to record, or `record` mode): its occurrence is handed to \`handle\`.
   */
  async answer(request: RequestLike): Promise<Response | undefined> {
    const mode = this.options.mode
    if (mode !== 'replay' && mode !== 'auto') return undefined
    const late = this.late.modelCall(request)
    if (late) return late
    const lookup = await this.lookup(request, false)
    if (lookup.hit) return this.replayHit(lookup, lookup.hit, request.signal)
    const missingKeyFor = mode === 'auto' ? placeholderKeyIn(request) : undefined
    // No key to record it again with: the replay fails as before, saying which sidecar is gone.
    if (lookup.restores && missingKeyFor) return this.replayHit(lookup, lookup.restores, request.signal)
    if (mode === 'auto' && !missingKeyFor) {
      // The same request arrives again through msw; it keeps the occurrence it was given here.
      if (!lookup.isRetry) pushTo(lookup.attempt.handedOver, lookup.key, lookup.thisOccurrence)
      return undefined
    }
    return this.replayMiss(lookup, request, missingKeyFor)
  }

  /**
   * Decides for a request `answer` did not (or that reached msw): a recorded or synthetic response, or
   * `'passthrough'` once the request is noted for recording under `requestId` (see `onNetworkResponse`).
   */
  async handle(request: RequestLike, requestId: string): Promise<Response | 'passthrough'> {
    const late = this.late.modelCall(request)
    if (late) return late
    const lookup = await this.lookup(request, true)
    const mode = this.options.mode
    if (mode === 'replay' || mode === 'auto') {
      if (lookup.hit) return this.replayHit(lookup, lookup.hit)
      const missingKeyFor = mode === 'auto' ? placeholderKeyIn(request) : undefined
      if (lookup.restores && missingKeyFor) return this.replayHit(lookup, lookup.restores)
      if (mode === 'replay' || missingKeyFor) return this.replayMiss(lookup, request, missingKeyFor)
    }
    const { store, attempt, key, isRetry, canonical, thisOccurrence } = lookup
    const { storedTest: test, scope: { repeat } } = attempt
    // A retry takes the place of the failure it retries; otherwise `record` numbers an attempt's calls
    // from 0 (it replaces them) and `auto` appends after what is stored.
    const retriedCall = isRetry ? attempt.failedCalls.get(key) : undefined
    if (retriedCall !== undefined) attempt.failedCalls.delete(key)
    const base = mode === 'record' ? 0 : store.lastCall(test, repeat) + 1
    const call = lookup.restores?.call ?? retriedCall ?? Math.max(base, attempt.nextCall)
    if (retriedCall === undefined && !lookup.restores) attempt.nextCall = call + 1
    const slot = appSlot(attempt, lookup.url)
    this.inFlight.set(requestId, {
      attempt,
      occurrence: thisOccurrence,
      startedAt: realElapsedNow(),
      ...(slot ? { slot } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(lookup.restores ? { restores: true as const } : {}),
      // The key is the stored request's: a replay finds it whichever of its parts come back redacted from the cassette.
      entry: { test, repeat, call, role: currentCallRole(), key, request: { url: lookup.url, ...canonical } },
    })
    return 'passthrough'
  }

  /**
   * What the cassette holds for `request`, and which occurrence of its key in the test attempt it is (a
   * retry is the one it retries). `viaMsw`: the request may be one \`answer\` passed on to msw.
   */
  private async lookup(request: RequestLike, viaMsw: boolean): Promise<Lookup> {
    const store = this.requireStore()
    const attempt = this.currentAttempt()
    const url = withoutCredentials(request.parsedUrl ?? new URL(request.url))
    if (attempt === this.fileAttempt) this.late.lostContext(`${request.method.toUpperCase()} ${url.href}`)
    const canonical = await canonicalize(request, url)
    // Aborted while it was read: fetch rejects, and the request takes no occurrence (nothing was sent).
    request.signal?.throwIfAborted()
    // No await from here: identical requests in flight together each take their own occurrence.
    const stored = storedRequest(canonical, this.options.redact)
    const key = requestKey(stored, this.options.normalizeRequest)
    const isRetry = Number(request.headers.get('x-stainless-retry-count') ?? '0') > 0
    let thisOccurrence: number
    const handedOver = viaMsw && !isRetry ? attempt.handedOver.get(key) : undefined
    if (handedOver?.length) thisOccurrence = handedOver.shift() ?? 0
    else {
      const occurrence = attempt.occurrences.get(key) ?? 0
      if (!isRetry) attempt.occurrences.set(key, occurrence + 1)
      thisOccurrence = isRetry ? Math.max(0, occurrence - 1) : occurrence
    }
    const found = this.options.mode === 'record' ? undefined : store.find(attempt.storedTest, attempt.scope.repeat, key, thisOccurrence)
    // `auto` records again a call whose sidecar is gone (a `.files` folder not committed), in its place: `record` would too.
    const restores = found && this.options.mode === 'auto' && !sidecarReplayable(store.file, found) ? found : undefined
    return { store, attempt, canonical, stored, url: url.href, key, isRetry, thisOccurrence, hit: restores ? undefined : found, ...(restores ? { restores } : {}) }
  }

  private replayHit(lookup: Lookup, hit: CassetteEntry, signal?: AbortSignal): Response {
    lookup.store.used.add(hit)
    lookup.attempt.counts.replayed++
    if (hit.response.status >= 400) lookup.attempt.replayedFailures.push(hit)
    lookup.attempt.counts.calls.push(callUsage(hit, 'replayed'))
    appSlot(lookup.attempt, lookup.url, hit)
    try {
      return replayResponse(hit, this.requireStore().file, signal)
    } catch (error) {
      // A recording no response can be made of (a hand-edited cassette): the test fails with what is wrong and
      // where, as for a miss; thrown at the app, an SDK would report only "Connection error".
      if (!(error instanceof CassetteError)) throw error
      const message = error.message.slice(ERROR_PREFIX.length).trimStart()
      lookup.attempt.misses.push(message)
      return missResponse(message)
    }
  }

  private replayMiss(lookup: Lookup, request: RequestLike, missingKeyFor: string | undefined): Response {
    const { root, mode, project, normalizeRequest } = this.options
    const message = replayMissMessage(lookup, missingKeyFor, { mode, root, testFile: this.testFile, secrets: this.secrets, redact: this.options.redact, reasons: this.requireReasons(), ...(project ? { project } : {}), ...(normalizeRequest ? { normalizeRequest } : {}) })
    lookup.attempt.misses.push(message)
    this.misses.push({ test: lookup.attempt.scope.test, method: lookup.canonical.method, url: lookup.url })
    // Every AWS SDK request carries `amz-sdk-invocation-id`.
    return missResponse(message, request.headers.has('amz-sdk-invocation-id'))
  }

  /** A passed-through request got no response (a network error, an abort): it will not be recorded. */
  onNetworkError(requestId: string): void {
    const flight = this.inFlight.get(requestId)
    if (!flight) return
    this.inFlight.delete(requestId)
    if (flight.slot) closeSlot(flight.slot, 'dropped')
    // Aborted (a describeEval timeout cancels its task's signal, or the app its own): a replay of the test will miss this call.
    const cause = abortCause(flight.signal, flight.attempt.scope.signal, { scope: flight.attempt.scope, startedAt: flight.startedAt })
    if (!cause) return
    // Its mark is kept once scanned: the end of the test waits for it as for a recording.
    const marking = this.requireReasons().cutOff(sentCall(flight), cause.reason, cause.detail)
    flight.attempt.recordings.add(marking)
    void marking.finally(() => flight.attempt.recordings.delete(marking))
  }

  /** Records the real response of a passed-through request, chunk by chunk as it arrives. */
  onNetworkResponse(requestId: string, response: Response): void {
    const flight = this.inFlight.get(requestId)
    if (!flight) return
    const store = this.requireStore()
    if (isRetryableStatus(response.status) || response.status === 401 || response.status === 403) {
      // Never stored: a retry's outcome replaces a retryable failure (its call number is kept for it), and a
      // rejected key or an overloaded API is not what the test should replay forever.
      this.inFlight.delete(requestId)
      if (flight.slot) closeSlot(flight.slot, 'dropped')
      if (isRetryableStatus(response.status)) flight.attempt.failedCalls.set(flight.entry.key, flight.entry.call)
      void response.body?.cancel().catch(() => undefined)
      return
    }
    const recording = (async () => {
      // Aborted by the app, not by the test's own signal timing out (that stream is cut, not where the app stops).
      const stoppedByApp = () => flight.signal?.aborted === true && flight.attempt.scope.signal?.aborted !== true
      const stored = await readResponse(response, this.options.maxInlineBytes, stoppedByApp)
      this.inFlight.delete(requestId)
      const meta = { recordedAt: realIsoTime(), latencyMs: Math.round(realElapsedNow() - flight.startedAt) }
      const usage = stored.response.events ? usageFromEvents(stored.response.events) : stored.response.chunks ? usageFromStream(stored.response.chunks) : (usageFromJson(stored.response.json) ?? usageFromHeaders(stored.response.headers))
      const commit: CommitMode = this.options.mode === 'record' ? 'merge' : 'append'
      const entry = { ...flight.entry, response: stored.response, meta: usage ? { ...meta, usage } : meta }
      // The trace sees the exchange as the app did, at once: the secret scan below may take a while, and a test
      // reading testTrace() right after its SDK call must find the call (only the stored copy is scrubbed).
      if (flight.slot) closeSlot(flight.slot, { entry, ...(stored.sidecar ? { sidecar: stored.sidecar.bytes } : {}) })
      let found: readonly SecretFinding[] = []
      try {
        // What looks like a key (secretlint's rules) is scrubbed from the stored copy: one scan of the recording's texts.
        found = await findRecordingSecrets(entry, stored.sidecar)
        // The answer of a try cut off (timed out) that Vitest retried meanwhile: spent, but never part of the retry's recording.
        if (this.tries.retriedSince(flight.attempt)) {
          store.discardedOnRetry.entries++
          return
        }
        // A stream too large to inline goes to a sidecar like any other body, scrubbed first (the scan read it whole).
        const kept = storeRecording(store, entry, { attempt: flight.attempt, occurrence: flight.occurrence, mode: commit, ...(flight.restores ? { restores: true as const } : {}) }, stored.sidecar, found, this.options)
        flight.attempt.counts.recorded++
        flight.attempt.counts.calls.push(callUsage(kept, 'recorded'))
        this.tries.keepLate(flight.attempt, store)
        this.writeAsArrived(flight.attempt)
      } catch (error) {
        if (!(error instanceof SecretLeakError)) throw error
        flight.attempt.refused.push(error)
        this.requireReasons().refusedRecording(sentCall(flight), error, hideSecretText(redactFound(flight.entry.test, found), this.secrets), found)
      }
    })()
    flight.attempt.recordings.add(recording)
    void recording
      .finally(() => {
        flight.attempt.recordings.delete(recording)
        if (flight.slot) closeSlot(flight.slot, 'dropped')
      })
      .catch(() => undefined)
  }

  /**
   * Ends a test attempt (after its afterEach hooks): waits for its recordings, writes the cassette, and
   * throws when a request had no recording, even if the app swallowed the error it got. `counted` gets the
   * attempt's counts before that: what it replayed and kept is counted even when the test then fails.
   */
  async endTest(scope: TestScope, failed: boolean, reportedErrors: readonly string[] = [], counted?: (counts: AttemptCounts) => void): Promise<AttemptCounts> {
    const attempt = this.attempts.get(scope)
    scope.active = false
    if (!attempt) {
      // A try that made no call still replaces what the try it retries counted.
      const none: AttemptCounts = { replayed: 0, recorded: 0, calls: [] }
      counted?.(none)
      return none
    }
    this.attempts.delete(scope)
    // A response still streaming after the wait fails the test, but its try still ends below: its call is marked
    // unfinished and, in `record`, the try replaces the test's recording, so the earlier answer does not replay instead.
    const unsettled = await settleRecordings(attempt.recordings, scope.test).then(() => undefined, (error: unknown) => error)
    // Still unanswered as the test ends (it timed out): not stored, unless its answer comes before the end of the file.
    // Not when the user cancelled the run: nothing in the test is to change. (A replay has no call in flight.)
    if (this.inFlight.size > 0 && !isRunCancel(scope.signal?.reason)) {
      const cutOff = [...this.inFlight.values()].filter((flight) => flight.attempt === attempt).map((flight) => this.requireReasons().cutOff(sentCall(flight), 'test-ended'))
      if (cutOff.length) await Promise.all(cutOff)
    }
    // Only an ended try is written: `record` replaces the test's recordings with the try's, whole, never half of
    // them. A failed try (a refused recording fails it too) replaces them too (a mix of its calls and an older
    // run's later ones was never made together, and would replay green), and waits: Vitest may retry it.
    const unsuccessful = failed || attempt.refused.length > 0 || unsettled !== undefined
    if (unsuccessful) {
      attempt.failed = true
      this.tries.markFailed(scope)
    }
    const mode = this.options.mode === 'record' ? 'replace' : undefined
    // A `record` try the user's cancel cut short holds half the test's calls: it must not replace a complete recording.
    if (mode && scope.signal?.aborted && isRunCancel(scope.signal.reason)) this.dropInterrupted(attempt)
    else this.requireStore().endAttempt(attempt, { ...(mode ? { mode } : {}), hold: unsuccessful })
    this.writes.testEnded()
    // Kept (held or written) from here: a recording of it arriving now may be written at once (see `writeAsArrived`).
    attempt.ended = true
    const toolResults = toolResultCounts(attempt.tools)
    if (toolResults) attempt.counts.toolResults = toolResults
    counted?.(attempt.counts)
    if (unsettled !== undefined) throw unsettled
    const [refused] = attempt.refused
    if (refused) throw refused
    // A miss the test already failed on (the SDK threw it) is not reported a second time.
    throwMisses(attempt.misses.filter((miss) => !reportedErrors.some((error) => error.includes(miss))))
    if (failed && attempt.replayedFailures.length > 0) throw this.replayedFailureError(attempt)
    return attempt.counts
  }

  /** Drops what an interrupted `record` try recorded, now and when its late answers arrive (see `keepLate`), and says so. */
  private dropInterrupted(attempt: Attempt): void {
    attempt.interrupted = true
    const dropped = this.requireStore().discardAttempt(attempt)
    if (dropped === 0) return
    const { root } = this.options
    console.warn(interruptedTryWarning(attempt.scope.test, dropped, this.testFile, this.requireStore().file, root, this.secrets))
  }

  /** Waits for the recordings of calls made after `endFile` (a `beforeAll` teardown's): each is written as it is stored. */
  async settleLateRecordings(): Promise<void> {
    await Promise.allSettled([...this.fileAttempt.recordings])
  }

  /** Ends the file (from `afterAll`): final write, pruning tests that no longer exist in `record` mode. */
  async endFile(existingTests: ReadonlySet<string>, complete: boolean): Promise<void> {
    await Promise.allSettled([...this.fileAttempt.recordings])
    this.endedFileTools = this.fileAttempt.tools
    this.endedFileCounts = this.fileAttempt.counts
    const stored = new Set([...existingTests].map((test) => this.storedName(test)))
    this.flush({ final: true, ...(this.options.mode === 'record' && complete ? { existingTests: stored } : {}) })
    this.testsEnded = true
    const heldWriteError = this.writes.takeHeldError()
    const ended = this.fileAttempt
    this.fileAttempt = this.newAttempt({ test: FILE_LEVEL_TEST, repeat: 0, active: true })
    if (heldWriteError) throw heldWriteError
    const [refused] = ended.refused
    if (refused) throw refused
    throwMisses(ended.misses)
  }

  /**
   * Writes a recording of `attempt` as it arrives once every test of the file has ended (an `afterAll` hook's call,
   * a call a finished test left running), but never one of a test try still running or ending: the file's last test
   * may be retried (a Vitest retry, or a try failed by a miss after its hooks), and what a failed try recorded must
   * stay pending for the retry to drop it (written, the retry would replay it).
   */
  private writeAsArrived(attempt: Attempt): void {
    if (this.testsEnded && !this.testsRunning() && (attempt === this.fileAttempt || attempt.ended)) this.flush({ final: true })
  }

  /** Every test of the file has ended: writes their recordings now, and any later one as it arrives. */
  endTests(): void {
    this.testsEnded = true
    this.flush()
  }

  /** Writes what ended tries recorded now, held back or not (the process is about to end: see save-on-signal.ts). */
  saveEnded(): void {
    if (this.store) this.flush()
  }

  /** The running test attempt's app model calls so far, for `testTrace`; `undefined` outside a test. */
  currentAppExchanges(): AttemptExchanges | undefined {
    const scope = currentTestScope()
    if (!scope) return undefined
    const toolRecords = this.currentToolCalls()
    return { slots: this.attempts.get(scope)?.appExchanges ?? [], cassetteFile: this.store?.file, ...(toolRecords.length ? { toolRecords } : {}) }
  }

  /** What this run did with the current cassette: entries replayed or written, and recordings refused. */
  usage(): CassetteUsage {
    const store = this.requireStore()
    return {
      used: [...store.used, ...store.written], total: store.all.length, written: store.written.size, refused: [...this.requireReasons().refused],
      usedTools: [...store.usedTools, ...store.writtenTools], toolTotal: store.tools.all.length, toolsWritten: store.writtenTools.size,
      alreadyRecorded: { ...store.alreadyRecorded },
      discardedOnRetry: { ...store.discardedOnRetry },
      ...(store.restoredSidecars ? { restoredSidecars: store.restoredSidecars } : {}),
      replayedOutsideTests: (this.endedFileCounts ?? this.fileAttempt.counts).replayed,
    }
  }

  /**
   * Runs one call of a tool wrapped with `recordTool` for the test attempt of `scope` (the file's outside a
   * test): replayed, or run and recorded, or a miss, as the mode says.
   */
  callTool(invocation: ToolInvocation, scope: TestScope | undefined): Promise<unknown> {
    // A call a test that was cut off left running: as for a model call (see `lateCall`), the tool is not run, and
    // nothing is recorded nor traced, under the running test or the file.
    const late = this.late.toolCall(invocation.name)
    if (late) return Promise.reject(late)
    const attempt = scope?.active ? this.attemptOf(scope) : this.fileAttempt
    const { root, mode, project } = this.options
    return runToolCall({
      mode, store: this.requireStore(), root, testFile: this.testFile, secrets: this.secrets, redact: this.options.redact, ...(project ? { project } : {}),
      refusedBefore: (key, occurrence) => this.requireReasons().toolPastOf(attempt.storedTest, attempt.scope.repeat, key, occurrence),
      test: attempt.scope.test, storedTest: attempt.storedTest, repeat: attempt.scope.repeat, tools: attempt.tools, token: attempt, recordings: attempt.recordings,
      refuse: (error, call) => {
        attempt.refused.push(error)
        this.requireReasons().refusedTool(attempt.storedTest, error, call && { ...call, repeat: attempt.scope.repeat, token: attempt })
      },
      miss: (message, call) => {
        attempt.misses.push(message)
        this.misses.push({ test: attempt.scope.test, method: 'tool', url: call })
      },
      recorded: () => {
        this.tries.keepLate(attempt, this.requireStore())
        this.writeAsArrived(attempt)
      },
    }, invocation)
  }

  /** Tool results replayed and recorded outside tests (module top level, `beforeAll`) in the current test file. */
  fileToolResults(): ToolResultCounts | undefined {
    return toolResultCounts(this.endedFileTools ?? this.fileAttempt.tools)
  }

  /** The tool calls (`recordTool`) the running test attempt has finished so far, in the order they were made. */
  currentToolCalls(): ToolCall[] {
    const scope = currentTestScope()
    return finishedToolCalls(scope ? this.attempts.get(scope)?.tools : this.fileAttempt.tools)
  }


  private attemptOf(scope: TestScope): Attempt {
    let attempt = this.attempts.get(scope)
    if (!attempt) this.attempts.set(scope, (attempt = this.newAttempt(scope)))
    return attempt
  }

  private flush(options: { final?: boolean; existingTests?: ReadonlySet<string> } = {}): void {
    this.writes.flush(options)
  }

  private currentAttempt(): Attempt {
    const scope = currentTestScope()
    if (!scope) return this.fileAttempt
    // The session may start in the middle of a test (it loads on the first model call).
    let attempt = this.attempts.get(scope)
    if (!attempt) this.attempts.set(scope, (attempt = this.newAttempt(scope)))
    return attempt
  }

  private requireStore(): CassetteStore {
    if (!this.store) this.useTestFile(join(this.options.root, 'unknown.test'))
    return this.store as CassetteStore
  }

  private requireReasons(): MissReasons {
    this.requireStore()
    return this.reasons as MissReasons
  }

  /** Said when a test that was answered with a recorded API error fails (the replayed response is left as recorded). */
  private replayedFailureError(attempt: Attempt): CassetteError {
    const { root, project } = this.options
    return new CassetteError(replayedFailureMessage({ cassetteFile: this.requireStore().file, testFile: this.testFile, root, test: attempt.scope.test, failures: attempt.replayedFailures, secrets: this.secrets, ...(project ? { project } : {}) }))
  }
}

/** Keeps a new recording in `store`, its streamed response in a sidecar when it is larger than `maxInlineBytes`. */
function storeRecording(
  store: CassetteStore,
  entry: CassetteEntry,
  slot: Parameters<CassetteStore['record']>[1],
  sidecar: { bytes: Uint8Array; extension: string } | undefined,
  found: readonly SecretFinding[],
  options: Pick<WorkerCassetteOptions, 'maxInlineBytes' | 'redact'>,
): CassetteEntry {
  const moved = streamToSidecar(entry, options.maxInlineBytes, options.redact, found)
  return store.record(moved.entry, slot, moved.sidecar ?? sidecar, found)
}
