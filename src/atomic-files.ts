// Writing files so that readers and other processes never see half of one, and nothing already on
// disk is lost when a writer is killed: used for cassettes, history, labels, baselines and exports.
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** The temporary file a write goes through, beside `file` (`removeStaleTemporaryFiles` knows the pattern). */
function temporaryFor(file: string): string {
  mkdirSync(dirname(file), { recursive: true })
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
}

/**
 * Writes `temporary` with `write(fd)`, flushes it to disk, and renames it over `file`: readers see the old
 * file or the new one, and a crash (even a power cut) cannot leave a renamed but empty file. On an error
 * the temporary file is removed and `file` is left as it was.
 */
function replaceThrough(file: string, write: (fd: number) => void): void {
  const temporary = temporaryFor(file)
  let fd: number | undefined
  try {
    fd = openSync(temporary, 'w')
    write(fd)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(temporary, file)
  } catch (error) {
    if (fd !== undefined) closeSync(fd)
    rmSync(temporary, { force: true })
    throw error
  }
}

/** Writes a file through a temporary file and a rename, so readers never see half of it. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  replaceThrough(file, (fd) => writeFileSync(fd, data))
}

const BUFFER_BYTES = 1 << 20

/**
 * Writes a file piece by piece, atomically like {@link writeFileAtomic}, without holding the whole content
 * in memory (the history file can be large). When `produce` throws, the old file is left as it was.
 *
 * @example
 * writeFileAtomicStreamed(file, (write) => { for (const line of lines) write(Buffer.from(line + '\n')) })
 */
export function writeFileAtomicStreamed(file: string, produce: (write: (bytes: Uint8Array) => void) => void): void {
  replaceThrough(file, (fd) => {
    const pending = Buffer.allocUnsafe(BUFFER_BYTES)
    let used = 0
    const writeAll = (bytes: Uint8Array) => {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done)
    }
    const flush = () => {
      writeAll(pending.subarray(0, used))
      used = 0
    }
    produce((bytes) => {
      if (used + bytes.length > pending.length) flush()
      if (bytes.length >= pending.length) writeAll(bytes)
      else used += Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).copy(pending, used)
    })
    flush()
  })
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
