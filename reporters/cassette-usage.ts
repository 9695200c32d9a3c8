import { join, relative } from 'node:path'
import { updateFileAtomic, writeFileAtomic } from '../src/atomic-files.js'
import { parseMissMessages } from '../src/cassettes/miss-message.js'
import { findSecretsSync } from '../src/cassettes/secret-scan-sync.js'
import { scanUsageReportSync } from '../src/cassettes/usage-report-secrets.js'
import { parseUsageReport, usageReportOf } from '../src/cassettes/usage-report-schema.js'
import type { SecretFinding } from '../src/cassettes/secret-scan.js'
import { usageReportFileName, type CassetteUsageReport } from '../src/cassettes/usage-report.js'
import { usageDir } from '../src/cassettes/worker-options.js'

/** What the run's cassettes stored, over every test file: the counts behind the summary's "recorded". */
export interface CassetteWrites {
  /** Entries stored in cassettes by this run. */
  written: number
  /** Recordings refused (a live key in the response, …), with the reason. */
  refused: { test: string; message: string }[]
  /** Requests and tool calls that had no recording (their tests failed, saying which). */
  missed?: number
  /** Model calls sent live and tool calls run whose recordings another process (a project, a parallel run) stored first. */
  alreadyRecorded?: { entries: number; tools: number }
  /** Model calls sent live and tool calls run by failed tries that Vitest retried: recordings dropped for the retry's. */
  discardedOnRetry?: { entries: number; tools: number }
  /** Model calls replayed outside tests (module top level, `beforeAll`), which no test's counts hold. */
  replayedOutsideTests?: number
  /** Recordings `auto` made again in place of ones whose sidecar file was missing or damaged. */
  restoredSidecars?: number
}

/** The parts of a Vitest `TestModule` the usage reports read. */
export interface UsageModule {
  meta(): object
  moduleId?: string
  project?: { name: string }
  /** Errors outside any test, e.g. while the file was collected. */
  errors?(): ReadonlyArray<unknown>
  children?: { allTests(): Iterable<{ result(): { errors?: ReadonlyArray<unknown> } }> }
}

/**
 * The usage reports the workers put on the test modules' meta, one per cassette: a cassette used by
 * several projects' runs of the same file gets one report covering them all, naming the projects. A module
 * the worker left no report on (a request that missed while the file was collected, before any hook ran)
 * gets one from the misses its errors and its tests' errors tell, so `llm-evals cassettes check` still fails; its
 * free text (test names, URLs) goes through `scan` first, a synchronous secret scan (see {@link scanUsageReportSync}).
 */
export function usageReportsOf(modules: ReadonlyArray<UsageModule>, root = process.cwd(), scan: (text: string) => SecretFinding[] = findSecretsSync): CassetteUsageReport[] {
  const byCassette = new Map<string, CassetteUsageReport>()
  for (const module of modules) {
    const found = usageReportOf(module.meta()) ?? reportFromErrors(module, root, scan)
    if (!found) continue
    const report = module.project ? withProjectName(found, module.project.name) : found
    const seen = byCassette.get(report.cassette)
    byCassette.set(report.cassette, seen ? mergeReports(seen, report) : report)
  }
  return [...byCassette.values()]
}

/** A module's report naming its project, and (with `test.projects`) the project of each miss and refusal. */
function withProjectName(report: CassetteUsageReport, project: string): CassetteUsageReport {
  if (!project) return { ...report, projects: [project] }
  const tag = <T extends object>(items: readonly T[]) => items.map((item) => ({ ...item, project }))
  return { ...report, projects: [project], misses: tag(report.misses), ...(report.refused ? { refused: tag(report.refused) } : {}), ...(report.unfinished ? { unfinished: tag(report.unfinished) } : {}) }
}

/** The messages of a serialized error and of its causes. */
function errorMessages(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 5) return []
  const { message, cause } = error as { message?: unknown; cause?: unknown }
  return [...(typeof message === 'string' ? [message] : []), ...errorMessages(cause, depth + 1)]
}

/**
 * A report for a module with none whose errors hold cassette misses: what it used is not known. Its test names and
 * URLs come from the errors' text and are secret-scanned as the worker's reports are (synchronously: the reporter
 * reads the reports without waiting).
 */
function reportFromErrors(module: UsageModule, root: string, scan: (text: string) => SecretFinding[]): CassetteUsageReport | undefined {
  const testErrors = [...(module.children?.allTests() ?? [])].flatMap((test) => test.result().errors ?? [])
  const texts = [...new Set([...(module.errors?.() ?? []), ...testErrors].flatMap((error) => errorMessages(error)))]
  const misses = texts.flatMap(parseMissMessages)
  const [first] = misses
  if (!first || !module.moduleId) return undefined
  return scanUsageReportSync({
    cassette: first.cassette,
    testFile: relative(root, module.moduleId),
    mode: first.mode,
    at: new Date().toISOString(),
    complete: false,
    successful: false,
    total: 0,
    written: 0,
    refused: [],
    used: [],
    misses: misses.map(({ test, method, url }) => ({ test, method, url })),
  }, scan)
}

const slotKey = (slot: { test: string; repeat: number; call: number }) => `${slot.repeat}\u0000${slot.call}\u0000${slot.test}`
const union = (a: readonly string[] = [], b: readonly string[] = []) => [...new Set([...a, ...b])]
type Slot = CassetteUsageReport['used'][number]
/** Tool slots used by either report; undefined when neither knew tools. */
const unionSlots = (a: readonly Slot[] | undefined, b: readonly Slot[] | undefined) =>
  a || b ? [...new Map([...(a ?? []), ...(b ?? [])].map((slot) => [slotKey(slot), slot])).values()] : undefined

/** Two runs of one cassette in the same Vitest run (projects): complete only if both were, used by either. */
function mergeReports(a: CassetteUsageReport, b: CassetteUsageReport): CassetteUsageReport {
  const later = a.at > b.at ? a : b
  const slots = new Map([...a.used, ...b.used].map((slot) => [slotKey(slot), slot]))
  const usedTools = unionSlots(a.usedTools, b.usedTools)
  const names = (x: CassetteUsageReport['notRun'], y: CassetteUsageReport['notRun']) => ({ count: (x?.count ?? 0) + (y?.count ?? 0), names: [...(x?.names ?? []), ...(y?.names ?? [])].slice(0, 3) })
  return {
    ...later,
    complete: a.complete && b.complete,
    successful: a.successful === true && b.successful === true,
    notRun: names(a.notRun, b.notRun),
    failed: names(a.failed, b.failed),
    written: (a.written ?? 0) + (b.written ?? 0),
    ...(a.alreadyRecorded || b.alreadyRecorded ? { alreadyRecorded: addCounts(a.alreadyRecorded, b.alreadyRecorded) } : {}),
    ...(a.discardedOnRetry || b.discardedOnRetry ? { discardedOnRetry: addCounts(a.discardedOnRetry, b.discardedOnRetry) } : {}),
    ...(a.replayedOutsideTests || b.replayedOutsideTests ? { replayedOutsideTests: (a.replayedOutsideTests ?? 0) + (b.replayedOutsideTests ?? 0) } : {}),
    ...(a.restoredSidecars || b.restoredSidecars ? { restoredSidecars: (a.restoredSidecars ?? 0) + (b.restoredSidecars ?? 0) } : {}),
    refused: [...(a.refused ?? []), ...(b.refused ?? [])],
    ...(a.unfinished || b.unfinished ? { unfinished: [...(a.unfinished ?? []), ...(b.unfinished ?? [])] } : {}),
    used: [...slots.values()],
    ...(usedTools ? { usedTools } : {}),
    misses: [...a.misses, ...b.misses],
    ...(a.projects || b.projects ? { projects: union(a.projects, b.projects) } : {}),
    // The earlier start: prune keeps what was recorded after it (another process's recordings during this run).
    ...(earliest(a.startedAt, b.startedAt) === undefined ? {} : { startedAt: earliest(a.startedAt, b.startedAt) as string }),
  }
}

/** The earlier of two ISO times, either missing. */
function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return a < b ? a : b
}

type AlreadyRecorded = NonNullable<CassetteUsageReport['alreadyRecorded']>
const addCounts = (a: AlreadyRecorded | undefined, b: AlreadyRecorded | undefined): AlreadyRecorded => ({ entries: (a?.entries ?? 0) + (b?.entries ?? 0), tools: (a?.tools ?? 0) + (b?.tools ?? 0) })

/**
 * Sums what the reports say was written, refused, missed, spent but stored by another process first or dropped for
 * a retry's recording, and replayed outside tests.
 */
export function cassetteWrites(reports: readonly CassetteUsageReport[]): CassetteWrites {
  const sumOf = (field: 'alreadyRecorded' | 'discardedOnRetry') => reports.reduce<AlreadyRecorded | undefined>((sum, report) => (report[field] ? addCounts(sum, report[field]) : sum), undefined)
  const alreadyRecorded = sumOf('alreadyRecorded')
  const discardedOnRetry = sumOf('discardedOnRetry')
  const replayedOutsideTests = reports.reduce((sum, report) => sum + (report.replayedOutsideTests ?? 0), 0)
  const restoredSidecars = reports.reduce((sum, report) => sum + (report.restoredSidecars ?? 0), 0)
  return {
    written: reports.reduce((sum, report) => sum + (report.written ?? 0), 0),
    refused: reports.flatMap((report) => report.refused ?? []),
    missed: reports.reduce((sum, report) => sum + report.misses.length, 0),
    ...(alreadyRecorded ? { alreadyRecorded } : {}),
    ...(discardedOnRetry ? { discardedOnRetry } : {}),
    ...(replayedOutsideTests ? { replayedOutsideTests } : {}),
    ...(restoredSidecars ? { restoredSidecars } : {}),
  }
}

/**
 * `report` written over `earlier` (the last report on the same cassette) by a run limited to some projects
 * (`--project`): a project that ran the file before but not now did not run it, so the report is not
 * complete (prune then leaves the cassette alone) and keeps the entries the earlier run used, and that
 * project's misses and refused recordings (`cassettes check` still fails until it runs again).
 */
export function overEarlierReport(report: CassetteUsageReport, earlier: CassetteUsageReport | undefined): CassetteUsageReport {
  if (!earlier || !report.projects) return report
  const ran = new Set(report.projects)
  const notRun = union(earlier.projects, earlier.projectsNotRun).filter((name) => !ran.has(name))
  if (notRun.length === 0) return report
  const slots = new Map([...earlier.used, ...report.used].map((slot) => [slotKey(slot), slot]))
  const usedTools = unionSlots(earlier.usedTools, report.usedTools)
  const ofNotRun = <T extends { project?: string }>(items: readonly T[] = []) => items.filter((item) => item.project !== undefined && notRun.includes(item.project))
  const misses = [...report.misses, ...ofNotRun(earlier.misses)]
  const refused = [...(report.refused ?? []), ...ofNotRun(earlier.refused)]
  const successful = report.successful === true && misses.length === report.misses.length && refused.length === (report.refused?.length ?? 0)
  return { ...report, complete: false, successful, projectsNotRun: notRun, used: [...slots.values()], ...(usedTools ? { usedTools } : {}), misses, ...(refused.length ? { refused } : {}) }
}

function parseEarlierReport(text: string | undefined): CassetteUsageReport | undefined {
  if (text === undefined) return undefined
  try {
    const parsed = parseUsageReport(JSON.parse(text))
    return 'report' in parsed ? parsed.report : undefined
  } catch {
    return undefined
  }
}

/**
 * Writes each report to the usage folder under `root` (one file per cassette, replacing its last run's).
 * `someProjects`: the run was limited to some of the config's projects (`--project`), so a project missing
 * from a report may still run the file (see {@link overEarlierReport}); the report is then merged with the one
 * on disk at the moment of the rename, never with an older copy (no lock file: the folder holds reports only).
 * `config`: the run's config, when a rerun must name it (see `namedConfig`).
 */
export function writeUsageReports(root: string, reports: readonly CassetteUsageReport[], options: { someProjects?: boolean; config?: string } = {}): void {
  const dir = usageDir(root)
  for (const given of reports) {
    // The config a rerun of the file must name (`--config`): what `prune` advises runs the same projects.
    const report = options.config === undefined ? given : { ...given, config: options.config }
    const file = join(dir, usageReportFileName(report.cassette))
    if (!options.someProjects) writeFileAtomic(file, JSON.stringify(report, null, 2))
    // What is carried forward from the report on disk (another project's misses and refusals) is scanned too: an
    // older version wrote it unscanned (this run's own part was scanned before; scanning it again finds nothing new).
    else updateFileAtomic(file, (text) => JSON.stringify(scanUsageReportSync(overEarlierReport({ ...report, projectFilter: true }, parseEarlierReport(text)), findSecretsSync), null, 2))
  }
}
