// `llm-evals cassettes check`: entries whose sidecar file (a body too large or binary to inline) is not there, or is
// a stream sidecar no replay can read, and what to do about them.
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { relative } from 'node:path'
import { sidecarDir, sidecarPath } from '../cassettes/cassette-file.js'
import type { CassetteEntry } from '../cassettes/entry.js'
import { printableText } from '../cassettes/one-line.js'
import { shellQuote } from '../cassettes/record-command.js'
import { isStreamSidecar, parseStreamSidecar } from '../cassettes/stream-sidecar.js'
import type { CassetteFindings } from './cassettes-command.js'
import { testFileOfCassette } from './unrecorded-lines.js'

const plural = (count: number, word: string, words = `${word}s`) => `${count} ${count === 1 ? word : words}`

/** An entry whose replay fails on its sidecar file: missing (or no file), or `damaged` (a stream sidecar that is not one). */
export interface MissingSidecar {
  entry: CassetteEntry
  path: string
  damaged?: true
}

/**
 * The entries of cassette `file` whose sidecar file is missing (or is no file) or damaged, with the path replay reads
 * ({@link sidecarPath}). `sameCassette` are the other paths found that lead to the same file (links to it, or the file
 * a link leads to): a body replay reads through one of them is there for the cassette itself (the file links lead to),
 * never for a link: replay through a link reads only beside it or beside its target, not beside another link.
 */
export function missingSidecars(file: string, entries: readonly CassetteEntry[], sameCassette: readonly string[] = []): MissingSidecar[] {
  const missing: MissingSidecar[] = []
  // A file several entries share (the same answer) is read once.
  const readable = new Map<string, boolean>()
  const readsAsStream = (path: string) => {
    let ok = readable.get(path)
    if (ok === undefined) readable.set(path, (ok = parsesAsStream(path)))
    return ok
  }
  // Replay through a link reads only where `sidecarPath` looks from it; the file links lead to is read through each.
  const others = isLink(file) ? [] : sameCassette
  for (const entry of entries) {
    if (!entry.response.file) continue
    // Where replay reads it: beside a linked cassette's link too, when only that folder holds it.
    const name = entry.response.file
    const path = sidecarPath(file, name)
    const found = [path, ...others.map((other) => sidecarPath(other, name))].find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile())
    if (found === undefined) missing.push({ entry, path })
    else if (isStreamSidecar(found) && !readsAsStream(found)) missing.push({ entry, path: found, damaged: true })
  }
  return missing
}

/**
 * For each of `files` (cassettes found), the others that are the same file (a link to it, the file it links to, or
 * another link to it), by real path: their `.files` folders hold its bodies too.
 */
export function sameFileAs(files: readonly string[]): (file: string) => string[] {
  const real = new Map(files.map((file) => [file, realOrSelf(file)]))
  const byReal = new Map<string, string[]>()
  for (const [file, path] of real) byReal.set(path, [...(byReal.get(path) ?? []), file])
  return (file) => (byReal.get(real.get(file) ?? file) ?? []).filter((other) => other !== file)
}

function isLink(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

function parsesAsStream(path: string): boolean {
  try {
    return parseStreamSidecar(readFileSync(path)) !== undefined
  } catch {
    return false
  }
}

/** How to fix entries whose sidecar is missing or damaged: restore the `.files` folders from git, or record the tests again. */
export function missingSidecarNote(findings: readonly Pick<CassetteFindings, 'file' | 'usage' | 'missingSidecars'>[], root: string): string {
  const count = findings.reduce((sum, found) => sum + (found.missingSidecars?.length ?? 0), 0)
  const folders = findings.map((found) => shellQuote(printableText(relative(root, sidecarDir(found.file)))))
  const files = [...new Set(findings.map((found) => found.usage?.testFile ?? testFileOfCassette(found.file, root)))].map((file) => (file === undefined ? '<test file>' : shellQuote(printableText(file))))
  const damaged = findings.some((found) => found.missingSidecars?.some((item) => item.damaged))
  return (
    `${plural(count, 'entry', 'entries')} ${count === 1 ? 'refers' : 'refer'} to a sidecar file that is not there or cannot be replayed (a body larger than \`maxInlineBytes\`, or binary, is kept beside the cassette, in its \`.files\` folder). ` +
    `Restore the folder from git (\`git checkout -- ${folders.join(' ')}\`) and commit it with the cassette, or record the tests again${damaged ? ' (the recording rewrites a damaged file)' : ''}: \`LLM_EVALS_CASSETTES=record npx vitest run ${files.join(' ')}\`.`
  )
}
