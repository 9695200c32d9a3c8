// Writing files so that readers and other processes never see half of one, and nothing already on
// disk is lost when a writer is killed: used for cassettes, history, labels, baselines and exports.
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** Writes a file through a temporary file and a rename, so readers never see half of it. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true })
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    writeFileSync(temporary, data)
    renameSync(temporary, file)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}

/** Removes temporary files a killed writer left beside `file` (older than a minute, so never a live write's). */
export function removeStaleTemporaryFiles(file: string, now = Date.now()): void {
  const dir = dirname(file)
  if (!existsSync(dir)) return
  const prefix = `.${basename(file)}.`
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue
    const path = join(dir, name)
    if (now - statSync(path).mtimeMs > 60_000) rmSync(path, { force: true })
  }
}

const WAIT_MS = 10_000
const STALE_MS = 30_000

/**
 * Runs `action` while holding `<path>.lock` (created exclusively), so writers in other processes take
 * turns. A lock older than 30 s was left by a killed writer and is taken over.
 */
export function withFileLock<T>(path: string, action: () => T): T {
  const lock = `${path}.lock`
  mkdirSync(dirname(lock), { recursive: true })
  const started = Date.now()
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'))
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (isOlderThan(lock, STALE_MS) || Date.now() - started > WAIT_MS) rmSync(lock, { force: true })
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20)
    }
  }
  try {
    return action()
  } finally {
    rmSync(lock, { force: true })
  }
}

function isOlderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms
  } catch {
    return false
  }
}
