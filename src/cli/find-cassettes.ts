import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs'
import { join } from 'node:path'
import { CassetteError } from '../errors/index.js'
import { fixPermissions, isPermissionError } from '../regular-file.js'

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage'])

/**
 * Every `*.cassette.json` under `root`, skipping dependencies and build output. A folder that is a symbolic link (a
 * shared cassettes folder linked beside its tests, which recording writes through) is searched too, each folder once
 * (a loop of links ends). A folder that cannot be read is a {@link CassetteError} naming it.
 */
export function findCassettes(root: string): string[] {
  const found: string[] = []
  const seen = new Set<string>()
  const visit = (dir: string) => {
    const real = realOrSelf(dir)
    if (seen.has(real)) return
    seen.add(real)
    for (const entry of readFolder(dir)) {
      const path = join(dir, entry.name)
      if (entry.isDirectory() || (entry.isSymbolicLink() && isFolder(path))) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(path)
      } else if (entry.name.endsWith('.cassette.json')) {
        found.push(path)
      }
    }
  }
  visit(root)
  return found.sort()
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

/** True when the link at `path` leads to a folder (a dangling link or a loop is not one). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/**
 * The entries of folder `dir`; one the user cannot read (a bare `EACCES` before) is a {@link CassetteError} that names
 * it and says how to fix it: the cassettes under it cannot be listed, so no command may go on as if there were none.
 */
function readFolder(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
  } catch (error) {
    if (!isPermissionError(error)) throw error
    throw new CassetteError(`Cannot read folder ${dir}: permission denied (${error.code}), so the cassettes in it cannot be listed. ${fixPermissions(dir, true)}`, { cause: error })
  }
}
