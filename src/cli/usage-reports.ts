import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parseUsageReport } from '../cassettes/usage-report-schema.js'
import type { CassetteUsageReport } from '../cassettes/usage-report.js'
import { usageDir } from '../cassettes/worker-options.js'

/** A file of the usage folder that could not be read as a report. */
export interface DamagedUsageReport {
  /** The file, relative to the project root. */
  file: string
  /** Its bare name (the reporter names a report after its cassette: see `usageReportFileName`). */
  name: string
  /** The cassette it says it is about (absolute), when it says so. */
  cassette?: string
  /** What is wrong with it. */
  problem: string
}

/** The usage folder read: the newest report per cassette (by absolute path), and the files that are not reports. */
export interface UsageReports {
  reports: Map<string, CassetteUsageReport>
  damaged: DamagedUsageReport[]
}

/** Reads every report of the usage folder under `root`; a damaged one is set aside with what is wrong, never thrown. */
export function readUsageReports(root: string): UsageReports {
  const dir = usageDir(root)
  const found: UsageReports = { reports: new Map(), damaged: [] }
  if (!existsSync(dir)) return found
  for (const name of readdirSync(dir).sort()) {
    // Dotfiles are writes in flight (`.name.pid.rand.tmp`) or a lock, never a report.
    if (name.startsWith('.')) continue
    const file = relative(root, join(dir, name))
    let value: unknown
    try {
      value = JSON.parse(readFileSync(join(dir, name), 'utf8'))
    } catch (error) {
      found.damaged.push({ file, name, problem: error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message })
      continue
    }
    const parsed = parseUsageReport(value)
    if ('problem' in parsed) {
      const cassette = (value as { cassette?: unknown } | null)?.cassette
      found.damaged.push({ file, name, problem: parsed.problem, ...(typeof cassette === 'string' ? { cassette: resolve(root, cassette) } : {}) })
      continue
    }
    // Older versions named the files differently: of two reports on one cassette, the newer run counts.
    const cassette = resolve(root, parsed.report.cassette)
    const seen = found.reports.get(cassette)
    if (!seen || seen.at < parsed.report.at) found.reports.set(cassette, parsed.report)
  }
  return found
}
