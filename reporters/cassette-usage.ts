import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { writeFileAtomic } from '../src/atomic-files.js'
import { usageReportOf } from '../src/cassettes/usage-report-schema.js'
import type { CassetteUsageReport } from '../src/cassettes/usage-report.js'
import { usageDir } from '../src/cassettes/worker-options.js'

/** What the run's cassettes stored, over every test file: the counts behind the summary's "recorded". */
export interface CassetteWrites {
  /** Entries stored in cassettes by this run. */
  written: number
  /** Recordings refused (a live key in the response, …), with the reason. */
  refused: { test: string; message: string }[]
}

/**
 * The usage reports the workers put on the test modules' meta, one per cassette: a cassette used by
 * several projects' runs of the same file gets one report covering them all.
 */
export function usageReportsOf(modules: ReadonlyArray<{ meta(): object }>): CassetteUsageReport[] {
  const byCassette = new Map<string, CassetteUsageReport>()
  for (const module of modules) {
    const report = usageReportOf(module.meta())
    if (!report) continue
    const seen = byCassette.get(report.cassette)
    byCassette.set(report.cassette, seen ? mergeReports(seen, report) : report)
  }
  return [...byCassette.values()]
}

/** Two runs of one cassette in the same Vitest run (projects): complete only if both were, used by either. */
function mergeReports(a: CassetteUsageReport, b: CassetteUsageReport): CassetteUsageReport {
  const later = a.at > b.at ? a : b
  const slots = new Map([...a.used, ...b.used].map((slot) => [`${slot.repeat}\u0000${slot.call}\u0000${slot.test}`, slot]))
  const names = (x: CassetteUsageReport['notRun'], y: CassetteUsageReport['notRun']) => ({ count: (x?.count ?? 0) + (y?.count ?? 0), names: [...(x?.names ?? []), ...(y?.names ?? [])].slice(0, 3) })
  return {
    ...later,
    complete: a.complete && b.complete,
    successful: a.successful === true && b.successful === true,
    notRun: names(a.notRun, b.notRun),
    failed: names(a.failed, b.failed),
    written: (a.written ?? 0) + (b.written ?? 0),
    refused: [...(a.refused ?? []), ...(b.refused ?? [])],
    used: [...slots.values()],
    misses: [...a.misses, ...b.misses],
  }
}

/** Sums what the reports say was written and refused. */
export function cassetteWrites(reports: readonly CassetteUsageReport[]): CassetteWrites {
  return {
    written: reports.reduce((sum, report) => sum + (report.written ?? 0), 0),
    refused: reports.flatMap((report) => report.refused ?? []),
  }
}

/** Writes each report to the usage folder under `root` (one file per cassette, replacing its last run's). */
export function writeUsageReports(root: string, reports: readonly CassetteUsageReport[]): void {
  const dir = usageDir(root)
  for (const report of reports) {
    const name = createHash('sha256').update(report.cassette).digest('hex').slice(0, 16)
    writeFileAtomic(join(dir, `${name}.json`), JSON.stringify(report, null, 2))
  }
}
