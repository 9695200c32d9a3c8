import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { requestKey, type NormalizeRequest } from './canonical.js'
import { removeStaleTemporaryFiles, writeFileAtomic } from '../atomic-files.js'
import { readCassette, serializeCassette, sidecarDir, sidecarName, writeSidecar } from './cassette-file.js'
import { attemptId, compareEntries, FILE_LEVEL_TEST, type CassetteEntry } from './entry.js'
import { assertNoSecrets, scrubDeep, scrubString, type RedactRule } from './redact.js'

/** How an attempt's new recordings combine with what the cassette already holds for it. */
export type CommitMode = 'append' | 'replace' | 'merge'

interface PendingAttempt {
  test: string
  repeat: number
  entries: CassetteEntry[]
  mode: CommitMode
}

/** Options shared by every cassette of a run. */
export interface CassetteStoreOptions {
  normalizeRequest?: NormalizeRequest
  redact: readonly RedactRule[]
  /** Live secret values that must never be written. */
  secrets: readonly { name: string; value: string }[]
}

/**
 * The recordings of one test file: lookup by test attempt, key and occurrence; new recordings
 * kept in memory until {@link CassetteStore.flush} merges them into the file atomically.
 */
export class CassetteStore {
  private entries: CassetteEntry[] = []
  private keys = new Map<CassetteEntry, string>()
  /** Stored answers by test attempt and key, in call order (a lookup per request stays O(1)). */
  private answers = new Map<string, CassetteEntry[]>()
  private pending = new Map<string, PendingAttempt>()
  private sidecarBytes = new Map<string, Uint8Array>()
  readonly used = new Set<CassetteEntry>()

  constructor(
    readonly file: string,
    private readonly options: CassetteStoreOptions,
  ) {
    this.load()
  }

  private load(): void {
    this.entries = readCassette(this.file).entries
    this.keys = new Map(this.entries.map((entry) => [entry, this.keyOf(entry)]))
    this.answers = new Map()
    for (const entry of [...this.entries].sort(compareEntries)) {
      const slot = `${attemptId(entry.test, entry.repeat)}\u0000${this.keys.get(entry)}`
      const list = this.answers.get(slot)
      if (list) list.push(entry)
      else this.answers.set(slot, [entry])
    }
  }

  /** The key of a stored entry, computed from its stored request with today's normalisation. */
  keyOf(entry: CassetteEntry): string {
    const { url: _url, ...request } = entry.request
    return requestKey(request, this.options.normalizeRequest)
  }

  /** All stored entries (read-only view). */
  get all(): readonly CassetteEntry[] {
    return this.entries
  }

  /** The `occurrence`-th stored answer (0-based) to `key` within one test attempt. */
  find(test: string, repeat: number, key: string, occurrence: number): CassetteEntry | undefined {
    return this.answers.get(`${attemptId(test, repeat)}\u0000${key}`)?.[occurrence]
  }

  /** The highest call index stored for an attempt, or -1. */
  lastCall(test: string, repeat: number): number {
    let last = -1
    for (const entry of this.entries) if (entry.test === test && entry.repeat === repeat) last = Math.max(last, entry.call)
    for (const entry of this.pending.get(attemptId(test, repeat))?.entries ?? []) last = Math.max(last, entry.call)
    return last
  }

  /** Keeps a new recording in memory; a body too large or binary to inline goes to a sidecar at flush. */
  record(entry: CassetteEntry, mode: CommitMode, sidecar?: { bytes: Uint8Array; extension: string }): void {
    if (sidecar) {
      // Text sidecars are scrubbed like the cassette itself; binary ones are only checked for live keys.
      const bytes = sidecar.extension === 'bin' ? sidecar.bytes : new TextEncoder().encode(scrubString(new TextDecoder().decode(sidecar.bytes), this.options.redact))
      const name = sidecarName(bytes, sidecar.extension)
      entry.response = { ...entry.response, file: name }
      this.sidecarBytes.set(name, bytes)
    }
    const id = attemptId(entry.test, entry.repeat)
    const attempt = this.pending.get(id) ?? { test: entry.test, repeat: entry.repeat, entries: [], mode }
    attempt.entries.push(entry)
    this.pending.set(id, attempt)
    this.keys.set(entry, this.keyOf(entry))
  }

  /** Drops (and returns) the newest pending recording of `key` in an attempt when it was a retryable failure. */
  dropRetriedFailure(test: string, repeat: number, key: string): CassetteEntry | undefined {
    const attempt = this.pending.get(attemptId(test, repeat))
    if (!attempt) return undefined
    for (let index = attempt.entries.length - 1; index >= 0; index--) {
      const entry = attempt.entries[index]
      if (entry && this.keys.get(entry) === key) {
        if (!isRetryableStatus(entry.response.status)) return undefined
        attempt.entries.splice(index, 1)
        return entry
      }
    }
    return undefined
  }

  /** Sets how an attempt's recordings combine with stored ones (a passed `record` run replaces). */
  setCommitMode(test: string, repeat: number, mode: CommitMode): void {
    const attempt = this.pending.get(attemptId(test, repeat))
    if (attempt) attempt.mode = mode
  }

  get hasPending(): boolean {
    return [...this.pending.values()].some((attempt) => attempt.entries.length > 0 || attempt.mode === 'replace')
  }

  /**
   * Merges pending recordings into the file as it is on disk now, scrubs secrets, refuses a write
   * that would still hold one, and writes atomically. `existingTests`, when given, prunes entries
   * of tests that no longer exist. Returns true when the file changed.
   */
  flush(existingTests?: ReadonlySet<string>): boolean {
    try {
      return this.write(existingTests)
    } finally {
      // Written or refused, pending recordings are done with: a refused one must be recorded again.
      this.pending.clear()
      this.sidecarBytes.clear()
    }
  }

  private write(existingTests?: ReadonlySet<string>): boolean {
    const before = existsSync(this.file) ? readFileSync(this.file, 'utf8') : undefined
    let entries = readCassette(this.file).entries
    for (const attempt of this.pending.values()) entries = this.applyAttempt(entries, attempt)
    if (existingTests) entries = entries.filter((entry) => entry.test === FILE_LEVEL_TEST || existingTests.has(entry.test))
    const document = { version: 1 as const, entries: scrubDeep(entries.sort(compareEntries), this.options.redact) }
    const text = serializeCassette(document)
    if (text === before || (before === undefined && document.entries.length === 0)) return false
    assertNoSecrets(text, this.file, this.options.secrets)
    const sidecars = document.entries.flatMap((entry) => {
      const bytes = entry.response.file ? this.sidecarBytes.get(entry.response.file) : undefined
      return entry.response.file && bytes ? [{ name: entry.response.file, bytes }] : []
    })
    for (const { name, bytes } of sidecars) assertNoSecrets(Buffer.from(bytes).toString('latin1'), join(sidecarDir(this.file), name), this.options.secrets)
    for (const { name, bytes } of sidecars) writeSidecar(this.file, name, bytes)
    removeStaleTemporaryFiles(this.file)
    writeFileAtomic(this.file, text)
    this.load()
    return true
  }

  private applyAttempt(stored: CassetteEntry[], attempt: PendingAttempt): CassetteEntry[] {
    const mine = (entry: CassetteEntry) => entry.test === attempt.test && entry.repeat === attempt.repeat
    const others = stored.filter((entry) => !mine(entry))
    const old = stored.filter(mine).map((entry) => ({ entry, key: this.keyOf(entry) }))
    if (attempt.mode === 'replace') return [...others, ...attempt.entries]
    if (attempt.mode === 'append') return [...stored, ...attempt.entries]
    // merge: new recordings replace the stored ones with the same key and occurrence; the rest stay.
    const covered = occurrenceIds(attempt.entries.map((entry) => ({ entry, key: this.keys.get(entry) ?? this.keyOf(entry) })))
    const kept = old.filter((_, index) => !covered.has(occurrenceIdAt(old, index)))
    return [...others, ...kept.map((item) => item.entry), ...attempt.entries]
  }
}

function occurrenceIdAt(items: readonly { entry: CassetteEntry; key: string }[], index: number): string {
  const item = items[index]
  if (!item) return ''
  const before = items.slice(0, index).filter((other) => other.key === item.key).length
  return `${item.key}#${before}`
}

function occurrenceIds(items: readonly { entry: CassetteEntry; key: string }[]): Set<string> {
  return new Set(items.map((_, index) => occurrenceIdAt(items, index)))
}

/** Statuses the SDKs retry: a recording of one is provisional until the retry's outcome arrives. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500
}
