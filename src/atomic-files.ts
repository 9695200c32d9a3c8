// Writing files so that readers and other processes never see half of one, and nothing already on
// disk is lost when a writer is killed: used for cassettes, history, labels, baselines and exports.
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { guardWrite } from './cassettes/redact.js'
import { FileLockError } from './errors/index.js'

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

/**
 * Writes a file through a temporary file and a rename, so readers never see half of it. Refuses (a
 * `SecretLeakError`, the file left as it was) to write the value of a live credential variable.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  guardWrite(file, typeof data === 'string' ? data : Buffer.from(data).toString('latin1'))
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

/**
 * Removes temporary files a killed writer left beside `file`: those of a process that no longer runs, and
 * any older than a minute (so never a live write's).
 */
export function removeStaleTemporaryFiles(file: string, now = Date.now()): void {
  const dir = dirname(file)
  if (!existsSync(dir)) return
  const prefix = `.${basename(file)}.`
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue
    const path = join(dir, name)
    const pid = Number(name.slice(prefix.length).split('.')[0])
    const writerGone = Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isRunning(pid)
    try {
      if (writerGone || now - statSync(path).mtimeMs > 60_000) rmSync(path, { force: true })
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

const WAIT_MS = 30_000
const STALE_MS = 120_000

/**
 * Runs `action` while holding `<path>.lock` (created exclusively, holding its owner's pid, host and a token),
 * so writers in other processes take turns. A lock whose owner is no longer running on this host (a killed
 * writer) is taken over at once, one older than two minutes whatever its owner; a live owner is waited for
 * up to `waitMs`, then a {@link FileLockError} says which process holds it. Only the owner removes a lock.
 */
export function withFileLock<T>(path: string, action: () => T, waitMs = WAIT_MS): T {
  const lock = `${path}.lock`
  mkdirSync(dirname(lock), { recursive: true })
  const token = `${process.pid} ${hostname()} ${randomBytes(6).toString('hex')}`
  const started = Date.now()
  for (;;) {
    try {
      writeFileSync(lock, token, { flag: 'wx' })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = readOwner(lock)
      if (owner === undefined) continue // released meanwhile
      if (isAbandoned(lock, owner)) rmSync(lock, { force: true })
      else if (Date.now() - started > waitMs) {
        throw new FileLockError(
          `Timed out after ${Math.round(waitMs / 1000)} s waiting to write ${path}: ${lock} is held by process ${owner.split(' ')[0] || '?'} on ${owner.split(' ')[1] || 'an unknown host'}. ` +
            'Another run is writing the same file; if no such process is running, delete the lock file.',
        )
      } else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20)
    }
  }
  try {
    return action()
  } finally {
    if (readOwner(lock) === token) rmSync(lock, { force: true })
  }
}

function readOwner(lock: string): string | undefined {
  try {
    return readFileSync(lock, 'utf8')
  } catch {
    return undefined
  }
}

/** True when the lock's owner is gone: a process of this host that no longer runs, or a lock too old to be live. */
function isAbandoned(lock: string, owner: string): boolean {
  const [pid, host] = owner.split(' ')
  if (host === hostname() && pid && /^\d+$/.test(pid) && !isRunning(Number(pid))) return true
  return isOlderThan(lock, STALE_MS)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function isOlderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms
  } catch {
    return false
  }
}
