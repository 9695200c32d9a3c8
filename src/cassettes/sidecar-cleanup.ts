// Which files of a cassette's `.files` folder nothing refers to any more, for `llm-evals cassettes prune` (a
// re-recording leaves the replaced answer's file: a process that loaded the cassette before may still replay it).
// Only files named as a recording names them.
import { existsSync, readdirSync } from 'node:fs'
import { basename, join } from 'node:path'
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
  return sidecarDirs(cassetteFile).flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((item) => item.isFile() && isSidecarName(item.name) && !referenced.has(item.name))
          .map((item) => join(dir, item.name))
      : [],
  )
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
