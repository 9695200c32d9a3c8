import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

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
