// Writing files that belong together (an imported suite and its dataset) so that a refused write replaces none of
// them: every new copy is written and flushed first, and only then are they renamed into place.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { temporaryFor } from './atomic-files.js'
import { guardWrite } from './cassettes/redact.js'
import { fileWriteError } from './file-write-error.js'
import { writeTargetOf } from './write-target.js'

/** One file of a set and what it will hold. */
export interface FileInSet {
  file: string
  data: string
}

/**
 * Writes each file like `writeFileAtomic` (through a symbolic link, refusing a live key's value), replacing none
 * until the new copies of all are written and flushed: a refused write (permissions, a full disk) leaves every file
 * as it was. The renames come last; if one of them fails, the error names the files already replaced.
 *
 * @example
 * writeFileSetAtomic([{ file: 'evals/suite.eval.test.ts', data: suite }, { file: 'evals/suite.jsonl', data: rows }])
 */
export function writeFileSetAtomic(files: readonly FileInSet[]): void {
  for (const { file, data } of files) guardWrite(file, data)
  const written: { file: string; target: string; temporary: string }[] = []
  try {
    for (const { file, data } of files) {
      let target = file
      try {
        target = writeTargetOf(file)
        const temporary = temporaryFor(target)
        written.push({ file, target, temporary })
        writeFlushed(temporary, data)
      } catch (error) {
        throw fileWriteError(error, file, target)
      }
    }
  } catch (error) {
    for (const { temporary } of written) removeQuietly(temporary)
    throw error
  }
  const replaced: string[] = []
  for (const [index, { file, target, temporary }] of written.entries()) {
    try {
      renameSync(temporary, target)
      replaced.push(file)
    } catch (error) {
      for (const rest of written.slice(index)) removeQuietly(rest.temporary)
      const left = replaced.length === 0 ? undefined : `${replaced.join(' and ')} ${replaced.length === 1 ? 'was' : 'were'} already replaced; ${file} and the files after it are as they were.`
      throw fileWriteError(error, file, target, left === undefined ? {} : { left })
    }
  }
}

function writeFlushed(temporary: string, data: string): void {
  const descriptor = openSync(temporary, 'w')
  try {
    writeFileSync(descriptor, data)
    fsyncSync(descriptor)
  } finally {
    closeSync(descriptor)
  }
}

/** Removes a temporary copy after a failed write; the write's own error is the one to report. */
function removeQuietly(temporary: string): void {
  try {
    rmSync(temporary, { force: true })
  } catch {
    // Left for removeStaleTemporaryFiles.
  }
}
