import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { requestKey, type NormalizeRequest } from './canonical.js'
import { removeStaleTemporaryFiles, withFileLock, writeFileAtomic } from '../atomic-files.js'
import { nestedTooDeeply, parseCassette, readCassette, readCassetteText, serializeCassette, sidecarDir, sidecarName, writeSidecar } from './cassette-file.js'
import { assertScrubbed, recordingTexts, refuseSecretInTestName } from './found-secrets.js'
import { secretRules, secretValues } from './secret-values.js'
import { assertNoSecrets, REDACTED, scrubDeep, scrubString, type RedactRule } from './redact.js'
import type { SecretFinding } from './secret-scan.js'
import { redactJsonArrayChunks } from './json-array-stream.js'
import { redactStreamChunks } from './stream-redaction.js'
import { scrubbedSidecarBytes } from './text-sidecar.js'
import { withoutUnreplayable } from './sidecar-cleanup.js'
import { redactEvents } from './event-stream-secrets.js'
import { attemptId, compareEntries, FILE_LEVEL_TEST, type CassetteEntry, type ToolRecord, type UnrecordedCall } from './entry.js'
import { afterRivalAnswer } from './rival-take.js'
import { findUnrecorded, isRedactedName, mergeUnrecorded, redactedName } from './unrecorded-calls.js'
import { mergeToolAttempt, recordedInRun, toolSlotOf } from './tool-merge.js'
import { scrubToolRecord, ToolRecordIndex } from './tool-store.js'
import { toolKey } from './tool-key.js'
import { realNow } from '../real-clock.js'

/**
 * How an attempt's new recordings combine with what the cassette holds for it: `append` (auto: keep what
 * is stored, add what was missing), `replace` (record, a test's ended try, passed or failed: drop what was
 * recorded for the test before this run, so its recording is one try's, whole), `merge` (record, calls outside
 * tests, which no test ends: replace only the exchanges made again).
 */
export type CommitMode = 'append' | 'replace' | 'merge'

/** A new recording and which occurrence of its key within its test attempt it is. */
interface PendingEntry {
  entry: CassetteEntry
  occurrence: number
  restores?: true
}

interface PendingAttempt {
  test: string
  repeat: number
  entries: PendingEntry[]
  /** New tool recordings (each knows its occurrence). */
  tools: ToolRecord[]
  /** Calls the attempt sent but did not store (see unrecorded-calls.ts). */
  unrecorded: UnrecordedCall[]
  mode: CommitMode
  /**
   * `running`: the try may still record, nothing is written. `ended`: complete, written at the next flush.
   * `held`: the try failed and Vitest may retry it: written only at the end of the file, dropped if a retry begins.
   */
  state: 'running' | 'ended' | 'held'
  /** Slots (see `slotOf`) this process already wrote for this try: a late answer written on its own is not another process's. */
  writtenByThisTry: Set<string>
}

/** Where a new recording belongs: which try of a test made it, and which occurrence of its key it is. */
export interface RecordingSlot {
  /** The try (one run of a test attempt, retries included) that made the call: any object, used as identity. */
  attempt: object
  occurrence: number
  mode: CommitMode
  /** `auto` records again a recording whose sidecar file is gone: the new one takes its place (see `applyAttempt`). */
  restores?: true
}

/** Options shared by every cassette of a run. */
export interface CassetteStoreOptions {
  normalizeRequest?: NormalizeRequest
  redact: readonly RedactRule[]
  /** Live secret values that must never be written. */
  secrets: readonly { name: string; value: string }[]
  /** When the run started: `replace` drops an attempt's recordings made before it, never newer ones. */
  runStartedAt?: number
  /** The Vitest project recording (see `CassetteEntry.project`): new recordings carry it, `replace` drops only its own. */
  project?: string
}

/**
 * The recordings of one test file: lookup by test attempt, key and occurrence; new recordings
 * kept in memory until {@link CassetteStore.flush} merges them, under a lock, into the file as other
 * processes left it.
 */
export class CassetteStore {
  private entries: CassetteEntry[] = []
  /**
   * Stored answers by test, repeat and key, in call order: a lookup per request stays O(1), and hashes the test's
   * name the session keeps (V8 caches a string's hash), not a new string joining it to the key.
   */
  private answers = new Map<string, Map<number, Map<string, CassetteEntry[]>>>()
  private pending = new Map<object, PendingAttempt>()
  private sidecarBytes = new Map<string, Uint8Array>()
  readonly used = new Set<CassetteEntry>()
  /** Entries this store wrote to the file. */
  readonly written = new Set<CassetteEntry>()
  /** Where they were written (test attempt and call), to tell them from other processes' entries. */
  private writtenSlots = new Set<string>()
  /** The same, by try (the `RecordingSlot.attempt` token): a try's answers may be written over several writes. */
  private writtenByTry = new WeakMap<object, Set<string>>()
  /** The tool records (see `recordTool`), indexed for lookup. */
  private toolIndex = new ToolRecordIndex([])
  private unrecordedCalls: readonly UnrecordedCall[] = []
  readonly usedTools = new Set<ToolRecord>()
  readonly writtenTools = new Set<ToolRecord>()
  private writtenToolSlots = new Set<string>()
  /**
   * Recordings this store made (the request was sent live, the tool run) but did not write, because another
   * process sharing the cassette stored the same exchange first (`append`): spent, yet in no "written" count.
   */
  readonly alreadyRecorded = { entries: 0, tools: 0 }
  /** Recordings of failed tries that Vitest retried (see {@link discardFailedTries}): sent live, then dropped for the retry's. */
  readonly discardedOnRetry = { entries: 0, tools: 0 }
  /** Recordings `auto` made again in place of ones whose sidecar file was missing or damaged (written). */
  restoredSidecars = 0

  constructor(
    readonly file: string,
    private readonly options: CassetteStoreOptions,
  ) {
    this.load()
  }

  private load(document = readCassette(this.file)): void {
    this.entries = document.entries
    this.unrecordedCalls = document.unrecorded
    try {
      this.toolIndex = new ToolRecordIndex(document.tools, this.options.project)
    } catch (error) {
      // Which record: its arguments are keyed again here (only now, so a well-formed cassette costs nothing more).
      const record = document.tools.find((tool) => !keysArguments(tool.name, tool.args))
      throw record ? nestedTooDeeply(this.file, { test: record.test, call: record.call, tool: record.name }, error) : error
    }
    this.answers = new Map()
    for (const entry of [...this.entries].sort(compareEntries)) {
      let byRepeat = this.answers.get(entry.test)
      if (!byRepeat) this.answers.set(entry.test, (byRepeat = new Map()))
      let byKey = byRepeat.get(entry.repeat)
      if (!byKey) byRepeat.set(entry.repeat, (byKey = new Map()))
      let keys: string[]
      try {
        keys = this.lookupKeys(entry)
      } catch (error) {
        throw nestedTooDeeply(this.file, entry, error)
      }
      for (const key of keys) {
        const list = byKey.get(key)
        if (list) list.push(entry)
        else byKey.set(key, [entry])
      }
    }
  }

  /**
   * The keys an entry answers to (a request is looked up by the key of its stored form, see `storedRequest`): the key
   * it was recorded with (by 0.1, the live request's), and the key of its stored request under today's
   * normalisation and `redact` rules (so a `normalizeRequest` or a rule added later still finds older recordings).
   */
  private lookupKeys(entry: CassetteEntry): string[] {
    const { url: _url, ...request } = entry.request
    const keys = new Set([entry.key ?? '', this.storedRequestKey(entry), ...(this.options.redact.length ? [requestKey(scrubDeep(request, this.options.redact), this.options.normalizeRequest)] : [])])
    keys.delete('')
    return [...keys]
  }

  private storedRequestKey(entry: CassetteEntry): string {
    const { url: _url, ...request } = entry.request
    return requestKey(request, this.options.normalizeRequest)
  }

  /** The key an entry was recorded under (recomputed for recordings made before keys were stored). */
  keyOf(entry: CassetteEntry): string {
    return entry.key ?? this.storedRequestKey(entry)
  }

  /** All stored entries (read-only view). */
  get all(): readonly CassetteEntry[] {
    return this.entries
  }

  /** The `occurrence`-th stored answer (0-based) to `key` within one test attempt. */
  find(test: string, repeat: number, key: string, occurrence: number): CassetteEntry | undefined {
    const answers = this.answers.get(test)?.get(repeat)?.get(key)
    const { project } = this.options
    if (!answers || project === undefined) return answers?.[occurrence]
    // Each of test.projects replays what it recorded itself (`record` keeps every project's); what only another recorded is shared.
    return answers.filter((entry) => entry.project === project)[occurrence] ?? answers.filter((entry) => entry.project !== project)[occurrence]
  }

  /** Why the `occurrence`-th call to `key` of a test attempt has no recording, when a recording run left a mark of it (see unrecorded-calls.ts). */
  unrecordedCall(test: string, repeat: number, key: string, occurrence: number): UnrecordedCall | undefined {
    return findUnrecorded(this.unrecordedCalls, test, repeat, key, occurrence, this.options.project)
  }

  /**
   * Keeps the mark of a call the attempt sent but did not store, scrubbed as a recording is. Dropped, never refused,
   * when the stored copy would still hold a secret (`found`, or a live one): it only explains a later miss.
   */
  markUnrecorded(call: UnrecordedCall, slot: Omit<RecordingSlot, 'occurrence'>, found: readonly SecretFinding[] = []): void {
    // Scrubbed where a request's text is (its path, the refusal's sentence); the key is looked up as it is, and so is the
    // test's stored name, unless it holds a secret (its recordings were refused for it): then each secret in it is
    // `[REDACTED]`, which a lookup matches with any text (see `findUnrecorded`), so a replay still finds the mark.
    const rules = [...secretRules(found), ...this.options.redact]
    const stored = this.withProject({ ...call, test: redactedName(call.test, [...secretValues(found), ...this.options.secrets.map(({ value }) => value)]), path: scrubString(call.path, rules), ...(call.detail ? { detail: scrubString(call.detail, rules) } : {}) })
    const text = serializeCassette({ version: 1, entries: [], unrecorded: [stored] })
    // Its try is pending all the same: a failed `record` try that stored nothing still replaces the test's recording.
    const attempt = this.pendingAttempt(slot, call.test, call.repeat)
    if (secretValues(found).some((value) => text.includes(value))) return
    try {
      assertNoSecrets(text, this.file, this.options.secrets, stored.test)
    } catch {
      return
    }
    attempt.unrecorded.push(stored)
  }

  /** The stored tool records (see `recordTool`), indexed for lookup. */
  get tools(): ToolRecordIndex {
    return this.toolIndex
  }

  /** The highest tool call index stored or pending for an attempt, or -1. */
  lastToolCall(test: string, repeat: number): number {
    let last = -1
    for (const record of this.toolIndex.all) if (record.test === test && record.repeat === repeat) last = Math.max(last, record.call)
    for (const attempt of this.pending.values()) {
      if (attempt.test === test && attempt.repeat === repeat) for (const record of attempt.tools) last = Math.max(last, record.call)
    }
    return last
  }

  /**
   * Keeps a new tool recording in memory, scrubbed as it will be stored. Throws a `SecretLeakError` and keeps
   * nothing when the stored copy would still hold a live secret (only this recording is refused).
   */
  recordTool(record: ToolRecord, slot: Omit<RecordingSlot, 'occurrence'>, found: readonly SecretFinding[] = []): ToolRecord {
    // Like a model recording: what the secret scan found is scrubbed with the fixed patterns and the user's rules.
    refuseSecretInTestName(record.test, found, this.file, this.options.secrets)
    const stored = scrubToolRecord(this.withProject(record), [...secretRules(found), ...this.options.redact])
    const serialized = serializeCassette({ version: 1, entries: [], tools: [stored] })
    assertScrubbed([serialized], found, this.file, stored.test, this.options.secrets, stored.name)
    assertNoSecrets(serialized, this.file, this.options.secrets, stored.test, stored.name)
    this.pendingAttempt(slot, stored.test, stored.repeat).tools.push(stored)
    return stored
  }

  private withProject<T extends { project?: string }>(record: T): T {
    const { project } = this.options
    return project ? { ...record, project } : record
  }

  private pendingAttempt(slot: Omit<RecordingSlot, 'occurrence'>, test: string, repeat: number): PendingAttempt {
    let attempt = this.pending.get(slot.attempt)
    if (!attempt) {
      let writtenByThisTry = this.writtenByTry.get(slot.attempt)
      if (!writtenByThisTry) this.writtenByTry.set(slot.attempt, (writtenByThisTry = new Set()))
      attempt = { test, repeat, entries: [], tools: [], unrecorded: [], mode: slot.mode, state: 'running' as const, writtenByThisTry }
    }
    this.pending.set(slot.attempt, attempt)
    return attempt
  }

  /** The highest call index stored for an attempt, or -1. */
  lastCall(test: string, repeat: number): number {
    let last = -1
    for (const entry of this.entries) if (entry.test === test && entry.repeat === repeat) last = Math.max(last, entry.call)
    for (const attempt of this.pending.values()) {
      if (attempt.test !== test || attempt.repeat !== repeat) continue
      for (const { entry } of attempt.entries) last = Math.max(last, entry.call)
    }
    return last
  }

  /**
   * Keeps a new recording in memory, scrubbed as it will be stored (a body too large or binary to inline
   * goes to a sidecar at flush): of the fixed key patterns, the user's `redact` rules, and `found`, what the
   * secret scan found in it (see `findRecordingSecrets`). Throws a `SecretLeakError` and keeps nothing when
   * the stored copy would still hold a live or found secret, or a found one is in the test's name: only this
   * recording is refused, the file's others are still written.
   */
  record(entry: CassetteEntry, slot: RecordingSlot, sidecar?: { bytes: Uint8Array; extension: string }, found: readonly SecretFinding[] = []): CassetteEntry {
    const { secrets } = this.options
    // The test name is scrubbed by the session, which looks recordings up under the same scrubbed name.
    refuseSecretInTestName(entry.test, found, this.file, secrets)
    const redact = [...secretRules(found), ...this.options.redact]
    const stored: CassetteEntry = { ...this.withProject(entry), request: scrubDeep(entry.request, redact), response: scrubDeep(entry.response, redact) }
    // A found key split across a stream's events is in no single chunk: it is cut out of the events it spans.
    if (stored.response.chunks && found.length) stored.response = { ...stored.response, chunks: redactJsonArrayChunks(stored.response.chunks, secretValues(found)) ?? redactStreamChunks(stored.response.chunks, secretValues(found)) }
    if (stored.response.events && found.length) stored.response = { ...stored.response, events: redactEvents(stored.response.events, secretValues(found)) }
    let sidecarFile: { name: string; bytes: Uint8Array } | undefined
    if (sidecar) {
      // Text sidecars are scrubbed like the cassette itself (JSON kept parseable); binary ones are only checked for live keys.
      const bytes = scrubbedSidecarBytes(sidecar, redact)
      sidecarFile = { name: sidecarName(bytes, sidecar.extension), bytes }
      stored.response = { ...stored.response, file: sidecarFile.name }
      assertNoSecrets(Buffer.from(bytes).toString('latin1'), join(sidecarDir(this.file), sidecarFile.name), secrets, stored.test)
    }
    // The entry as written and, for a stream, the texts it spells: a key split across its chunks is still a key.
    const texts = recordingTexts(stored, sidecarFile && sidecar ? { bytes: sidecarFile.bytes, extension: sidecar.extension } : undefined)
    assertScrubbed(texts, found, this.file, stored.test, secrets)
    for (const text of texts) assertNoSecrets(text, this.file, secrets, stored.test)
    if (sidecarFile) this.sidecarBytes.set(sidecarFile.name, sidecarFile.bytes)
    this.pendingAttempt(slot, stored.test, stored.repeat).entries.push({ entry: stored, occurrence: slot.occurrence, ...(slot.restores ? { restores: true as const } : {}) })
    return stored
  }

  /**
   * Ends a try: its recordings may be written, combined with stored ones as `mode` says. With `hold` (the try
   * failed and may be retried) they wait for the end of the file, and a retry of the test drops them.
   */
  endAttempt(token: object, options: { mode?: CommitMode; hold?: boolean } = {}): void {
    const attempt = this.pending.get(token)
    if (!attempt) return
    attempt.state = options.hold ? 'held' : 'ended'
    if (options.mode) attempt.mode = options.mode
  }

  /**
   * Drops what one try recorded (nothing of it is written): a `record` try a cancelled run interrupted, whose half
   * recording must not replace the test's complete one. Returns how many recordings (model and tool calls) it held.
   */
  discardAttempt(token: object): number {
    const attempt = this.pending.get(token)
    if (!attempt) return 0
    this.pending.delete(token)
    return attempt.entries.length + attempt.tools.length
  }

  /** A new try of a test attempt begins (a Vitest retry): what its failed tries recorded is not kept. */
  discardFailedTries(test: string, repeat: number): void {
    for (const [token, attempt] of this.pending) {
      if (attempt.state !== 'held' || attempt.test !== test || attempt.repeat !== repeat) continue
      this.pending.delete(token)
      this.discardedOnRetry.entries += attempt.entries.length
      this.discardedOnRetry.tools += attempt.tools.length
    }
  }

  /** True when an ended try has something to write. */
  get hasPending(): boolean {
    return [...this.pending.values()].some((attempt) => attempt.state === 'ended' && attempt.entries.length + attempt.tools.length + attempt.unrecorded.length > 0)
  }

  /**
   * Merges the recordings of ended attempts (all attempts when `final`) into the file as it is on disk now,
   * under a lock shared with other processes, and writes it atomically. `existingTests`, when given, prunes
   * entries of tests that no longer exist. Returns how many new entries were written.
   */
  flush(options: { final?: boolean; existingTests?: ReadonlySet<string> } = {}): number {
    const ready = [...this.pending.entries()].filter(([, attempt]) => attempt.state === 'ended' || options.final)
    if (ready.length === 0 && !options.existingTests) return 0
    // Written or failed, these recordings are done with: a failed write is reported and recorded again.
    for (const [token] of ready) this.pending.delete(token)
    try {
      return withFileLock(this.file, () => this.write(ready.map(([, attempt]) => attempt), options.existingTests))
    } finally {
      if (this.pending.size === 0) this.sidecarBytes.clear()
    }
  }

  private write(attempts: readonly PendingAttempt[], existingTests?: ReadonlySet<string>): number {
    const before = existsSync(this.file) ? readCassetteText(this.file) : undefined
    const onDisk = before === undefined ? { entries: [], tools: [], unrecorded: [] } : parseCassette(before, this.file)
    let entries = onDisk.entries
    let tools = onDisk.tools
    const added: CassetteEntry[] = []
    const addedTools: ToolRecord[] = []
    const addedByTry: [Set<string>, CassetteEntry[]][] = []
    const { runStartedAt = 0, project } = this.options
    const now = realNow()
    for (let attempt of attempts) {
      // A try that stored nothing (only marks) replaces no recording, except a failed `record` try (a recording refused,
      // the test timed out): its recording, marks alone, is the test's, so the earlier answers, which this run did not
      // confirm, do not replay in place of the misses its marks explain. A passing try did not need what it left unstored.
      if (attempt.entries.length + attempt.tools.length === 0 && !(attempt.mode === 'replace' && attempt.state === 'held')) continue
      // Another process recorded this test meanwhile and got other answers: what this try recorded after one is left out.
      const leftOut = afterRivalAnswer(attempt, entries, tools, (entry) => this.keyOf(entry), project)
      if (leftOut.entries.size + leftOut.tools.size > 0) {
        attempt = { ...attempt, entries: attempt.entries.filter((item) => !leftOut.entries.has(item.entry)), tools: attempt.tools.filter((record) => !leftOut.tools.has(record)) }
        this.alreadyRecorded.entries += leftOut.entries.size
        this.alreadyRecorded.tools += leftOut.tools.size
      }
      const addedBefore = added.length
      entries = this.applyAttempt(entries, attempt, added, now)
      addedByTry.push([attempt.writtenByThisTry, added.slice(addedBefore)])
      const keepOthers = this.options.runStartedAt === undefined ? {} : { keepOthers: { addedNow: addedTools } }
      const merged = mergeToolAttempt(tools, attempt, { runStartedAt, now, written: this.writtenToolSlots, ...(project ? { project } : {}), ...keepOthers })
      tools = merged.records
      addedTools.push(...merged.added)
      // A recording left out: another process stored the same exchange first (in `record`, since this run began).
      this.alreadyRecorded.entries += attempt.entries.length - (added.length - addedBefore)
      this.alreadyRecorded.tools += attempt.tools.length - merged.added.length
    }
    // `existingTests` are the tests this project collected: another project's recordings (test names built from its
    // env differ) are never this run's to drop.
    const exists = (record: { test: string; project?: string }) => !existingTests || record.test === FILE_LEVEL_TEST || record.project !== project || existingTests.has(record.test)
    const kept = entries.filter(exists).sort(compareEntries)
    const keptTools = tools.filter(exists).sort(compareEntries)
    // A tool's mark (a result refused for a secret) goes when the tool call is recorded, as a model call's does.
    const recordings = [...kept.map((entry) => ({ test: entry.test, repeat: entry.repeat, key: this.keyOf(entry) })), ...keptTools]
    // A mark whose test's name was redacted stands for every test its name matches (see `markUnrecorded`).
    const markExists = (mark: UnrecordedCall) => exists(mark) || (existingTests !== undefined && mark.test.includes(REDACTED) && [...existingTests].some((test) => isRedactedName(mark.test, test)))
    const unrecorded = mergeUnrecorded(onDisk.unrecorded, attempts, recordings, (recording) => recording.key, project, this.options.runStartedAt).filter(markExists)
    const document = { version: 1 as const, entries: kept, tools: keptTools, unrecorded }
    const text = serializeCassette(document)
    // The same recording again leaves the cassette as it was, but restores its sidecar if it is missing or damaged.
    if (text === before) {
      this.writeSidecars(added)
      return 0
    }
    if (before === undefined && document.entries.length === 0 && document.tools.length === 0 && unrecorded.length === 0) return 0
    // Every recording was checked on its own; this guards what other processes or older versions wrote.
    assertNoSecrets(text, this.file, this.options.secrets)
    this.writeSidecars(added)
    removeStaleTemporaryFiles(this.file)
    writeFileAtomic(this.file, text)
    // The file of an answer this recording replaced stays: another process that loaded the cassette before may still
    // replay it. `llm-evals cassettes prune` removes it once nothing refers to it.
    for (const entry of added) {
      this.written.add(entry)
      this.writtenSlots.add(slotOf(entry))
    }
    for (const [slots, ofTry] of addedByTry) for (const entry of ofTry) slots.add(slotOf(entry))
    for (const record of addedTools) {
      this.writtenTools.add(record)
      this.writtenToolSlots.add(toolSlotOf(record))
    }
    // What was just written, read back as any later load reads it (bodies sorted), without reading the file.
    this.load(parseCassette(text, this.file))
    return added.length + addedTools.length
  }

  /** Writes (or repairs) the sidecar files of `added` entries whose bodies this store holds. */
  private writeSidecars(added: readonly CassetteEntry[]): void {
    for (const entry of added) {
      const bytes = entry.response.file ? this.sidecarBytes.get(entry.response.file) : undefined
      if (entry.response.file && bytes) writeSidecar(this.file, entry.response.file, bytes)
    }
  }

  /**
   * With test.projects, the answers of another project this project's attempt replayed before recording its
   * `occurrence`-th call to `key` (`auto` falls back to them), copied as its own: its recordings then start at
   * occurrence 0, and a replay gives each call what it got when recorded (not its second answer to its first call).
   */
  private sharedBefore(kept: readonly CassetteEntry[], attempt: PendingAttempt, key: string, occurrence: number): CassetteEntry[] {
    const { project } = this.options
    if (project === undefined) return []
    const ofKey = kept.filter((entry) => entry.test === attempt.test && entry.repeat === attempt.repeat && this.keyOf(entry) === key).sort((a, b) => a.call - b.call)
    const own = ofKey.filter((entry) => entry.project === project).length
    const others = ofKey.filter((entry) => entry.project !== project)
    return others.slice(own, occurrence).map((entry) => ({ ...entry, project }))
  }

  private applyAttempt(stored: CassetteEntry[], attempt: PendingAttempt, added: CassetteEntry[], now: number): CassetteEntry[] {
    const { runStartedAt = 0, project } = this.options
    const sameTest = (entry: CassetteEntry) => entry.test === attempt.test && entry.repeat === attempt.repeat
    // `record` re-records this project's recordings of the test only: another of test.projects keeps its own.
    const mine = (entry: CassetteEntry) => sameTest(entry) && entry.project === project
    let kept = stored
    if (attempt.mode === 'replace') {
      // What this process wrote before (a Vitest retry's failed try) or an older run recorded goes; what
      // another process recorded since this run started stays, and so does what another project recorded.
      kept = kept.filter((entry) => !mine(entry) || (recordedInRun(entry.meta.recordedAt, runStartedAt, now) && !this.writtenSlots.has(slotOf(entry))))
    }
    const fresh: PendingEntry[] = []
    let copied = 0
    if (attempt.mode === 'append') {
      // Another process may have recorded the same exchange since this one looked it up: keep theirs.
      // Not this try's own answers written before (late answers are written as they arrive, maybe out of order).
      const counts = new Map<string, number>()
      for (const entry of kept) if (sameTest(entry) && !attempt.writtenByThisTry.has(slotOf(entry))) counts.set(this.keyOf(entry), (counts.get(this.keyOf(entry)) ?? 0) + 1)
      // In the order the calls were made: identical requests started together may be answered (and so reach
      // the attempt) in any order, and each must be checked against the stored count as the occurrence it is.
      for (const item of [...attempt.entries].sort((a, b) => a.entry.call - b.entry.call)) {
        const key = this.keyOf(item.entry)
        const count = counts.get(key) ?? 0
        // A recording of a call whose sidecar was gone replaces it (unless another process restored it first).
        const restored = item.restores && count > item.occurrence ? withoutUnreplayable(kept, this.file, (entry) => sameTest(entry) && this.keyOf(entry) === key, item.occurrence) : undefined
        if (restored) {
          kept = restored
          this.restoredSidecars++
        }        else if (count > item.occurrence) continue
        else counts.set(key, count + 1)
        const shared = this.sharedBefore(kept, attempt, key, item.occurrence)
        // Numbered after the test's recordings, before this attempt's new ones (renumbered after them below).
        let next = Math.max(-1, ...kept.filter(sameTest).map((entry) => entry.call)) + 1
        for (const entry of shared) entry.call = next++
        copied += shared.length
        kept = [...kept, ...shared]
        fresh.push(item)
      }
    } else {
      // New recordings replace stored ones with the same key and occurrence; the rest stay. Not one another
      // process recorded since this run began (two `record` runs at once): the first written is kept, and this
      // one is counted as already recorded (as in `append`), so neither run reports a recording the other replaced.
      const covered = new Set(attempt.entries.map((item) => `${this.keyOf(item.entry)}#${item.occurrence}`))
      const othersFresh = new Set<string>()
      const seen = new Map<string, number>()
      kept = kept.filter((entry) => {
        if (!mine(entry)) return true
        const key = this.keyOf(entry)
        const occurrence = seen.get(key) ?? 0
        seen.set(key, occurrence + 1)
        if (!covered.has(`${key}#${occurrence}`)) return true
        if (this.options.runStartedAt !== undefined && recordedByOtherSince(entry, this.options.runStartedAt, now, this.writtenSlots, added)) othersFresh.add(`${key}#${occurrence}`)
        return othersFresh.has(`${key}#${occurrence}`)
      })
      fresh.push(...attempt.entries.filter((item) => !othersFresh.has(`${this.keyOf(item.entry)}#${item.occurrence}`)))
    }
    // Call numbers stay unique within an attempt. A failed re-recording (`merge`) keeps its own numbers, so
    // its calls come first; new recordings made beside another process's are numbered after those.
    const moving = attempt.mode === 'merge' ? kept.filter(mine) : fresh.map((item) => item.entry)
    const staying = attempt.mode === 'merge' ? fresh.map((item) => item.entry) : kept.filter(attempt.mode === 'append' ? sameTest : mine)
    const taken = new Set(staying.map((entry) => entry.call))
    const latestCopy = Math.max(-1, ...staying.filter((entry) => !stored.includes(entry)).map((entry) => entry.call))
    if (moving.some((entry) => taken.has(entry.call) || (copied > 0 && entry.call <= latestCopy))) {
      // Renumbered together, in their order, so the attempt's calls keep the order they were made in.
      let next = Math.max(-1, ...taken, ...moving.map((entry) => entry.call)) + 1
      for (const entry of moving) entry.call = next++
    }
    // Beside another project's recordings of the test (which keep their numbers), this project's follow them, in order.
    const others = attempt.mode === 'append' ? [] : kept.filter((entry) => sameTest(entry) && !mine(entry))
    const ours = [...staying, ...moving].sort((a, b) => a.call - b.call)
    const othersCalls = new Set(others.map((entry) => entry.call))
    if (ours.some((entry) => othersCalls.has(entry.call))) {
      let next = Math.max(-1, ...othersCalls, ...ours.map((entry) => entry.call)) + 1
      for (const entry of ours) entry.call = next++
    }
    added.push(...fresh.map((item) => item.entry))
    return [...kept, ...fresh.map((item) => item.entry)]
  }
}

/** True for a recording another process stored since this run began (not this process's, written before or in this write). */
function recordedByOtherSince(entry: CassetteEntry, runStartedAt: number, now: number, written: ReadonlySet<string>, addedNow: readonly CassetteEntry[]): boolean {
  return recordedInRun(entry.meta.recordedAt, runStartedAt, now) && !written.has(slotOf(entry)) && !addedNow.includes(entry)
}

function slotOf(entry: CassetteEntry): string {
  return `${attemptId(entry.test, entry.repeat)}\u0000${entry.call}\u0000${entry.project ?? ''}`
}

/** Statuses the SDKs retry: a response with one is never stored (the retry's outcome is). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500
}

/** False when a tool record's arguments cannot be keyed (nested too deeply for the canonical JSON). */
function keysArguments(name: string, args: unknown): boolean {
  try {
    toolKey(name, args)
    return true
  } catch {
    return false
  }
}
