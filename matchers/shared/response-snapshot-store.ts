import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { guardWrite } from '../../src/cassettes/redact.js'
import { basename, dirname, join } from 'node:path'
import { ConfigError } from '../../src/errors/index.js'

/** The file beside a test file that holds its response snapshots. */
export function responseSnapshotPath(testFile: string): string {
  return join(dirname(testFile), '__snapshots__', `${basename(testFile)}.responses.json`)
}

interface ResponseSnapshotDocument {
  version: 1
  responses: Record<string, string>
}

/** The stored responses of one test file, read once and rewritten atomically (sorted keys) on change. */
class ResponseSnapshotFile {
  private readonly responses: Record<string, string>

  constructor(readonly path: string) {
    this.responses = ResponseSnapshotFile.read(path)
  }

  private static read(path: string): Record<string, string> {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      return {}
    }
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
    this.responses[key] = response
    const sorted = Object.fromEntries(Object.entries(this.responses).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    const document: ResponseSnapshotDocument = { version: 1, responses: sorted }
    mkdirSync(dirname(this.path), { recursive: true })
    const temporary = `${this.path}.${process.pid}.tmp`
    const text = `${JSON.stringify(document, null, 2)}\n`
    guardWrite(this.path, text)
    writeFileSync(temporary, text)
    renameSync(temporary, this.path)
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
