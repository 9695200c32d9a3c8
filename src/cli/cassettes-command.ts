import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { writeFileAtomic } from '../atomic-files.js'
import { readCassette, serializeCassette, sidecarDir } from '../cassettes/cassette-file.js'
import type { CassetteEntry } from '../cassettes/entry.js'
import { isCI } from '../cassettes/mode.js'
import { scrubString } from '../cassettes/redact.js'
import type { CassetteUsageReport } from '../cassettes/worker.js'
import { usageDir } from '../cassettes/worker-options.js'
import { findCassettes } from './find-cassettes.js'

/** Options of `llm-evals cassettes check|prune`. */
export interface CassettesCommandOptions {
  root: string
  /** Entries recorded longer ago than this many days are listed as stale. */
  maxAgeDays: number
  /** Entries whose stored JSON is larger than this are listed as oversized. */
  maxEntryBytes: number
  /** Exit non-zero on missing recordings even outside CI. */
  strict: boolean
  dryRun: boolean
  env: NodeJS.ProcessEnv
}

/** One cassette's findings. */
export interface CassetteFindings {
  file: string
  entries: number
  bytes: number
  unused: CassetteEntry[]
  stale: CassetteEntry[]
  oversized: { entry: CassetteEntry; bytes: number }[]
  unscrubbed: number
  misses: CassetteUsageReport['misses']
  /** The last run's report, when there is one. */
  usage?: CassetteUsageReport
  error?: string
}

function readUsageReports(root: string): Map<string, CassetteUsageReport> {
  const dir = usageDir(root)
  const reports = new Map<string, CassetteUsageReport>()
  if (!existsSync(dir)) return reports
  for (const name of readdirSync(dir)) {
    try {
      const report = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CassetteUsageReport
      reports.set(resolve(root, report.cassette), report)
    } catch {
      // A damaged report only loses the "unused" column for its cassette.
    }
  }
  return reports
}

const slot = (entry: { test: string; repeat: number; call: number }) => `${entry.repeat}\u0000${entry.call}\u0000${entry.test}`

/** Inspects every cassette under `root` (pure of output: the command prints the result). */
export function inspectCassettes(options: CassettesCommandOptions): CassetteFindings[] {
  const reports = readUsageReports(options.root)
  const now = Date.now()
  return findCassettes(options.root).map((file) => {
    const usage = reports.get(file)
    const base = { file, entries: 0, bytes: statSync(file).size, unused: [], stale: [], oversized: [], unscrubbed: 0, misses: usage?.misses ?? [] }
    let entries: CassetteEntry[]
    try {
      entries = readCassette(file).entries
    } catch (error) {
      return { ...base, error: (error as Error).message }
    }
    const used = new Set((usage?.used ?? []).map(slot))
    const text = readFileSync(file, 'utf8')
    return {
      ...base,
      entries: entries.length,
      ...(usage ? { usage } : {}),
      unused: usage?.complete ? entries.filter((entry) => !used.has(slot(entry))) : [],
      stale: entries.filter((entry) => now - Date.parse(entry.meta.recordedAt) > options.maxAgeDays * 86_400_000),
      oversized: entries
        .map((entry) => ({ entry, bytes: Buffer.byteLength(JSON.stringify(entry)) }))
        .filter((item) => item.bytes > options.maxEntryBytes),
      unscrubbed: text === scrubString(text) ? 0 : 1,
    }
  })
}

/** Prints findings; returns the exit code (1 when a test needs a missing recording in CI or `--strict`, or a cassette is damaged). */
export function runCheck(options: CassettesCommandOptions, print: (line: string) => void): number {
  const findings = inspectCassettes(options)
  if (findings.length === 0) {
    print(`No cassettes under ${options.root}.`)
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
    const lastRun = found.usage ? `last run ${found.usage.at} (${found.usage.mode}${found.usage.complete ? '' : ', filtered'})` : 'no run recorded yet'
    print(`${found.misses.length ? '✗' : '✓'} ${name}: ${found.entries} entries, ${(found.bytes / 1024).toFixed(1)} KB; ${lastRun}`)
    for (const miss of found.misses) print(`    missing recording: ${miss.method} ${miss.url} (test "${miss.test}")`)
    if (found.unused.length) print(`    unused: ${found.unused.length} entries (${describe(found.unused)}); remove with \`llm-evals cassettes prune\``)
    if (found.stale.length) print(`    stale: ${found.stale.length} entries recorded more than ${options.maxAgeDays} days ago (${describe(found.stale)})`)
    for (const { entry, bytes } of found.oversized) print(`    oversized: "${entry.test}" call ${entry.call} is ${(bytes / 1024).toFixed(0)} KB`)
    if (found.unscrubbed) print('    contains text that looks like an API key or bearer token: re-record it, or scrub it by hand')
    if (found.unscrubbed) failing = true
    if (found.misses.length && (options.strict || isCI(options.env))) failing = true
  }
  return failing ? 1 : 0
}

function describe(entries: readonly CassetteEntry[]): string {
  const tests = [...new Set(entries.map((entry) => entry.test))]
  return tests.slice(0, 3).map((test) => `"${test}"`).join(', ') + (tests.length > 3 ? `, +${tests.length - 3} more tests` : '')
}

/** Removes entries the last complete run did not use, and sidecar files nothing refers to. */
export function runPrune(options: CassettesCommandOptions, print: (line: string) => void): number {
  let removed = 0
  for (const found of inspectCassettes(options)) {
    const name = relative(options.root, found.file)
    if (found.error) {
      print(`✗ ${name}: ${found.error}`)
      continue
    }
    if (!found.usage?.complete) {
      print(`- ${name}: skipped (no complete, unfiltered run recorded; run the whole suite first)`)
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
  print(`${options.dryRun ? 'Would remove' : 'Removed'} ${removed} entries.`)
  return 0
}

function removeOrphanSidecars(file: string, kept: readonly CassetteEntry[]): void {
  const dir = sidecarDir(file)
  if (!existsSync(dir)) return
  const referenced = new Set(kept.map((entry) => entry.response.file).filter(Boolean))
  for (const name of readdirSync(dir)) if (!referenced.has(name)) rmSync(join(dir, name))
}
