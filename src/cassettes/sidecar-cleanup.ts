// Which files of a cassette's `.files` folder nothing refers to any more, for `llm-evals cassettes prune` (a
// re-recording leaves the replaced answer's file: a process that loaded the cassette before may still replay it).
// Only files named as a recording names them.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { removeStaleTemporaryFiles } from '../atomic-files.js'
import { CassetteError } from '../errors/index.js'
import { isSidecarName, sidecarDirs } from './cassette-file.js'
import type { CassetteEntry } from './entry.js'
import { sidecarReplayable } from './stream-sidecar.js'

/** The sidecar names `entries` refer to, by base name as replay reads them (`readSidecar`). */
function referencedNames(entries: readonly CassetteEntry[]): Set<string> {
  return new Set(entries.flatMap((entry) => (entry.response.file ? [basename(entry.response.file)] : [])))
}

/**
 * The sidecar files in the `.files` folder of `cassetteFile` that no entry of `kept` refers to: only files (not a
 * folder) named as a recording names them (`isSidecarName`), so a `.gitattributes` or README there is never one.
 */
export function unreferencedSidecars(cassetteFile: string, kept: readonly CassetteEntry[]): string[] {
  const referenced = referencedNames(kept)
  // Beside a linked cassette's link too: replay reads a body there when only that folder holds it (`sidecarPath`).
  return existingSidecarDirs(cassetteFile).flatMap((dir) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((item) => item.isFile() && isSidecarName(item.name) && !referenced.has(item.name))
      .map((item) => join(dir, item.name)),
  )
}

/** The temporary name `writeFileAtomic` writes a sidecar through (`.<name>.<pid>.<random>.tmp`), its sidecar's name captured. */
const SIDECAR_TEMPORARY = /^\.([0-9a-f]{20}\.(?:json|txt|bin|stream\.json))\.\d+\.[0-9a-f]+\.tmp$/

/**
 * Removes the temporary files a killed sidecar write left in the `.files` folders of `cassetteFile`: those of a writer
 * that no longer runs, or older than a minute (`removeStaleTemporaryFiles`). Only files named after a sidecar.
 */
export function removeStaleSidecarTemporaryFiles(cassetteFile: string): void {
  for (const dir of existingSidecarDirs(cassetteFile)) {
    const sidecars = new Set(readdirSync(dir).flatMap((name) => SIDECAR_TEMPORARY.exec(name)?.slice(1, 2) ?? []))
    for (const name of sidecars) removeStaleTemporaryFiles(join(dir, name))
  }
}

/** The `.files` folders of `cassetteFile` that exist; one that is not a folder is an error that says what to do. */
function existingSidecarDirs(cassetteFile: string): string[] {
  return sidecarDirs(cassetteFile).filter((dir) => {
    if (!existsSync(dir)) return false
    if (statSync(dir).isDirectory()) return true
    throw new CassetteError(`Cassette ${cassetteFile}: ${dir}, where its sidecar files go, is not a folder. Move or remove it (a recording writes that folder anew), then run the command again.`)
  })
}

/**
 * `entries` without the `occurrence`-th (in call order) of those `matches` picks, when its sidecar file cannot be
 * replayed: `auto` recorded that call again to take its place. `undefined` when that recording replays (another
 * process restored it meanwhile) or there is none: then the new recording is not needed.
 */
export function withoutUnreplayable(entries: readonly CassetteEntry[], cassetteFile: string, matches: (entry: CassetteEntry) => boolean, occurrence: number): CassetteEntry[] | undefined {
  const target = entries.filter(matches).sort((a, b) => a.call - b.call)[occurrence]
  if (!target || sidecarReplayable(cassetteFile, target)) return undefined
  return entries.filter((entry) => entry !== target)
}
