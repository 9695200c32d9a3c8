// Files the library writes may be symbolic links (cassettes kept in a shared folder and linked beside their tests).
// An atomic write renames a new file over the path it writes: over a link it would put a plain file in the link's
// place and leave the shared file as it was. Writes and locks go to the file the link points to instead.
import { lstatSync, readlinkSync, realpathSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { LlmEvalsError } from './errors/index.js'

const code = (error: unknown) => (error as NodeJS.ErrnoException).code

/**
 * The file a write of `path` replaces and locks: `path` with every symbolic link on the way resolved, so two links
 * to one file take the same lock, and the links stay links. A path with nothing there yet is resolved through its
 * folder. A link to nothing (dangling) or a loop of links is an {@link LlmEvalsError} naming it and what to do.
 *
 * @example
 * writeTargetOf('__cassettes__/chat.test.ts.cassette.json') // '/shared/cassettes/chat.test.ts.cassette.json' when linked there
 */
export function writeTargetOf(path: string): string {
  try {
    return realpathSync(path)
  } catch (error) {
    if (code(error) === 'ELOOP') throw linkLoop(path, error)
    if (code(error) !== 'ENOENT') throw error
    if (isLink(path)) throw danglingLink(path, error)
  }
  // Nothing there yet: resolved through the nearest folder on its way that is there (folders made by the write keep
  // their names), so the lock taken before the folder exists is the one the write renews. A folder on the way that is
  // a link to nothing (a shared cassettes folder not mounted) is the dangling-link error, not a bare ENOENT from mkdir.
  const names = [basename(path)]
  for (let dir = dirname(resolve(path)); ; ) {
    try {
      return join(realpathSync(dir), ...[...names].reverse())
    } catch (error) {
      if (code(error) === 'ELOOP') throw linkLoop(dir, error)
      if (code(error) !== 'ENOENT') return path
      if (isLink(dir)) throw danglingLink(dir, error)
    }
    const parent = dirname(dir)
    if (parent === dir) return path
    names.push(basename(dir))
    dir = parent
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch {
    return false
  }
}

function linkTarget(path: string): string {
  try {
    return readlinkSync(path)
  } catch {
    return 'a path that cannot be read'
  }
}

function danglingLink(path: string, cause: unknown): LlmEvalsError {
  return new LlmEvalsError(
    `Cannot write ${path}: it is a symbolic link to ${linkTarget(path)}, which does not exist (a dangling link), so the file it stands for cannot be updated. ` +
      `Restore the file it points to (or the shared folder holding it, e.g. mount or clone it), point the link at the right file (\`ln -sfn <file> ${path}\`), or delete the link to have a new file written in its place.`,
    { cause },
  )
}

function linkLoop(path: string, cause: unknown): LlmEvalsError {
  return new LlmEvalsError(
    `Cannot write ${path}: its symbolic links form a loop (a link that leads back to itself, directly or through others), so it names no file. ` +
      `Inspect them (\`ls -l ${path}\`), then point the link at the real file (\`ln -sfn <file> ${path}\`) or delete it to have a new file written in its place.`,
    { cause },
  )
}
