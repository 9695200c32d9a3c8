import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path'
import { CassetteError } from '../errors/index.js'
import { fixPermissions, isPermissionError } from '../regular-file.js'

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage'])

/** The cassettes under a root, and every path under it by which each can be reached. */
export interface FoundCassettes {
  files: string[]
  /**
   * The paths under the root that lead to the same cassette as `file` (itself included): through each linked folder
   * that leads to its folder, and (unless `file` is itself a link) each found link to it (a linked cassette file).
   */
  aliasesOf(file: string): string[]
}

/**
 * Every `*.cassette.json` under `root`, skipping dependencies and build output. A folder that is a symbolic link (a
 * shared cassettes folder linked beside its tests, which recording writes through) is searched too, each folder once
 * (a loop of links ends). A folder that cannot be read is a {@link CassetteError} naming it.
 */
export function findCassettes(root: string): string[] {
  return findCassettesAndAliases(root).files
}

/**
 * {@link findCassettes}, and the other paths of each: a cassette found through one link to its folder (or at its real
 * path) is the same file through every other, so whose cassette it is can be told from any of them.
 */
export function findCassettesAndAliases(root: string): FoundCassettes {
  const found: string[] = []
  const seen = new Set<string>()
  // The root and every linked folder the walk met, with the real folder each leads to: the ways into a folder.
  const entries: { path: string; real: string }[] = []
  const visit = (dir: string, linked: boolean) => {
    const real = realOrSelf(dir)
    if (linked) entries.push({ path: dir, real })
    if (seen.has(real)) return
    seen.add(real)
    for (const entry of readFolder(dir)) {
      const path = join(dir, entry.name)
      if (entry.isDirectory() || (entry.isSymbolicLink() && isFolder(path))) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(path, entry.isSymbolicLink())
      } else if (entry.name.endsWith('.cassette.json')) {
        found.push(path)
      }
    }
  }
  visit(root, true)
  const byRealFile = new Map<string, string[]>()
  for (const file of found) {
    const real = realOrSelf(file)
    byRealFile.set(real, [...(byRealFile.get(real) ?? []), file])
  }
  const aliasesOf = (file: string): string[] => {
    // A linked cassette file is the cassette of its own test file; the file it leads to is that of every link's.
    const linked = lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() ?? false
    const aliases = new Set([file, ...(linked ? [] : (byRealFile.get(realOrSelf(file)) ?? []))])
    for (const each of [...aliases]) {
      const folder = realOrSelf(dirname(each))
      for (const { path, real } of entries) {
        const inside = relative(real, folder)
        if (inside === '' || (inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside))) aliases.add(join(path, inside, basename(each)))
      }
    }
    return [...aliases]
  }
  return { files: found.sort(), aliasesOf }
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
