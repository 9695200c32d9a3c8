import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { writeFileAtomic } from '../atomic-files.js'
import { readCassette, serializeCassette, sidecarDir } from '../cassettes/cassette-file.js'
import type { CassetteEntry } from '../cassettes/entry.js'
import { scrubString } from '../cassettes/redact.js'
import { isUsageReport, type CassetteUsageReport, type TestNames } from '../cassettes/usage-report.js'
import { usageDir } from '../cassettes/worker-options.js'
import { findCassettes } from './find-cassettes.js'

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
  stale: CassetteEntry[]
  oversized: { entry: CassetteEntry; bytes: number }[]
  unscrubbed: number
  misses: CassetteUsageReport['misses']
  /** The last run's report, when there is one. */
  usage?: CassetteUsageReport
  /** Why "unused" cannot be told for this cassette (and `prune` leaves it alone), when it cannot. */
  notPrunable?: string
  error?: string
}

function readUsageReports(root: string): Map<string, CassetteUsageReport> {
  const dir = usageDir(root)
  const reports = new Map<string, CassetteUsageReport>()
  if (!existsSync(dir)) return reports
  for (const name of readdirSync(dir)) {
    try {
      const report: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'))
      if (!isUsageReport(report)) continue
      // Older versions named the files differently: of two reports on one cassette, the newer run counts.
      const file = resolve(root, report.cassette)
      const seen = reports.get(file)
      if (!seen || seen.at < report.at) reports.set(file, report)
    } catch {
      // A damaged report only loses the "unused" column for its cassette.
    }
  }
  return reports
}

const slot = (entry: { test: string; repeat: number; call: number }) => `${entry.repeat}\u0000${entry.call}\u0000${entry.test}`
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`
const quoted = (names: readonly string[], count: number) => names.map((name) => `"${name}"`).join(', ') + (count > names.length ? `, +${count - names.length} more` : '')
const listed = (tests: TestNames | undefined, what: string) => (tests?.count ? [`${plural(tests.count, 'test')} ${what} (${quoted(tests.names, tests.count)})`] : [])

/**
 * Why the last run's report cannot tell which entries are unused, or undefined when it can: only a run of
 * every test of the file, all passing, with no miss or refused recording, over the cassette as it is now, used
 * every entry the tests need.
 */
function whyNotPrunable(usage: CassetteUsageReport | undefined, text: string): string | undefined {
  if (!usage) return 'no run of it recorded yet'
  if (usage.successful === undefined) return 'its last run was recorded by an older version of vitest-llm-evals'
  const when = `its last run (${usage.at}, ${usage.mode})`
  const problems = [
    ...listed(usage.notRun, 'did not run'),
    ...(usage.notRun === undefined && !usage.complete ? ['not every test ran'] : []),
    ...listed(usage.failed, 'failed'),
    ...(usage.misses.length ? [`${plural(usage.misses.length, 'request')} had no recording`] : []),
    ...(usage.refused?.length ? [`${plural(usage.refused.length, 'recording')} could not be written`] : []),
  ]
  if (problems.length) return `${when}: ${problems.join('; ')}`
  if (usage.fingerprint !== createHash('sha256').update(text).digest('hex')) return `it changed since ${when}`
  return undefined
}

/** Inspects every cassette under `root`, and those a test needed that were never written (pure of output: the command prints). */
export function inspectCassettes(options: CassettesCommandOptions): CassetteFindings[] {
  const reports = readUsageReports(options.root)
  const now = Date.now()
  const found = findCassettes(options.root).map((file): CassetteFindings => {
    const usage = reports.get(file)
    const base = { file, exists: true, entries: 0, bytes: statSync(file).size, unused: [], stale: [], oversized: [], unscrubbed: 0, misses: usage?.misses ?? [], ...(usage ? { usage } : {}) }
    const text = readFileSync(file, 'utf8')
    let entries: CassetteEntry[]
    try {
      entries = readCassette(file).entries
    } catch (error) {
      return { ...base, error: (error as Error).message }
    }
    const used = new Set((usage?.used ?? []).map(slot))
    const notPrunable = whyNotPrunable(usage, text)
    return {
      ...base,
      entries: entries.length,
      ...(notPrunable ? { notPrunable } : {}),
      unused: notPrunable ? [] : entries.filter((entry) => !used.has(slot(entry))),
      stale: entries.filter((entry) => now - Date.parse(entry.meta.recordedAt) > options.maxAgeDays * 86_400_000),
      oversized: entries
        .map((entry) => ({ entry, bytes: Buffer.byteLength(JSON.stringify(entry)) }))
        .filter((item) => item.bytes > options.maxEntryBytes),
      unscrubbed: text === scrubString(text) ? 0 : 1,
    }
  })
  // A test file whose requests all missed has no cassette yet: only its report tells.
  const neverWritten = [...reports].filter(([file, usage]) => !existsSync(file) && (usage.misses.length || usage.refused?.length) && existsSync(resolve(options.root, usage.testFile)))
  const missing = neverWritten.map(([file, usage]): CassetteFindings => ({ file, exists: false, entries: 0, bytes: 0, unused: [], stale: [], oversized: [], unscrubbed: 0, misses: usage.misses, usage }))
  return [...found, ...missing].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

/** Prints findings; returns the exit code (1 when a test needed a missing recording, or a cassette is damaged or holds a key). */
export function runCheck(options: CassettesCommandOptions, print: (line: string) => void): number {
  const findings = inspectCassettes(options)
  if (findings.length === 0) {
    print(`No cassettes under ${options.root}, and no run that needed one.`)
    return 0
  }
  let failing = false
  for (const found of findings) {
    const name = relative(options.root, found.file)
    if (found.error) {
      print(`✗ ${name}: ${found.error}`)
      failing = true
      continue
    }
    const lastRun = found.usage ? `last run ${found.usage.at} (${found.usage.mode})` : 'no run recorded yet'
    const size = found.exists ? `${found.entries} entries, ${(found.bytes / 1024).toFixed(1)} KB` : 'no cassette file yet'
    print(`${found.misses.length ? '✗' : '✓'} ${name}: ${size}; ${lastRun}`)
    for (const miss of found.misses) print(`    missing recording: ${miss.method} ${miss.url} (test "${miss.test}")`)
    for (const refusal of found.usage?.refused ?? []) print(`    not recorded (test "${refusal.test}"): ${refusal.message.split('\n')[0]}`)
    if (found.unused.length) print(`    unused: ${found.unused.length} entries (${describe(found.unused)}); remove with \`llm-evals cassettes prune\``)
    if (found.exists && found.usage && found.notPrunable) print(`    unused entries not known: ${found.notPrunable}`)
    if (found.stale.length) print(`    stale: ${found.stale.length} entries recorded more than ${options.maxAgeDays} days ago (${describe(found.stale)})`)
    for (const { entry, bytes } of found.oversized) print(`    oversized: "${entry.test}" call ${entry.call} is ${(bytes / 1024).toFixed(0)} KB`)
    if (found.unscrubbed) print('    contains text that looks like an API key or bearer token: re-record it, or scrub it by hand')
    if (found.unscrubbed || found.misses.length) failing = true
  }
  const missed = findings.reduce((sum, found) => sum + found.misses.length, 0)
  if (missed) print(`\n${plural(missed, 'request')} had no recording. Record them: \`LLM_EVALS_CASSETTES=auto npx vitest run <test file>\` with a real API key, then commit the cassettes.`)
  return failing ? 1 : 0
}

function describe(entries: readonly CassetteEntry[]): string {
  const tests = [...new Set(entries.map((entry) => entry.test))]
  return tests.slice(0, 3).map((test) => `"${test}"`).join(', ') + (tests.length > 3 ? `, +${tests.length - 3} more tests` : '')
}

/**
 * Removes the entries the last complete, successful run of each cassette's test file did not use, and sidecar
 * files nothing refers to. A cassette without such a run is left alone, with the reason and what to run.
 */
export function runPrune(options: CassettesCommandOptions, print: (line: string) => void): number {
  let removed = 0
  let refused = 0
  for (const found of inspectCassettes(options)) {
    const name = relative(options.root, found.file)
    if (!found.exists) continue
    if (found.error) {
      print(`✗ ${name}: ${found.error}`)
      refused++
      continue
    }
    if (found.notPrunable) {
      const testFile = found.usage ? `npx vitest run ${found.usage.testFile}` : 'npx vitest run'
      print(`✗ ${name}: not pruned: ${found.notPrunable}. Run \`${testFile}\` (no -t, .only or .skip) until every test passes, then prune again.`)
      refused++
      continue
    }
    const unused = new Set(found.unused.map(slot))
    const kept = readCassette(found.file).entries.filter((entry) => !unused.has(slot(entry)))
    removed += unused.size
    print(`${unused.size ? '✂' : '✓'} ${name}: ${unused.size} unused entries${options.dryRun ? ' (dry run)' : ''}`)
    if (options.dryRun || unused.size === 0) continue
    writeFileAtomic(found.file, serializeCassette({ version: 1, entries: kept }))
    removeOrphanSidecars(found.file, kept)
  }
  print(`${options.dryRun ? 'Would remove' : 'Removed'} ${removed} entries.${refused ? ` ${plural(refused, 'cassette')} not pruned (see above).` : ''}`)
  return refused ? 1 : 0
}

function removeOrphanSidecars(file: string, kept: readonly CassetteEntry[]): void {
  const dir = sidecarDir(file)
  if (!existsSync(dir)) return
  const referenced = new Set(kept.map((entry) => entry.response.file).filter(Boolean))
  for (const name of readdirSync(dir)) if (!referenced.has(name)) rmSync(join(dir, name))
}
