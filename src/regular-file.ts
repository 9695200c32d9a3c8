// Files the library reads from a checkout (cassettes and their sidecar files, the labels file) may be anything a
// pull request or a mistake put there: a FIFO, a socket or a device at that path would block a plain read (its
// open waits for a writer) and stall the worker or the command for good. Opened without blocking, then checked.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'

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
