// Files the library reads from a checkout (cassettes and their sidecar files, the labels file) may be anything a
// pull request or a mistake put there: a FIFO, a socket or a device at that path would block a plain read (its
// open waits for a writer) and stall the worker or the command for good. Opened without blocking, then checked.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'
import { shellQuote } from './cassettes/record-command.js'

/** What is at a path that is not a regular file, in words. */
export type NotRegularKind = 'a directory' | 'a FIFO, socket or device'

/**
 * The bytes of `file`, or the error `notRegular` makes when it is a directory, FIFO, socket or device (never blocking
 * on one). Errors of the open itself (a missing file, no permission) are thrown as they are.
 *
 * @example
 * const text = readRegularFile(file, (kind) => new CassetteError(`${file} is ${kind}`)).toString('utf8')
 */
export function readRegularFile(file: string, notRegular: (kind: NotRegularKind) => Error): Buffer {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) throw notRegular(stats.isDirectory() ? 'a directory' : 'a FIFO, socket or device')
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * True when `error` is a file system call refused for want of permission (EACCES, EPERM): the file or folder is
 * there, but the user running cannot read it (a `sudo` run, a checkout copied with another owner, a `chmod`).
 *
 * @example
 * if (isPermissionError(error)) throw new CassetteError(`Cannot read ${file}: permission denied. ${fixPermissions(file)}`)
 */
export function isPermissionError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code === 'EACCES' || code === 'EPERM'
}

/** How to make `path` readable again, in words: for a folder, read and search access. */
export function fixPermissions(path: string, folder = false): string {
  // Quoted: a path with a space (`/srv/ml evals`) would otherwise chown `/srv/ml` and more.
  const quoted = shellQuote(path)
  return (
    `Give the user running this read access to it (\`chmod ${folder ? 'u+rx' : 'u+r'} ${quoted}\`), or, if another user ` +
    `(a \`sudo\` run, a container) created it, take it back (\`sudo chown -R "$(id -un)" ${quoted}\`), then run again.`
  )
}
