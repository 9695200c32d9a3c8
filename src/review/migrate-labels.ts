// Scopes the legacy lines of a labels file (written before labels had a suite): each gets the suite its case id
// is in when the latest run has that id in exactly one suite. Every other byte of the file is kept: other lines,
// unknown fields, unreadable lines, order and line endings; a migrated line only gains `"suite"` before its `}`.
import { existsSync } from 'node:fs'
import { updateFileAtomic, withFileLock } from '../atomic-files.js'
import { LabelsError } from '../errors/index.js'
import { humanLabelSchema, readLabelsText, suiteKey } from './labels-file.js'

/** A legacy line the migration scopes (or would, on a dry run). */
export interface MigratedLabel {
  line: number
  caseId: string
  metric: string
  suite: string
}

/** A legacy line left as it is: its case id is in several suites of the run, or in none. */
export interface UnmigratedLabel {
  line: number
  caseId: string
  metric: string
  /** The suites the case id is in (empty: not in the run). */
  suites: string[]
}

/** What a migration does to a labels file. */
export interface LabelsMigration {
  /** The file's new text (the same text when nothing is migrated). */
  text: string
  migrated: MigratedLabel[]
  /** Case id in several suites: the line applies to none of them until it is relabelled or given a suite by hand. */
  ambiguous: UnmigratedLabel[]
  /** Case id not in the run (a removed case, or a run of other files): the line still applies wherever the id is in one suite. */
  unknown: UnmigratedLabel[]
}

/** The line with `"suite"` added: before its closing brace, or in place of an empty `suite`. */
function withSuite(text: string, value: Record<string, unknown>, suite: string): string {
  if (Object.hasOwn(value, 'suite')) return text.replace(text.trim(), () => printedWithSuite(text, value, suite))
  const end = text.lastIndexOf('}')
  return `${text.slice(0, end)},"suite":${JSON.stringify(suite)}${text.slice(end)}`
}

/**
 * The label printed again with its suite. A line too deeply nested to print again (an unknown field of 100,000 levels)
 * gets the suite in place of its one empty `"suite": ""` instead: its other bytes are kept as they are.
 */
function printedWithSuite(text: string, value: Record<string, unknown>, suite: string): string {
  try {
    return JSON.stringify({ ...value, suite })
  } catch (error) {
    const empty = /"suite"\s*:\s*""/g
    if (!(error instanceof RangeError)) throw error
    if (text.match(empty)?.length !== 1) throw new LabelsError(`A label line of case ${JSON.stringify(String(value['caseId']).slice(0, 200))} is nested too deeply to write again (${error.message}). Remove its unknown fields by hand, then migrate again.`)
    return text.trim().replace(empty, () => `"suite":${JSON.stringify(suite)}`)
  }
}

/**
 * Plans the migration of a labels file's text against the suites of each case id in a run (`suitesByCase`
 * of the run's cases, with the history's suite names). Pure.
 *
 * @example
 * const { text, migrated, ambiguous } = planLabelsMigration(readFileSync(file, 'utf8'), suites)
 */
export function planLabelsMigration(text: string, suites: ReadonlyMap<string, ReadonlySet<string>>): LabelsMigration {
  const migration: LabelsMigration = { text, migrated: [], ambiguous: [], unknown: [] }
  const lines = text.split('\n').map((line, index) => {
    if (line.trim() === '') return line
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      return line
    }
    const parsed = humanLabelSchema().safeParse(value)
    if (!parsed.success || parsed.data.suite) return line
    const { caseId, metric } = parsed.data
    const found = [...(suites.get(caseId) ?? [])]
    const where = { line: index + 1, caseId, metric }
    if (found.length === 1) {
      const suite = found[0] as string
      migration.migrated.push({ ...where, suite })
      return withSuite(line, value as Record<string, unknown>, suite)
    }
    ;(found.length ? migration.ambiguous : migration.unknown).push({ ...where, suites: found })
    return line
  })
  migration.text = lines.join('\n')
  return migration
}

/**
 * Migrates a labels file in place (see {@link planLabelsMigration}): under the file's lock, written atomically
 * (readers see the old file or the new one), guarded against live credentials, and recomputed when another
 * writer changed the file meanwhile, so a label appended during the migration is never lost. With `dryRun`,
 * or when no line needs a suite, nothing is written. A missing file has nothing to migrate.
 *
 * @example
 * const result = migrateLabelsFile('evals/labels.jsonl', suitesByCase(latestRun.cases ?? []), { dryRun: false })
 */
export function migrateLabelsFile(file: string, suites: ReadonlyMap<string, ReadonlySet<string>>, options: { dryRun: boolean }): LabelsMigration & { written: boolean } {
  const keyed = new Map([...suites].map(([caseId, names]) => [caseId, new Set([...names].map((name) => suiteKey(name)))]))
  const plan = (text: string) => planLabelsMigration(text, keyed)
  if (!existsSync(file)) return { ...plan(''), written: false }
  if (options.dryRun) return { ...plan(readLabelsText(file)), written: false }
  return withFileLock(file, () => {
    let result = plan(readLabelsText(file))
    if (!result.migrated.length) return { ...result, written: false }
    updateFileAtomic(file, (current) => {
      result = plan(current ?? '')
      return result.text
    })
    return { ...result, written: true }
  })
}
