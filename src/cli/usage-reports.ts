import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parseUsageReport } from '../cassettes/usage-report-schema.js'
import type { CassetteUsageReport } from '../cassettes/usage-report.js'
import { usageDir } from '../cassettes/worker-options.js'
import { CassetteError } from '../errors/index.js'
import { fixPermissions, isPermissionError } from '../regular-file.js'

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

/**
 * The file names in the usage folder, sorted. A folder the user cannot read is a {@link CassetteError}: without the
 * reports, `check` cannot tell a missing recording, so it must not go on as if no run had missed one.
 */
function listReports(dir: string): string[] {
  try {
    return readdirSync(dir).sort()
  } catch (error) {
    if (!isPermissionError(error)) throw error
    throw new CassetteError(
      `Cannot read the cassette usage reports in ${dir}: permission denied (${error.code}), so which recordings the last runs missed or used is not known. ` +
        `${fixPermissions(dir, true)} The folder is a cache the test runs write: deleting it is safe (run the tests again before \`check\`).`,
      { cause: error },
    )
  }
}

/** Reads every report of the usage folder under `root`; a damaged one is set aside with what is wrong, never thrown. */
export function readUsageReports(root: string): UsageReports {
  const dir = usageDir(root)
  const found: UsageReports = { reports: new Map(), damaged: [] }
  if (!existsSync(dir)) return found
  for (const name of listReports(dir)) {
    // Dotfiles are writes in flight (`.name.pid.rand.tmp`) or a lock, never a report.
    if (name.startsWith('.')) continue
    const file = relative(root, join(dir, name))
    let value: unknown
    try {
      value = JSON.parse(readFileSync(join(dir, name), 'utf8'))
    } catch (error) {
      const problem = error instanceof SyntaxError ? 'not valid JSON' : isPermissionError(error) ? `it cannot be read: permission denied (${error.code})` : (error as Error).message
      found.damaged.push({ file, name, problem })
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
