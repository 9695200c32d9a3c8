import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

const BUFFER_BYTES = 1 << 20

/**
 * Writes a file piece by piece through a temporary file and a rename, like `writeFileAtomic` (same
 * temporary name, so `removeStaleTemporaryFiles` cleans up after a killed writer) but without holding
 * the whole content in memory. When `produce` throws, the old file is left as it was.
 */
export function writeFileAtomicStreamed(file: string, produce: (write: (bytes: Uint8Array) => void) => void): void {
  mkdirSync(dirname(file), { recursive: true })
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const fd = openSync(temporary, 'w')
  const pending = Buffer.allocUnsafe(BUFFER_BYTES)
  let used = 0
  const writeAll = (bytes: Uint8Array) => {
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done)
  }
  const flush = () => {
    writeAll(pending.subarray(0, used))
    used = 0
  }
  try {
    produce((bytes) => {
      if (used + bytes.length > pending.length) flush()
      if (bytes.length >= pending.length) writeAll(bytes)
      else used += Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).copy(pending, used)
    })
    flush()
    closeSync(fd)
    renameSync(temporary, file)
  } catch (error) {
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
    rmSync(temporary, { force: true })
    throw error
  }
}
