import { readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { updateFileAtomic, withFileLock } from '../../src/atomic-files.js'
import { ConfigError } from '../../src/errors/index.js'

/** The file beside a test file that holds its response snapshots. */
export function responseSnapshotPath(testFile: string): string {
  return join(dirname(testFile), '__snapshots__', `${basename(testFile)}.responses.json`)
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

  constructor(readonly path: string) {
    let text: string | undefined
    try {
      text = readFileSync(path, 'utf8')
    } catch {}
    this.responses = ResponseSnapshotFile.parse(path, text)
  }

  private static parse(path: string, text: string | undefined): Record<string, string> {
    if (text === undefined) return {}
    try {
      const document = JSON.parse(text) as Partial<ResponseSnapshotDocument>
      if (document.version === 1 && typeof document.responses === 'object' && document.responses) return { ...document.responses }
    } catch {}
    throw new ConfigError(`${path} is not a response snapshot file (expected {"version":1,"responses":{…}}). Fix or delete it, then run the tests again.`)
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
