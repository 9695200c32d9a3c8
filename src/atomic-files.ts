// Writing files so that readers and other processes never see half of one, nothing already on disk is lost
// when a writer is killed, and a rewrite never replaces a file that changed after it was read: used for
// cassettes, history, labels, baselines and exports. A path that is a symbolic link is written through: the file
// it points to is replaced and the link stays (see write-target.ts).
import { nodeCrypto } from './node-crypto.js'
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync, type BigIntStats } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { guardWrite } from './cassettes/redact.js'
import { FileLockError, FileWriteError } from './errors/index.js'
import { renewLock, withFileLock as lockFile } from './file-lock.js'
import { isRunning } from './process-identity.js'
import { writeTargetOf } from './write-target.js'
import { fileWriteError } from './file-write-error.js'
import { realNow } from './real-clock.js'
import { utf8Text } from './utf8-text.js'

/**
 * Runs `action` while holding the lock of `path` (see `withFileLock` in file-lock.ts): the lock of the file a
 * symbolic link at `path` points to, so writers through two links to one file take turns.
 *
 * @example
 * withFileLock('.evals/history.jsonl', () => appendTo('.evals/history.jsonl'))
 */
export function withFileLock<T>(path: string, action: () => T, waitMs?: number): T {
  const target = targetOf(path)
  let acting = false
  try {
    return lockFile(
      target,
      () => {
        acting = true
        return action()
      },
      waitMs,
    )
  } catch (error) {
    // Taking the lock (its folder, its file) failed: said as a failed write of `path`. The action's errors are its own.
    throw acting ? error : fileWriteError(error, path, target)
  }
}

/** {@link writeTargetOf}, its refusals (a folder on the way that cannot be read) said as a failed write of `file`. */
function targetOf(file: string): string {
  try {
    return writeTargetOf(file)
  } catch (error) {
    throw fileWriteError(error, file)
  }
}

/** The temporary file a write goes through, beside `file` (`removeStaleTemporaryFiles` knows the pattern). */
export function temporaryFor(file: string): string {
  mkdirSync(dirname(file), { recursive: true })
  return join(dirname(file), `.${basename(file)}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`)
}

function ignoringErrors(action: () => void): void {
  try {
    action()
  } catch {
    // Cleaning up after a failed write: the write's own error is the one to report.
  }
}

/** Thrown inside a rewrite when the file is no longer the one it read: the rewrite starts again. */
class ChangedMeanwhile extends Error {}

/**
 * One version of a file: which file (device, inode) and its size and times. The rewrite keeps the file it read
 * open until the rename, so its inode cannot be given to another file meanwhile; size and times catch a change
 * in place (an append by a writer without the lock).
 */
function versionOf(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`
}

function versionAt(file: string): string | undefined {
  try {
    return versionOf(statSync(file, { bigint: true }))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Writes `temporary` with `write(fd)`, flushes it to disk, and renames it over `file`: readers see the old
 * file or the new one, and a crash (even a power cut) cannot leave a renamed but empty file. With `expected`,
 * the rename happens only if `file` is still that version (undefined: still missing). On an error the
 * temporary file is removed and `file` is left as it was.
 */
function replaceThrough(file: string, write: (fd: number) => void, expected?: { version: string | undefined }, durable = true): void {
  const temporary = temporaryFor(file)
  let fd: number | undefined
  try {
    fd = openSync(temporary, 'w')
    write(fd)
    if (durable) fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    if (expected && versionAt(file) !== expected.version) throw new ChangedMeanwhile()
    renameSync(temporary, file)
  } catch (error) {
    // The temporary file goes whatever else fails (a close that fails on a full disk must not leave it behind).
    if (fd !== undefined) ignoringErrors(() => closeSync(fd as number))
    ignoringErrors(() => rmSync(temporary, { force: true }))
    // A process that took over a lock of ours removed our temporary copy: start again from the file as it is.
    if (expected && (error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(temporary) && existsSync(dirname(file))) throw new ChangedMeanwhile()
    throw error
  }
}

/**
 * Writes a file through a temporary file and a rename, so readers never see half of it. Refuses (a
 * `SecretLeakError`, the file left as it was) to write the value of a live credential variable.
 * `durable: false` skips flushing it to disk before the rename (each flush costs 3-20 ms): for files every run
 * writes again from what it keeps elsewhere (the HTML report, summary.json), which a power cut may leave empty.
 *
 * @example
 * writeFileAtomic('.evals/summary.json', JSON.stringify(summary), { durable: false })
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: { durable?: boolean } = {}): void {
  guardWrite(file, typeof data === 'string' ? data : Buffer.from(data).toString('latin1'))
  const target = targetOf(file)
  try {
    replaceThrough(target, (fd) => writeFileSync(fd, data), undefined, options.durable ?? true)
  } catch (error) {
    throw fileWriteError(error, file, target)
  }
}

const BUFFER_BYTES = 1 << 20

/** Runs `produce` with a buffered writer into `fd`; `onFlush` runs after every megabyte written. */
function streamInto(fd: number, produce: (write: (bytes: Uint8Array) => void) => void, onFlush: () => void = () => {}): void {
  const pending = Buffer.allocUnsafe(BUFFER_BYTES)
  let used = 0
  const writeAll = (bytes: Uint8Array) => {
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done)
    onFlush()
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
}

/**
 * Writes a file piece by piece, atomically like {@link writeFileAtomic}, without holding the whole content
 * in memory. When `produce` throws, the old file is left as it was. The caller guards what it writes
 * (`guardWrite`, or write text with {@link writeTextPiecesAtomic}); to rewrite a file from its own content, use
 * {@link rewriteFileAtomic}. `durable` as in {@link writeFileAtomic}.
 *
 * @example
 * writeFileAtomicStreamed(file, (write) => { for (const line of lines) write(Buffer.from(line + '\n')) })
 */
export function writeFileAtomicStreamed(file: string, produce: (write: (bytes: Uint8Array) => void) => void, options: { durable?: boolean } = {}): void {
  const target = targetOf(file)
  try {
    replaceThrough(target, (fd) => streamInto(fd, produce, () => renewLock(target)), undefined, options.durable ?? true)
  } catch (error) {
    throw fileWriteError(error, file, target)
  }
}

const REWRITE_ATTEMPTS = 5

/**
 * Rewrites `file` from its current content, atomically: `produce(source, write)` reads the file through the
 * open descriptor `source` (undefined when there is no file yet) and writes the new content. Just before the
 * rename the file must still be the one read; when another writer replaced or changed it meanwhile, the rewrite
 * starts again from the new content (up to `attempts` times, then a {@link FileLockError}), so what the other
 * writer added is never lost. Hold the file's lock around it: the check catches writers that do not.
 * The caller guards what it adds (`guardWrite`).
 *
 * @example
 * rewriteFileAtomic(file, (source, write) => { if (source !== undefined) copyLines(source, write); write(newLine) })
 */
export function rewriteFileAtomic(file: string, produce: (source: number | undefined, write: (bytes: Uint8Array) => void) => void, attempts = REWRITE_ATTEMPTS): void {
  const target = targetOf(file)
  try {
    rewriteTarget(file, target, produce, attempts)
  } catch (error) {
    throw fileWriteError(error, file, target)
  }
}

function rewriteTarget(file: string, target: string, produce: (source: number | undefined, write: (bytes: Uint8Array) => void) => void, attempts: number): void {
  for (let attempt = 1; ; attempt++) {
    let source: number | undefined
    try {
      source = openSync(target, 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    try {
      const version = source === undefined ? undefined : versionOf(fstatSync(source, { bigint: true }))
      replaceThrough(target, (fd) => streamInto(fd, (write) => produce(source, write), () => renewLock(target)), { version })
      return
    } catch (error) {
      if (!(error instanceof ChangedMeanwhile)) throw error
      if (attempt >= attempts) {
        throw new FileLockError(
          `${file} was changed by another program every time it was rewritten (${attempts} attempts); it was left as that program wrote it, and this write was not made. ` +
            'Something writes the file without its lock (an older vitest-llm-evals, a script, an editor, a sync tool): stop it, then run again.',
        )
      }
    } finally {
      if (source !== undefined) closeSync(source)
    }
  }
}

/** The text of `file` as read for a rewrite: bytes that are not UTF-8 would be stored as U+FFFD for good, so they refuse it. */
function currentText(file: string, bytes: Buffer): string {
  return utf8Text(
    bytes,
    ({ line }) =>
      new FileWriteError(
        `Cannot update ${file}: line ${line} is not UTF-8 (an editor saved it in another encoding, such as Latin-1). Nothing was written to it. Save it as UTF-8 again, then run again.`,
      ),
  )
}

/**
 * Replaces the text of `file` with `update(current)` (current: undefined when there is no file), atomically and
 * guarded like {@link writeFileAtomic}; when the file changes between the read and the rename, `update` runs
 * again on the new text (see {@link rewriteFileAtomic}). For read-merge-write files: usage reports, snapshots. A
 * current text that is not UTF-8 is a {@link FileWriteError} naming its line, and nothing is written.
 *
 * @example
 * updateFileAtomic(file, (text) => JSON.stringify({ ...JSON.parse(text ?? '{}'), [key]: value }))
 */
export function updateFileAtomic(file: string, update: (current: string | undefined) => string, attempts = REWRITE_ATTEMPTS): void {
  rewriteFileAtomic(
    file,
    (source, write) => {
      const text = update(source === undefined ? undefined : currentText(file, readFileSync(source)))
      guardWrite(file, text)
      write(Buffer.from(text))
    },
    attempts,
  )
}

/**
 * Removes temporary files a killed writer left beside `file`: those of a process that no longer runs, and
 * any older than a minute. Call it while holding the file's lock: a live writer of the file then holds no
 * temporary copy, except one whose lock was taken over, whose rewrite starts again.
 *
 * @example
 * withFileLock(file, () => { removeStaleTemporaryFiles(file); rewriteFileAtomic(file, copyAndAppend) })
 */
export function removeStaleTemporaryFiles(file: string, now = realNow()): void {
  // Writes through a link leave their temporary files beside the file it points to.
  const target = targetOf(file)
  const dir = dirname(target)
  if (!existsSync(dir)) return
  const prefix = `.${basename(target)}.`
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (error) {
    throw fileWriteError(error, file, target)
  }
  for (const name of names) {
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
