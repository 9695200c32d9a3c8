// A cassette whose test file is gone (renamed or deleted): no run reads it or reports on it again, so `check` would
// show its old report for ever and `prune` keep it, while the renamed file records everything live again. Whose
// cassette it is comes from the files on disk, never from the config: a test file that exists (whatever config
// includes it, or none) keeps its cassette.
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { FILE_LEVEL_TEST } from '../cassettes/entry.js'
import { readCassette } from '../cassettes/cassette-file.js'
import { oneLine, printableText } from '../cassettes/one-line.js'
import { shellQuote } from '../cassettes/record-command.js'
import { cassettePathFor } from '../cassettes/worker-options.js'

/** A cassette no test file under the root is for. */
export interface OrphanCassette {
  /** The test file it was recorded for (relative to the root), when known: its last run's report, or its `__cassettes__` folder. */
  testFile?: string
  /** The one test file (relative to the root) that has every test the cassette recorded: where it was renamed to, most likely. */
  renamedTo?: { testFile: string; cassette: string; cassetteExists: boolean }
  /** Test files that have every test it recorded, when more than one does (no rename can be told). */
  lookalikes?: string[]
  /** Where its test file was looked for (absolute): `prune` looks again before it removes the cassette. */
  places: string[]
  /** The paths it is found at (absolute): `prune` removes the usage reports named after them with it. */
  aliases: string[]
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage'])
/** Bounds of the search for a renamed test file: folder entries walked, the size of a file read, and of all read. */
const MAX_ENTRIES = 50_000
const MAX_SOURCE_BYTES = 1024 * 1024
const MAX_TOTAL_BYTES = 64 * 1024 * 1024
const NAME_CHARS = 120

/** Whether a test file is at one of `places` (a folder there is none). */
export const hasTestFile = (places: readonly string[]) =>
  places.some((path) => {
    try {
      return statSync(path).isFile()
    } catch {
      return false
    }
  })

/**
 * Where the test file of a cassette found at `path` can be: beside its `__cassettes__` folder (the default layout), or
 * the path it has under a `cassettes.dir` folder (`<dir>/<test path>.cassette.json`) with any run of folders taken out
 * (the dir, which may be several levels deep, and below a Vitest root under `root`), or beside it (`dir: '.'`).
 */
export function testFilePlaces(path: string, root: string): string[] {
  const named = basename(path).replace(/\.cassette\.json$/, '')
  const places = basename(dirname(path)) === '__cassettes__' ? [join(dirname(dirname(path)), named)] : []
  const parts = relative(root, join(dirname(path), named)).split(sep)
  if (parts[0] === '..' || isAbsolute(parts.join(sep))) return places
  for (let from = 0; from < parts.length; from++) {
    for (let to = from; to < parts.length; to++) places.push(join(root, ...parts.slice(0, from), ...parts.slice(to)))
  }
  return places
}

/** Test files found by the name of their tests: one walk of the root, at most {@link MAX_ENTRIES} entries. */
export class TestFileSearch {
  private files: string[] | undefined
  private readonly texts = new Map<string, string>()
  private bytesRead = 0

  constructor(private readonly root: string) {}

  /** The files under the root ending in `ending` whose text holds every name in `names`. */
  holding(ending: string, names: readonly string[]): string[] {
    return this.all().filter((file) => file.endsWith(ending) && names.every((name) => this.text(file).includes(name)))
  }

  private text(file: string): string {
    let text = this.texts.get(file)
    if (text === undefined) {
      try {
        const size = statSync(file).size
        // Past the bounds a file reads as holding nothing: no rename is told, the advice is the general one.
        text = size > MAX_SOURCE_BYTES || this.bytesRead + size > MAX_TOTAL_BYTES ? '' : readFileSync(file, 'utf8')
        this.bytesRead += text.length
      } catch {
        text = ''
      }
      this.texts.set(file, text)
    }
    return text
  }

  private all(): string[] {
    if (this.files) return this.files
    const files: string[] = []
    const pending = [this.root]
    let entries = 0
    while (pending.length && entries < MAX_ENTRIES) {
      const dir = pending.pop() as string
      let items
      try {
        items = readdirSync(dir, { withFileTypes: true })
      } catch {
        continue
      }
      for (const item of items) {
        if (++entries > MAX_ENTRIES) break
        // Linked folders are left out: a renamed test file is in the project's own tree, and a loop must end.
        if (item.isDirectory() && !SKIPPED_DIRS.has(item.name) && !item.name.startsWith('.')) pending.push(join(dir, item.name))
        else if (item.isFile()) files.push(join(dir, item.name))
      }
    }
    return (this.files = files.sort())
  }
}

/** The ending a renamed test file keeps: `.test.ts` of `old-name.test.ts`, `.ts` of `bot.ts`. */
function endingOf(testFile: string): string {
  const parts = basename(testFile).split('.')
  return parts.length >= 3 ? `.${parts.slice(-2).join('.')}` : parts.length === 2 ? `.${parts[1]}` : basename(testFile)
}

/** The tests a cassette recorded, as their names appear in a test file's text (each level of `suite > test`). */
function testTitles(file: string): string[] {
  try {
    const { entries, tools } = readCassette(file)
    const names = [...entries, ...tools].map((recording) => recording.test).filter((name) => name !== FILE_LEVEL_TEST)
    return [...new Set(names.flatMap((name) => name.split(' > ')))].filter((title) => title.trim() !== '')
  } catch {
    return []
  }
}

/**
 * Whether the cassette at `file` (found under `root`, also at `aliases`) is an orphan: no test file is where its last
 * run's reports (`reportedTestFiles`, relative to `root`) say, nor beside its `__cassettes__` folder, or without a
 * report, where any of its paths puts it. Undefined when one is.
 */
export function orphanOf(file: string, aliases: readonly string[], root: string, reportedTestFiles: readonly string[], search: TestFileSearch): OrphanCassette | undefined {
  const reported = reportedTestFiles.map((testFile) => resolve(root, testFile))
  // A report names the test file its run wrote the cassette for: with one, only the default layout's place is added
  // (a file moved up a folder, `a/__cassettes__/x.test.ts` for `x.test.ts`, would read as a `cassettes.dir` layout).
  const beside = aliases.flatMap((path) => (basename(dirname(path)) === '__cassettes__' ? [testFilePlaces(path, root)[0] as string] : []))
  const places = reported.length ? [...reported, ...beside] : aliases.flatMap((path) => testFilePlaces(path, root))
  if (hasTestFile(places)) return undefined
  const inFolder = aliases.find((path) => basename(dirname(path)) === '__cassettes__')
  const known = reported[0] ?? (inFolder ? join(dirname(dirname(inFolder)), basename(inFolder).replace(/\.cassette\.json$/, '')) : undefined)
  const orphan: OrphanCassette = { ...(known === undefined ? {} : { testFile: relative(root, known) }), places, aliases: [...aliases] }
  const titles = testTitles(file)
  if (known === undefined || titles.length === 0) return orphan
  const holding = search.holding(endingOf(known), titles)
  if (holding.length > 1) return { ...orphan, lookalikes: holding.map((path) => relative(root, path)) }
  const [renamed] = holding
  if (renamed === undefined) return orphan
  const cassette = renamedCassette(file, known, renamed, root)
  return cassette === undefined ? orphan : { ...orphan, renamedTo: { testFile: relative(root, renamed), cassette: relative(root, cassette), cassetteExists: existsSync(cassette) } }
}

/**
 * Where the cassette at `file` of `oldTestFile` goes when that file is `newTestFile` now, in the same layout: the
 * default `__cassettes__` folder beside it, or the same `cassettes.dir`. Undefined when the layout cannot be told.
 */
function renamedCassette(file: string, oldTestFile: string, newTestFile: string, root: string): string | undefined {
  const named = `${relative(root, oldTestFile)}.cassette.json`
  if (basename(dirname(file)) === '__cassettes__' && basename(file) === basename(cassettePathFor(oldTestFile, root))) {
    const moved = cassettePathFor(newTestFile, root)
    // Renamed in its folder: the cassette stays in the folder it was found in (maybe a linked one).
    return dirname(newTestFile) === dirname(oldTestFile) ? join(dirname(file), basename(moved)) : moved
  }
  if (!file.endsWith(`${sep}${named}`)) return undefined
  return join(file.slice(0, file.length - named.length), `${relative(root, newTestFile)}.cassette.json`)
}

/** The `.files` folder of large bodies beside a cassette (not through a linked cassette file: that folder is the shared file's). */
export function ownFilesFolder(file: string): string | undefined {
  if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) return undefined
  const folder = file.replace(/\.json$/, '') + '.files'
  return existsSync(folder) ? folder : undefined
}

const quote = (path: string) => shellQuote(printableText(path))

/** The command that moves the cassette (and its `.files` folder) to `to`, relative to the root. */
function moveCommand(cassette: string, to: string, root: string, force: boolean): string {
  const flag = force ? ' -f' : ''
  const files = ownFilesFolder(join(root, cassette))
  const move = `git mv${flag} ${quote(cassette)} ${quote(to)}`
  return files ? `${move} && git mv${flag} ${quote(relative(root, files))} ${quote(to.replace(/\.json$/, '') + '.files')}` : move
}

/** What `check` says of an orphan cassette (`name`: relative to the root), and what to do: move it to the renamed file's name, or prune it. */
export function orphanLines(name: string, orphan: OrphanCassette, root: string): string[] {
  const whose = orphan.testFile === undefined ? 'no test file is where its path says its test file is' : `its test file ${oneLine(printableText(orphan.testFile), NAME_CHARS)} no longer exists`
  const head = `    orphan: ${whose}, so no run uses it (a renamed test file records its calls live again)`
  const { renamedTo, lookalikes } = orphan
  if (renamedTo && !renamedTo.cassetteExists) {
    return [head, `    renamed? ${oneLine(printableText(renamedTo.testFile), NAME_CHARS)} has its tests: move the cassette with it: \`${moveCommand(name, renamedTo.cassette, root, false)}\`; if not, remove it: \`llm-evals cassettes prune\``]
  }
  if (renamedTo) {
    return [
      head,
      `    renamed? ${oneLine(printableText(renamedTo.testFile), NAME_CHARS)} has its tests, and recorded a cassette of its own since (${oneLine(printableText(renamedTo.cassette), NAME_CHARS)}): ` +
        `to replay these recordings instead, \`${moveCommand(name, renamedTo.cassette, root, true)}\`; to keep the new ones, \`llm-evals cassettes prune\` removes this one`,
    ]
  }
  const several = lookalikes?.length ? ` (${lookalikes.slice(0, 3).map((file) => oneLine(printableText(file), NAME_CHARS)).join(', ')}${lookalikes.length > 3 ? `, +${lookalikes.length - 3} more` : ''} have its tests)` : ''
  return [head, `    if the test file was renamed${several}, move the cassette to the new name: \`git mv ${quote(name)} <the new test file's cassette>\`; if it was deleted, remove it: \`llm-evals cassettes prune\``]
}

/** The closing note of `check` on the orphan cassettes it listed. */
export const orphansNote = (count: number) =>
  `${count === 1 ? '1 cassette belongs' : `${count} cassettes belong`} to no test file (see "orphan" above): no run replays ${count === 1 ? 'it' : 'them'}. ` +
  'Move each to its renamed test file with the `git mv` shown, or remove them with `llm-evals cassettes prune`.'
