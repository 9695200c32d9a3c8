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

  set(key: string, response: string): void {
    const stored = { ...this.stored, [key]: response }
    let merged: Record<string, string> = {}
    withFileLock(this.path, () =>
      updateFileAtomic(this.path, (text) => {
        merged = { ...ResponseSnapshotFile.parse(this.path, text), ...stored }
        const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        const document: ResponseSnapshotDocument = { version: 1, responses: sorted }
        return `${JSON.stringify(document, null, 2)}\n`
      }),
    )
    // Only once written: a refused response (a live key in it) is not retried by the next store.
    this.stored[key] = response
    Object.assign(this.responses, merged)
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
