// Appending to a file the library keeps (labels, score history) so that it never keeps half of what was added: a
// disk that fills during the write, or refuses the flush, leaves the file as it was.
import { fsyncSync, fstatSync, ftruncateSync, writeSync } from 'node:fs'
import { fileWriteError } from './file-write-error.js'

/**
 * Writes all of `bytes` at the end of the file open at `descriptor` (opened to append, under the file's lock) and
 * flushes it to disk. When a write or the flush fails, the file is cut back to its size before and a
 * {@link fileWriteError} naming `file` is thrown (saying that part may be left when even the cut failed).
 *
 * @example
 * appendWhole(descriptor, Buffer.from(`${line}\n`), 'evals/labels.jsonl')
 */
export function appendWhole(descriptor: number, bytes: Uint8Array, file: string): void {
  const sizeBefore = fstatSync(descriptor).size
  try {
    for (let done = 0; done < bytes.length; ) {
      const written = writeSync(descriptor, bytes, done, bytes.length - done)
      // A write that moves nothing would loop forever: said as a full disk.
      if (written <= 0) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC', syscall: 'write', path: file })
      done += written
    }
    fsyncSync(descriptor)
  } catch (error) {
    if (cutBack(descriptor, sizeBefore)) throw fileWriteError(error, file)
    throw fileWriteError(error, file, file, { left: `Part of it may have been written and could not be taken back: the last line of ${file} may be cut off (delete it if so).` })
  }
}

/** True when the file is back to `size` bytes. */
function cutBack(descriptor: number, size: number): boolean {
  try {
    ftruncateSync(descriptor, size)
    return true
  } catch {
    return false
  }
}
