// `llm-evals review --migrate-labels [--dry-run]`: adds the suite to the legacy lines of the labels file from
// the latest run of the history, and prints what it did (or would do).
import { existsSync } from 'node:fs'
import { relative } from 'node:path'
import type { HistoryRun } from '../history/run-record.js'
import { suitesByCase } from '../review/label-scope.js'
import { migrateLabelsFile, type MigratedLabel, type UnmigratedLabel } from '../review/migrate-labels.js'

const SHOWN = 20

/** Up to {@link SHOWN} lines of a list, then how many more. */
function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, SHOWN).map((item) => `    ${line(item)}`)
  return items.length > SHOWN ? [...lines, `    … and ${items.length - SHOWN} more`] : lines
}

const labels = (count: number) => (count === 1 ? '1 legacy label' : `${count} legacy labels`)
const where = (label: MigratedLabel | UnmigratedLabel) => `${label.caseId} (${label.metric}), line ${label.line}`

/**
 * Runs the migration of `labelsFile` against `run` and prints its outcome. Returns the exit code (0).
 *
 * @example
 * migrateLabels({ root, labelsFile, run: latestRun(historyFile, root), dryRun: true }, console.log)
 */
export function migrateLabels(options: { root: string; labelsFile: string; run: HistoryRun; dryRun: boolean }, print: (line: string) => void): number {
  const shown = relative(options.root, options.labelsFile) || options.labelsFile
  if (!existsSync(options.labelsFile)) {
    print(`No labels file at ${shown}: nothing to migrate.`)
    return 0
  }
  const result = migrateLabelsFile(options.labelsFile, suitesByCase(options.run.cases ?? []), { dryRun: options.dryRun })
  const { migrated, ambiguous, unknown } = result
  if (!migrated.length && !ambiguous.length && !unknown.length) {
    print(`Every label in ${shown} has its suite: nothing to migrate.`)
    return 0
  }
  const lines = [`Labels without a suite in ${shown}, against run ${options.run.id}:`]
  if (migrated.length) lines.push(`  ${labels(migrated.length)} ${options.dryRun ? 'would get' : 'got'} the suite of their case:`, ...listed(migrated, (label) => `${where(label)} → ${label.suite}`))
  if (ambiguous.length) {
    lines.push(
      `  ${labels(ambiguous.length)} left as ${ambiguous.length === 1 ? 'it is' : 'they are'}: the case id is in several suites, so ${ambiguous.length === 1 ? 'it applies' : 'they apply'} to none. Label these cases again on the review page (or add "suite" to the line by hand):`,
      ...listed(ambiguous, (label) => `${where(label)}: in ${label.suites.join(', ')}`),
    )
  }
  if (unknown.length) {
    lines.push(`  ${labels(unknown.length)} left as ${unknown.length === 1 ? 'it is' : 'they are'}: the case id is not in this run (run the suites that have it, then migrate again):`, ...listed(unknown, where))
  }
  if (options.dryRun) lines.push(`Dry run: ${shown} was not changed. Run again without --dry-run to write it.`)
  else if (result.written) lines.push(`Wrote ${shown}: ${migrated.length} line${migrated.length === 1 ? '' : 's'} gained "suite"; every other line is kept as it was.`)
  else lines.push(`${shown} was not changed.`)
  print(lines.join('\n'))
  return 0
}
