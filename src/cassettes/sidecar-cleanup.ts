// Which files of a cassette's `.files` folder nothing refers to any more, and removing them: after a re-recording
// (the replaced answer's file) and in `llm-evals cassettes prune`. Only files named as a recording names them.
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { isSidecarName, sidecarDirs, sidecarPath } from './cassette-file.js'
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
  return sidecarDirs(cassetteFile).flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((item) => item.isFile() && isSidecarName(item.name) && !referenced.has(item.name))
          .map((item) => join(dir, item.name))
      : [],
  )
}

/**
 * After cassette `cassetteFile` was written with `after` in place of `before` (under its lock), removes the sidecar
 * files `before` referred to and no entry of `after` does: the old file of a re-recorded answer. Never a file an entry
 * of the written cassette refers to, nor one `before` did not name (another's, or the user's). Returns how many.
 */
export function removeReplacedSidecars(cassetteFile: string, before: readonly CassetteEntry[], after: readonly CassetteEntry[]): number {
  const still = referencedNames(after)
  const replaced = [...referencedNames(before)].filter((name) => !still.has(name) && isSidecarName(name))
  if (replaced.length === 0) return 0
  let removed = 0
  for (const name of replaced) {
    try {
      rmSync(sidecarPath(cassetteFile, name))
      removed++
    } catch {
      // Gone already (a prune, a hand), or not removable: the recording is written, the file is only left behind.
    }
  }
  return removed
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
