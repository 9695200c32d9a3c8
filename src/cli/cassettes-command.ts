import { nodeCrypto } from '../node-crypto.js'
import { existsSync, statSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { nestedTooDeeply, readCassette, readCassetteText } from '../cassettes/cassette-file.js'
import { CassetteError } from '../errors/index.js'
import type { CassetteEntry, ToolRecord, UnrecordedCall } from '../cassettes/entry.js'
import { isNotJsonRefusal } from '../cassettes/earlier-refusals.js'
import { projectOption, shellQuote } from '../cassettes/record-command.js'
import { oneLine, printableText } from '../cassettes/one-line.js'
import { docsLocation } from '../docs-location.js'
import { findCassetteSecrets, type CassetteSecret } from './cassette-secrets.js'
import { CREDENTIAL_QUERY_RULE, credentialQueryNote } from './credential-query-findings.js'
import { usageReportFileName, type CassetteUsageReport, type TestNames } from '../cassettes/usage-report.js'
import { findCassettesAndAliases } from './find-cassettes.js'
import { orphanLines, orphansNote, orphanOf, TestFileSearch, type OrphanCassette } from './orphan-cassettes.js'
import { readUsageReports, type DamagedUsageReport } from './usage-reports.js'
import { marksToList, testFileOfCassette, unrecordedLine, unrecordedNote } from './unrecorded-lines.js'
import { missingSidecarNote, missingSidecars, sameFileAs, type MissingSidecar } from './missing-sidecars.js'
import { keptForProjects, keptNote, ofProjectNotRun, rerunCommand, type KeptForProjects } from './kept-projects.js'

/** Options of `llm-evals cassettes check|prune`. */
export interface CassettesCommandOptions {
  root: string
  /** Entries recorded longer ago than this many days are listed as stale. */
  maxAgeDays: number
  /** Entries whose stored JSON is larger than this are listed as oversized. */
  maxEntryBytes: number
  /** Kept for compatibility: a missing recording always fails `check` now. */
  strict: boolean
  dryRun: boolean
  env: NodeJS.ProcessEnv
}

/** One cassette's findings. */
export interface CassetteFindings {
  file: string
  /** False for a cassette a test needed but that was never written (its file's last run missed). */
  exists: boolean
  entries: number
  bytes: number
  unused: CassetteEntry[]
  /** Tool records (`recordTool`) in the cassette. */
  tools: number
  /** Tool records the last run did not use (none when its report does not say which it used). */
  unusedTools: ToolRecord[]
  stale: CassetteEntry[]
  oversized: { entry: CassetteEntry; bytes: number }[]
  /** Tool records (`recordTool`) whose stored JSON is larger than `maxEntryBytes`. */
  oversizedTools: { record: ToolRecord; bytes: number }[]
  /** Entries whose sidecar file (a body too large or binary to inline) is not there, or damaged: their replay fails. */
  missingSidecars?: MissingSidecar[]
  /** What looks like a secret in the cassette or its sidecar files (see `findSecrets`), the values masked. */
  secrets: CassetteSecret[]
  misses: CassetteUsageReport['misses']
  /** Calls a recording run sent but never stored, as the cassette marks them (listed; they do not fail `check`). */
  unrecorded: UnrecordedCall[]
  /**
   * Marks the last run shows are stale: it ran every test of the file over the cassette as it is now, all passing,
   * with no miss, so no test makes those calls any more (`prune` removes them).
   */
  staleMarks: UnrecordedCall[]
  /** The last run's report, when there is one. */
  usage?: CassetteUsageReport
  /** A report on this cassette that could not be read: its "unused" entries are not known, and prune leaves it alone. */
  damagedUsage?: DamagedUsageReport
  /** Why "unused" cannot be told for this cassette (and `prune` leaves it alone), when it cannot. */
  notPrunable?: string
  /** Recordings the last run did not use but another process made after it began (a parallel `record` run): kept, not in `unused`. */
  recordedDuringRun?: number
  /** Recordings the last run did not use, kept (not in `unused`): the projects that made them did not run the file. */
  kept?: KeptForProjects
  /** Set when no test file under the root is this cassette's (renamed or deleted): `check` fails, `prune` removes it. */
  orphan?: OrphanCassette
  error?: string
}

/** Every cassette's findings, and the damaged usage reports that belong to none of them. */
export interface CassettesInspection {
  cassettes: CassetteFindings[]
  damagedUsage: DamagedUsageReport[]
}

/** Longest test name and URL shown in a line, and most misses, refusals or oversized entries listed per cassette. */
const NAME_CHARS = 120
const URL_CHARS = 200
const LISTED = 10

const slot = (entry: { test: string; repeat: number; call: number }) => `${entry.repeat}\u0000${entry.call}\u0000${entry.test}`
/** Where a recording is, by project too: what another project recorded in the same place is not it. */
export const recordingPlace = (recording: { test: string; repeat: number; call: number; project?: string }) => `${slot(recording)}\u0000${recording.project ?? ''}`
export const plural = (count: number, word: string, words = `${word}s`) => `${count} ${count === 1 ? word : words}`
const quoted = (names: readonly string[], count: number) => names.map((name) => `"${oneLine(name, NAME_CHARS)}"`).join(', ') + (count > names.length ? `, +${count - names.length} more` : '')
const listed = (tests: TestNames | undefined, what: string) => (tests?.count ? [`${plural(tests.count, 'test')} ${what} (${quoted(tests.names, tests.count)})`] : [])

/**
 * Why the last run's report cannot tell which entries are unused, or undefined when it can: only a run of
 * every test of the file, all passing, with no miss or refused recording, over the cassette as it is now, used
 * every entry the tests need.
 */
function whyNotPrunable(usage: CassetteUsageReport | undefined, text: string, damaged: DamagedUsageReport | undefined, recorders: ReadonlySet<string> = new Set()): string | undefined {
  if (damaged) return `its usage report ${damaged.file} is damaged (${damaged.problem})`
  if (!usage) return 'no run of it recorded yet'
  if (usage.successful === undefined) return 'its last run was recorded by an older version of vitest-llm-evals'
  const when = `its last run (${usage.at}, ${usage.mode})`
  // A `--project` run (with no earlier report to name the others) did not run the projects it left out.
  const ran = new Set([...(usage.projects ?? []), ...(usage.projectsNotRun ?? [])])
  const leftOut = usage.projectFilter ? [...recorders].filter((name) => !ran.has(name)) : []
  const projects = [...(usage.projectsNotRun ?? []), ...leftOut]
  const problems = [
    ...(projects.length ? [`${projects.length === 1 ? 'project' : 'projects'} ${projects.map((name) => oneLine(name, NAME_CHARS)).join(', ')} did not run it`] : []),
    ...listed(usage.notRun, 'did not run'),
    ...(usage.notRun === undefined && !usage.complete ? ['not every test ran'] : []),
    ...listed(usage.failed, 'failed'),
    ...(usage.misses.length ? [`${plural(usage.misses.length, 'request')} had no recording`] : []),
    ...(usage.refused?.length ? [`${plural(usage.refused.length, 'recording')} could not be written`] : []),
  ]
  if (problems.length) return `${when}: ${problems.join('; ')}`
  if (usage.fingerprint !== nodeCrypto().createHash('sha256').update(text).digest('hex')) return `it changed since ${when}`
  return undefined
}

/**
 * Whether a recording dated `recordedAt` was made from the start of the report's run on (see
 * `CassetteUsageReport.startedAt`); never for a report without a start (an older version) or an unreadable date.
 */
export function recordedSince(usage: CassetteUsageReport | undefined): (recordedAt: string) => boolean {
  const startedAt = usage?.startedAt === undefined ? NaN : Date.parse(usage.startedAt)
  return (recordedAt) => Date.parse(recordedAt) >= startedAt
}

/** The note on recordings another process made after the last run began, which `check` does not list as unused and `prune` keeps. */
export const recordedDuringRunNote = (count: number) =>
  `${plural(count, 'recording')} the last run did not use ${count === 1 ? 'was' : 'were'} made after it began, by another process (a parallel \`record\` run): the next run of the file tells whether ${count === 1 ? 'it is' : 'they are'} used`

/**
 * Inspects every cassette under `root`, and those a test needed that were never written (pure of output: the command
 * prints). `scanSecrets: false` (prune) leaves `secrets` empty and does not load the scanner.
 */
export async function inspectCassettes(options: CassettesCommandOptions, scanSecrets = true): Promise<CassettesInspection> {
  const { reports, damaged } = readUsageReports(options.root)
  const now = Date.now()
  const claimed = new Set<DamagedUsageReport>()
  const { files, aliasesOf } = findCassettesAndAliases(options.root)
  const search = new TestFileSearch(options.root)
  const sameCassette = sameFileAs(files)
  const found = await Promise.all(files.map(async (file): Promise<CassetteFindings> => {
    const aliases = aliasesOf(file)
    // A report names the cassette as the run wrote it: through a linked folder maybe, not where it was found.
    const usage = reports.get(file) ?? aliases.map((alias) => reports.get(alias)).find((report) => report !== undefined)
    const orphan = orphanOf(file, aliases, options.root, aliases.flatMap((alias) => reports.get(alias)?.testFile ?? []), search)
    const findings = await inspectOne(file, usage)
    return orphan ? { ...findings, orphan } : findings
  }))
  async function inspectOne(file: string, usage: CassetteUsageReport | undefined): Promise<CassetteFindings> {
    // The reporter names each report after its cassette, so even a report too damaged to say which is tied to it.
    const damagedUsage = damaged.find((report) => report.cassette === file || report.name === usageReportFileName(relative(options.root, file)))
    if (damagedUsage) claimed.add(damagedUsage)
    const unread = (error: string): CassetteFindings => ({ file, exists: true, entries: 0, bytes: 0, unused: [], tools: 0, unusedTools: [], stale: [], oversized: [], oversizedTools: [], secrets: [], misses: [], unrecorded: [], staleMarks: [], error })
    let text: string
    try {
      text = readCassetteText(file)
    } catch (error) {
      if (!(error instanceof CassetteError)) throw error
      return unread(error.message)
    }
    // Scanned as on disk, damaged or not: the lines are the file's.
    let secrets: CassetteSecret[] = []
    try {
      if (scanSecrets) secrets = await findCassetteSecrets(file, text)
    } catch (error) {
      // A scanner rule that fails on what the file holds (megabytes of key-like characters overflow its regular expression).
      return unread(
        `[vitest-llm-evals] Cannot scan cassette ${file} for secrets: the scan failed (${oneLine((error as Error).message, 200)}), so it is not known to be free of them. ` +
          'Something in it is no model call (megabytes of key-like characters): restore it from git, or delete the entry that holds it and record it again.',
      )
    }
    const base = { file, exists: true, entries: 0, bytes: statSync(file).size, unused: [], tools: 0, unusedTools: [], stale: [], oversized: [], oversizedTools: [], secrets, misses: usage?.misses ?? [], unrecorded: [], staleMarks: [], ...(usage ? { usage } : {}), ...(damagedUsage ? { damagedUsage } : {}) }
    let document: ReturnType<typeof readCassette>
    try {
      document = readCassette(file)
    } catch (error) {
      return { ...base, error: (error as Error).message }
    }
    const { entries, tools } = document
    let sizes: number[]
    try {
      sizes = entries.map((entry, index) => entryBytes(file, entry, index))
    } catch (error) {
      return { ...base, error: (error as Error).message }
    }
    const used = new Set((usage?.used ?? []).map(slot))
    const usedTools = usage?.usedTools ? new Set(usage.usedTools.map(slot)) : undefined
    const recorders = new Set([...entries, ...tools, ...document.unrecorded].flatMap((recording) => (recording.project === undefined ? [] : [recording.project])))
    const notPrunable = whyNotPrunable(usage, text, damagedUsage, recorders)
    // Made by another process while the run went on or since (a parallel `record` run): not this run's to judge.
    const fresh = recordedSince(usage)
    const notUsedEntries = notPrunable || !usage ? [] : entries.filter((entry) => !used.has(slot(entry)))
    const notUsedTools = notPrunable || !usage || !usedTools ? [] : tools.filter((record) => !usedTools.has(slot(record)))
    const unusedEntries = notUsedEntries.filter((entry) => !fresh(entry.meta.recordedAt))
    const unusedTools = notUsedTools.filter((record) => !fresh(record.meta.recordedAt))
    const recordedDuringRun = notUsedEntries.length - unusedEntries.length + notUsedTools.length - unusedTools.length
    // Recorded under a project this run did not run (the file ran under another config): that project may need them.
    const notRunBy = usage ? ofProjectNotRun(usage) : () => true
    const kept = keptForProjects(unusedEntries.filter(notRunBy), unusedTools.filter(notRunBy))
    // Marks are stale only after a run that left none: a call it did not finish or store is marked by that same run.
    const marksLive = notPrunable !== undefined || (usage?.unfinished?.length ?? 0) > 0 || (usage?.refused?.length ?? 0) > 0
    return {
      ...base,
      entries: entries.length,
      // A mark of a project the run did not run stays: only that project's run can tell it is stale.
      unrecorded: marksToList(marksLive ? document.unrecorded : document.unrecorded.filter(notRunBy), usage, text),
      staleMarks: marksLive ? [] : document.unrecorded.filter((mark) => !notRunBy(mark) && !fresh(mark.at)),
      ...(recordedDuringRun ? { recordedDuringRun } : {}),
      ...(notPrunable ? { notPrunable } : {}),
      ...(kept ? { kept } : {}),
      unused: unusedEntries.filter((entry) => !notRunBy(entry)),
      tools: tools.length,
      missingSidecars: missingSidecars(file, entries, sameCassette(file)),
      unusedTools: unusedTools.filter((record) => !notRunBy(record)),
      stale: entries.filter((entry) => now - Date.parse(entry.meta.recordedAt) > options.maxAgeDays * 86_400_000),
      oversized: entries
        .map((entry, index) => ({ entry, bytes: sizes[index] as number }))
        .filter((item) => item.bytes > options.maxEntryBytes),
      oversizedTools: tools
        .map((record) => ({ record, bytes: Buffer.byteLength(JSON.stringify(record)) }))
        .filter((item) => item.bytes > options.maxEntryBytes),
    }
  }
  // A test file whose requests all missed has no cassette yet: only its report tells.
  const neverWritten = [...reports].filter(([file, usage]) => !existsSync(file) && (usage.misses.length || usage.refused?.length) && existsSync(resolve(options.root, usage.testFile)))
  const missing = neverWritten.map(([file, usage]): CassetteFindings => ({ file, exists: false, entries: 0, bytes: 0, unused: [], tools: 0, unusedTools: [], stale: [], oversized: [], oversizedTools: [], secrets: [], misses: usage.misses, unrecorded: [], staleMarks: [], usage }))
  const cassettes = [...found, ...missing].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  return { cassettes, damagedUsage: damaged.filter((report) => !claimed.has(report)) }
}

/** The size of an entry as JSON; an entry nested too deeply to print (a hostile cassette) is a {@link CassetteError}. */
function entryBytes(file: string, entry: CassetteEntry, index: number): number {
  try {
    return Buffer.byteLength(JSON.stringify(entry))
  } catch (error) {
    throw nestedTooDeeply(file, { test: entry.test, call: entry.call ?? index }, error)
  }
}

/** The first `LISTED` of `items` as lines, then how many more there are. */
function capped<T>(items: readonly T[], line: (item: T) => string, more: (count: number) => string): string[] {
  const lines = items.slice(0, LISTED).map(line)
  return items.length > LISTED ? [...lines, `    … and ${more(items.length - LISTED)}`] : lines
}

/** What `check` prints about one cassette after its heading line. */
function findingLines(found: CassetteFindings, options: CassettesCommandOptions): string[] {
  const refused = found.usage?.refused ?? []
  return [
    ...capped(found.misses, (miss) => `    missing recording: ${miss.method} ${oneLine(miss.url, URL_CHARS)} (test "${oneLine(miss.test, NAME_CHARS)}"${miss.project ? `, project ${oneLine(miss.project, NAME_CHARS)}` : ''})`, (count) => `${count} more ${count === 1 ? 'request' : 'requests'} with no recording`),
    ...capped(refused, (refusal) => `    not recorded (test "${oneLine(refusal.test, NAME_CHARS)}"${refusal.project ? `, project ${oneLine(refusal.project, NAME_CHARS)}` : ''}): ${oneLine(refusal.message.split('\n')[0] ?? '', 400)}`, (count) => `${count} more ${count === 1 ? 'recording' : 'recordings'} not written`),
    ...capped(found.unrecorded, unrecordedLine, (count) => `${count} more ${count === 1 ? 'call' : 'calls'} not stored when recorded`),
    ...(found.unused.length ? [`    unused: ${found.unused.length} entries (${describe(found.unused)}); remove with \`llm-evals cassettes prune\``] : []),
    ...(found.unusedTools.length ? [`    unused: ${plural(found.unusedTools.length, 'tool recording')} (${describe(found.unusedTools)}); remove with \`llm-evals cassettes prune\``] : []),
    ...(found.staleMarks.length ? [`    stale: ${plural(found.staleMarks.length, 'unrecorded mark')} of calls the last run no longer made (${describe(found.staleMarks)}); remove with \`llm-evals cassettes prune\``] : []),
    ...failedRecordingLines(found.usage),
    ...(found.kept && found.usage ? [`    ${keptNote(found.kept, found.usage)} (\`prune\` keeps them)`] : []),
    ...(found.recordedDuringRun ? [`    ${recordedDuringRunNote(found.recordedDuringRun)} (\`prune\` keeps them)`] : []),
    ...(found.exists && found.damagedUsage && found.notPrunable ? [`    unused entries not known: ${found.notPrunable}; run the test file again to replace it`] : []),
    ...(found.exists && found.usage && !found.damagedUsage && found.notPrunable ? [`    unused entries not known: ${found.notPrunable}`] : []),
    ...(found.stale.length ? [`    stale: ${found.stale.length} entries recorded more than ${options.maxAgeDays} days ago (${describe(found.stale)})`] : []),
    ...capped(found.oversized, ({ entry, bytes }) => `    oversized: "${oneLine(entry.test, NAME_CHARS)}" call ${entry.call} is ${(bytes / 1024).toFixed(0)} KB`, (count) => `${count} more oversized ${count === 1 ? 'entry' : 'entries'}`),
    ...capped(found.oversizedTools, ({ record, bytes }) => `    oversized: "${oneLine(record.test, NAME_CHARS)}" tool ${oneLine(record.name, NAME_CHARS)} (tool call ${record.call}) is ${(bytes / 1024).toFixed(0)} KB`, (count) => `${count} more oversized tool ${count === 1 ? 'recording' : 'recordings'}`),
    ...capped(found.missingSidecars ?? [], ({ entry, path, damaged }) => `    ${damaged ? 'damaged' : 'missing'} sidecar: "${oneLine(entry.test, NAME_CHARS)}" call ${entry.call}${entry.project ? ` (project ${oneLine(entry.project, NAME_CHARS)})` : ''} refers to ${relative(options.root, path)}, which ${damaged ? 'is not a stream sidecar (edited by hand, or damaged)' : 'is not there'}: its replay fails`, (count) => `${count} more ${count === 1 ? 'entry' : 'entries'} with a missing sidecar`),
    ...secretLines(found, options.root),
  ]
}

/**
 * The tests a `record` run recorded as they failed: each keeps its failing try's recording alone (`record` replaces a
 * test's recordings whole), so a call the try did not make before it failed has no recording, and its replay misses.
 */
function failedRecordingLines(usage: CassetteUsageReport | undefined): string[] {
  if (usage?.mode !== 'record' || !usage.failed?.count) return []
  const { count } = usage.failed
  return [`    ${plural(count, 'test')} failed while recorded (${quoted(usage.failed.names, count)}): ${count === 1 ? 'its recording is' : 'their recordings are'} the failing try's alone, so a call made after the failure has no recording and its replay misses. Make ${count === 1 ? 'it' : 'them'} pass, then record again: \`LLM_EVALS_CASSETTES=record ${rerunCommand(usage)}\``]
}

/** The secrets found in a cassette, where (file:line:column, clickable in editors), masked. */
function secretLines(found: CassetteFindings, root: string): string[] {
  const where = (secret: CassetteSecret) => `${relative(root, secret.file)}:${secret.line}:${secret.column}`
  const test = (secret: CassetteSecret) => (secret.test === undefined ? '' : ` (test "${oneLine(secret.test, NAME_CHARS)}")`)
  return capped(found.secrets, (secret) => `    secret at ${where(secret)}: ${secret.masked}, found by ${secret.rule}${test(secret)}`, (count) => `${count} more ${count === 1 ? 'secret' : 'secrets'}`)
}

/** The note on a damaged usage report that belongs to no cassette. */
export const damagedNote = (report: DamagedUsageReport) => `Skipped a damaged usage report: ${report.file} (${report.problem}). Delete it; the next run of its test file writes a new one.`

/** Prints findings; returns the exit code (1 when a test needed a missing recording, a recording was refused, or a cassette is damaged or holds a secret). */
export async function runCheck(options: CassettesCommandOptions, print: (line: string) => void): Promise<number> {
  const { cassettes: findings, damagedUsage } = await inspectCassettes(options)
  if (findings.length === 0) {
    print(`No cassettes under ${options.root}, and no run that needed one.`)
    for (const report of damagedUsage) print(damagedNote(report))
    return 0
  }
  let failing = false
  for (const found of findings) {
    const name = relative(options.root, found.file)
    if (found.error) {
      print(`✗ ${name}: ${found.error}`)
      for (const line of found.orphan ? orphanLines(name, found.orphan, options.root) : []) print(line)
      for (const line of secretLines(found, options.root)) print(line)
      failing = true
      continue
    }
    if (found.orphan) {
      // What its last run used says nothing now: no test file will run over it again.
      print(`✗ ${name}: ${found.entries} entries, ${(found.bytes / 1024).toFixed(1)} KB; no test file`)
      for (const line of [...orphanLines(name, found.orphan, options.root), ...secretLines(found, options.root)]) print(line)
      failing = true
      continue
    }
    const refused = found.usage?.refused?.length ?? 0
    const lastRun = found.usage ? `last run ${found.usage.at} (${found.usage.mode})` : found.damagedUsage ? 'last run unknown (its usage report is damaged)' : 'no run recorded yet'
    const size = found.exists ? `${found.entries} entries, ${found.tools ? `${plural(found.tools, 'tool recording')}, ` : ''}${(found.bytes / 1024).toFixed(1)} KB` : 'no cassette file yet'
    const failed = found.misses.length > 0 || refused > 0 || found.secrets.length > 0 || (found.missingSidecars?.length ?? 0) > 0
    print(`${failed ? '✗' : '✓'} ${name}: ${size}; ${lastRun}`)
    for (const line of findingLines(found, options)) print(line)
    if (failed) failing = true
  }
  const missed = findings.reduce((sum, found) => sum + found.misses.length, 0)
  // A tool that returned what is not JSON (see `recordTool`) is refused too; every other refusal is a secret.
  const notJson = (refusal: { message: string }) => isNotJsonRefusal(refusal.message)
  const refusedTools = findings.reduce((sum, found) => sum + (found.usage?.refused ?? []).filter(notJson).length, 0)
  const refused = findings.reduce((sum, found) => sum + (found.usage?.refused?.length ?? 0), 0) - refusedTools
  // A credential query parameter an older version stored is fixed by recording again (no new recording stores one).
  const inQuery = findings.flatMap((found) => found.secrets.filter((secret) => secret.rule === CREDENTIAL_QUERY_RULE).map((secret) => ({ found, secret })))
  const secrets = findings.reduce((sum, found) => sum + found.secrets.length, 0) - inQuery.length
  const marked = findings.flatMap((found) => found.unrecorded.map(() => ({ file: found.file, ...(found.usage ? { testFile: found.usage.testFile } : {}) })))
  const sidecarsMissing = findings.filter((found) => found.missingSidecars?.length)
  if (missed || refused || refusedTools || secrets || inQuery.length || marked.length || damagedUsage.length || sidecarsMissing.length || findings.some((found) => found.orphan)) print('')
  // With `test.projects`, the command runs only the projects whose tests missed or were refused (`--project`).
  const recordCommand = (itemsOf: (found: CassetteFindings) => readonly { project?: string }[]) => {
    const chosen = findings.filter((found) => itemsOf(found).length > 0)
    const projects = chosen.flatMap(itemsOf).map((item) => item.project)
    // Every project that missed is selected, or none is (one no `--project` can name runs with all of them).
    const options = [...new Set(projects)].map(projectOption)
    const only = options.every((option) => option !== '') ? options.join('') : ''
    // Test files as a shell reads them (a usage report is a file on disk: a hostile name must not run as a command).
    const files = [...new Set(chosen.map((found) => found.usage?.testFile))].map((file) => (file === undefined ? '<test file>' : shellQuote(printableText(file))))
    return `LLM_EVALS_CASSETTES=auto npx vitest run ${only}${files.join(' ')}`
  }
  if (missed) print(`${plural(missed, 'request')} had no recording. Record ${missed === 1 ? 'it' : 'them'}: \`${recordCommand((found) => found.misses)}\` with a real API key, then commit the cassettes.`)
  if (refused) {
    print(
      `${plural(refused, 'recording')} could not be written (it would have stored a secret). Keep the key out of the prompt, or add a pattern for it to \`llmEvals({ cassettes: { redact: [...] } })\`, ` +
        `then record again: \`${recordCommand((found) => (found.usage?.refused ?? []).filter((refusal) => !notJson(refusal)))}\`.`,
    )
  }
  if (secrets) {
    print(
      `${plural(secrets, 'value')} in the cassettes ${secrets === 1 ? 'looks' : 'look'} like a secret (see the rules in ${docsLocation('cassettes.md')}, "What is never stored"). ` +
        'Replace each with [REDACTED] by hand (the recording still replays), or delete its entry and record it again (new recordings are scrubbed); ' +
        'if it is a real key, revoke it: it may already be in your git history.',
    )
  }
  if (inQuery.length) {
    print(credentialQueryNote(inQuery.map(({ found, secret }) => ({ testFile: found.usage?.testFile ?? testFileOfCassette(found.file, options.root), cassette: relative(options.root, found.file), ...(secret.test === undefined ? {} : { test: secret.test }) }))))
  }
  if (refusedTools) print(`${plural(refusedTools, 'tool call')} could not be recorded (not JSON; see above). Make the tool return plain JSON, then record again: \`${recordCommand((found) => (found.usage?.refused ?? []).filter(notJson))}\`.`)
  if (sidecarsMissing.length) print(missingSidecarNote(sidecarsMissing, options.root))
  if (marked.length) print(unrecordedNote(marked, options.root))
  const orphans = findings.filter((found) => found.orphan).length
  if (orphans) print(orphansNote(orphans))
  for (const report of damagedUsage) print(damagedNote(report))
  return failing ? 1 : 0
}

function describe(entries: readonly { test: string }[]): string {
  const tests = [...new Set(entries.map((entry) => entry.test))]
  return tests.slice(0, 3).map((test) => `"${oneLine(test, NAME_CHARS)}"`).join(', ') + (tests.length > 3 ? `, +${tests.length - 3} more tests` : '')
}
