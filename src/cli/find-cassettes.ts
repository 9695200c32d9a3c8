import { readdirSync, type Dirent } from 'node:fs'
import { join } from 'node:path'
import { CassetteError } from '../errors/index.js'
import { fixPermissions, isPermissionError } from '../regular-file.js'

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage'])

/** Every `*.cassette.json` under `root`, skipping dependencies and build output. A folder that cannot be read is a {@link CassetteError} naming it. */
export function findCassettes(root: string): string[] {
  const found: string[] = []
  const visit = (dir: string) => {
    for (const entry of readFolder(dir)) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(join(dir, entry.name))
      } else if (entry.name.endsWith('.cassette.json')) {
        found.push(join(dir, entry.name))
      }
    }
  }
  visit(root)
  return found.sort()
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
