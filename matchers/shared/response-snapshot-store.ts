import { readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { updateFileAtomic, withFileLock } from '../../src/atomic-files.js'
import { liveSecrets, scrubShown } from '../../src/cassettes/redact.js'
import { ConfigError } from '../../src/errors/index.js'
import { utf8Text } from '../../src/utf8-text.js'

/** The file beside a test file that holds its response snapshots. */
export function responseSnapshotPath(testFile: string): string {
  return join(dirname(testFile), '__snapshots__', `${basename(testFile)}.responses.json`)
}

/** A response as the snapshot file may hold it: known tokens and the values of live credential variables hidden. */
export function scrubResponse(text: string): string {
  return scrubShown(text, liveSecrets().map(({ value }) => ({ literal: value })))
}

interface ResponseSnapshotDocument {
  version: 1
  responses: Record<string, string>
}

/**
 * The stored responses of one test file, read once. A change is merged into the file as it is on disk, under
 * its lock, and written atomically (sorted keys, guarded): processes sharing the file (several projects over
 * one test file) never drop each other's responses.
 */
class ResponseSnapshotFile {
  private readonly responses: Record<string, string>
  /** The responses this process stored: they win over what is on disk. */
  private readonly stored: Record<string, string> = {}
  /** Keys whose response on disk held a token (an older version stored it unscrubbed): `-u` rewrites them. */
  private readonly scrubbed = new Set<string>()

  constructor(readonly path: string) {
    let bytes: Buffer | undefined
    try {
      bytes = readFileSync(path)
    } catch {}
    const text =
      bytes &&
      utf8Text(
        bytes,
        ({ line }) =>
          new ConfigError(
            `Cannot read response snapshots ${path}: line ${line} is not UTF-8 (an editor saved it in another encoding, such as Latin-1). Nothing was written to it. Save it as UTF-8 again, then run the tests again.`,
          ),
      )
    this.responses = ResponseSnapshotFile.parse(path, text, this.scrubbed)
  }

  /** The responses of the file's `text`, scrubbed (any write then leaves no token); keys whose scrub changed them go in `scrubbed`. */
  private static parse(path: string, text: string | undefined, scrubbed?: Set<string>): Record<string, string> {
    if (text === undefined) return {}
    let responses: Record<string, unknown> | undefined
    try {
      const document = JSON.parse(text) as Partial<ResponseSnapshotDocument>
      if (document.version === 1 && typeof document.responses === 'object' && document.responses && !Array.isArray(document.responses)) responses = document.responses
    } catch {}
    if (!responses || Object.values(responses).some((response) => typeof response !== 'string')) {
      throw new ConfigError(`${path} is not a response snapshot file (expected {"version":1,"responses":{…}} with text responses). Fix or delete it, then run the tests again.`)
    }
    const clean: Record<string, string> = {}
    for (const [key, response] of Object.entries(responses as Record<string, string>)) {
      const value = scrubResponse(response)
      if (value !== response) scrubbed?.add(key)
      Object.defineProperty(clean, key, { value, enumerable: true, writable: true, configurable: true })
    }
    return clean
  }

  /** True when the response stored under `key` held a token when read and the file has not been rewritten since. */
  holdsToken(key: string): boolean {
    return this.scrubbed.has(key)
  }

  get(key: string): string | undefined {
    return Object.hasOwn(this.responses, key) ? this.responses[key] : undefined
  }

  /**
   * Stores `response` under `key`. `firstOnly`: a new response, stored only if no other process stored one under
   * `key` since this file was read (a parallel run, another project over this test file); theirs is returned then,
   * kept, for the caller to compare against, and this one is not written.
   */
  set(key: string, response: string, firstOnly = false): string | undefined {
    let stored: Record<string, string> = { ...this.stored, [key]: response }
    let merged: Record<string, string> = {}
    let theirs: string | undefined
    withFileLock(this.path, () =>
      updateFileAtomic(this.path, (text) => {
        const disk = ResponseSnapshotFile.parse(this.path, text)
        theirs = firstOnly && Object.hasOwn(disk, key) && !Object.hasOwn(this.stored, key) ? disk[key] : undefined
        if (theirs !== undefined) stored = { ...this.stored }
        merged = { ...disk, ...stored }
        const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        const document: ResponseSnapshotDocument = { version: 1, responses: sorted }
        return `${JSON.stringify(document, null, 2)}\n`
      }),
    )
    // Only once written: a refused response (a live key in it) is not retried by the next store.
    if (theirs === undefined) this.stored[key] = response
    this.scrubbed.clear() // the file was rewritten from scrubbed responses only
    for (const [each, value] of Object.entries(merged)) Object.defineProperty(this.responses, each, { value, enumerable: true, writable: true, configurable: true })
    return theirs
  }
}

const files = new Map<string, ResponseSnapshotFile>()

/** The response snapshot file of a test file; one instance per worker, so concurrent tests share it. */
export function responseSnapshotFile(testFile: string): ResponseSnapshotFile {
  const path = responseSnapshotPath(testFile)
  let file = files.get(path)
  if (!file) {
    file = new ResponseSnapshotFile(path)
    files.set(path, file)
  }
  return file
}

export type { ResponseSnapshotFile }
