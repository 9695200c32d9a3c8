import { stringSimilarity } from '../metrics/similarity/dice.js'
import { caseIdOf } from './case-id.js'
import { requireRows } from './rows-argument.js'
import { pushTo } from '../collections.js'
import { groupThousands } from '../format-number.js'

/** A field name, or a function reading the value from a row. */
export type FieldReader<Row> = string | ((row: Row) => unknown)

/** Options of {@link inspectDataset}. */
export interface InspectDatasetOptions<Row> {
  /** The class label (e.g. `label`, `intent`): counts per label and class-imbalance warnings. */
  label?: FieldReader<Row>
  /** The task a row belongs to, for per-task counts (default: one task for all rows). */
  task?: FieldReader<Row>
  /** Text compared for duplicates and leakage (default: every string field but the id, label and task). */
  text?: FieldReader<Row> | readonly string[]
  /**
   * What the rows are for: `eval` (default) warns under 30 examples per task, where a pass rate is known only
   * roughly; `training` warns under 1,000 per task, the minimum fine-tuning guides recommend.
   */
  purpose?: 'eval' | 'training'
  /** Warn when a task has fewer examples (default 30 for eval sets, 1,000 for training data). */
  minPerTask?: number
  /** Warn when the largest class is more than this many times the smallest (default 3). */
  imbalanceRatio?: number
  /** Dice similarity from which two texts count as near-duplicates (default 0.9). */
  nearDuplicate?: number
  /** Warn on string fields longer than this (default 10,000 characters). */
  maxFieldChars?: number
  /** A training set: rows of this dataset found there (exactly or nearly) are reported as leakage. */
  against?: readonly Row[]
  /** Upper bound on pairwise comparisons for near-duplicates and leakage (default 2,000,000). */
  maxComparisons?: number
}

/** Counts of one task. */
export interface TaskCounts {
  task: string
  rows: number
  labels: Record<string, number>
}

/** What {@link inspectDataset} found. */
export interface DatasetReport {
  rows: number
  tasks: TaskCounts[]
  exactDuplicates: string[][]
  nearDuplicates: { ids: [string, string]; similarity: number }[]
  leakage: { id: string; trainingId: string; similarity: number }[]
  emptyFields: { id: string; field: string }[]
  longFields: { id: string; field: string; chars: number }[]
  /** Stopped comparing pairs at `maxComparisons`: near-duplicate and leakage lists may be incomplete. */
  comparisonsCapped: boolean
  warnings: string[]
}

const read = <Row>(row: Row, reader: FieldReader<Row>): unknown => (typeof reader === 'function' ? reader(row) : (row as Record<string, unknown>)?.[reader])
const normalize = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim()

function textOf<Row>(row: Row, options: InspectDatasetOptions<Row>): string {
  if (typeof options.text === 'string' || typeof options.text === 'function') return String(read(row, options.text) ?? '')
  const skip = new Set(['id', typeof options.label === 'string' ? options.label : '', typeof options.task === 'string' ? options.task : ''])
  const fields = Array.isArray(options.text) ? options.text : Object.keys((row ?? {}) as object).filter((field) => !skip.has(field))
  return fields.map((field) => (row as Record<string, unknown>)[field]).filter((value): value is string => typeof value === 'string').join('\n')
}

function countTasks<Row>(rows: readonly Row[], options: InspectDatasetOptions<Row>): TaskCounts[] {
  const tasks = new Map<string, TaskCounts>()
  for (const row of rows) {
    const task = options.task === undefined ? '(all)' : String(read(row, options.task) ?? '(none)')
    const counts = tasks.get(task) ?? { task, rows: 0, labels: {} }
    counts.rows += 1
    if (options.label !== undefined) {
      const label = String(read(row, options.label) ?? '(none)')
      counts.labels[label] = (counts.labels[label] ?? 0) + 1
    }
    tasks.set(task, counts)
  }
  return [...tasks.values()].sort((a, b) => a.task.localeCompare(b.task))
}

function fieldProblems<Row>(rows: readonly Row[], ids: readonly string[], maxChars: number) {
  const emptyFields: DatasetReport['emptyFields'] = []
  const longFields: DatasetReport['longFields'] = []
  rows.forEach((row, index) => {
    if (typeof row !== 'object' || row === null) return
    for (const [field, value] of Object.entries(row)) {
      const id = ids[index] ?? ''
      if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) emptyFields.push({ id, field })
      else if (typeof value === 'string' && value.length > maxChars) longFields.push({ id, field, chars: value.length })
    }
  })
  return { emptyFields, longFields }
}

interface Comparable {
  id: string
  text: string
  /** Character bigrams the Dice coefficient counts (`string-similarity` ignores whitespace). */
  bigrams: number
}

const comparable = (id: string, text: string): Comparable => ({ id, text, bigrams: Math.max(0, text.replace(/\s+/g, '').length - 1) })

/**
 * Pairs at least `threshold` similar (Dice on character bigrams). Texts are sorted by length: Dice is at
 * most 2·shorter / (shorter + longer), so the inner loop stops once lengths are too far apart.
 */
function similarPairs(left: readonly Comparable[], right: readonly Comparable[] | undefined, threshold: number, budget: { left: number }) {
  const pairs: { a: string; b: string; similarity: number }[] = []
  const others = [...(right ?? left)].sort((a, b) => a.bigrams - b.bigrams)
  const own = right === undefined
  const sorted = own ? others : [...left].sort((a, b) => a.bigrams - b.bigrams)
  for (const [index, a] of sorted.entries()) {
    for (let j = own ? index + 1 : 0; j < others.length; j++) {
      const b = others[j] as Comparable
      const [short, long] = a.bigrams <= b.bigrams ? [a.bigrams, b.bigrams] : [b.bigrams, a.bigrams]
      if (long > 0 && (2 * short) / (short + long) < threshold) {
        if (b.bigrams > a.bigrams) break
        continue
      }
      if (budget.left-- <= 0) return { pairs, capped: true }
      const similarity = stringSimilarity().compareTwoStrings(a.text, b.text)
      if (similarity >= threshold && normalize(a.text) !== normalize(b.text)) pairs.push({ a: a.id, b: b.id, similarity })
    }
  }
  return { pairs, capped: false }
}

function exactGroups(items: readonly Comparable[]): string[][] {
  const groups = new Map<string, string[]>()
  for (const item of items) {
    const key = normalize(item.text)
    if (key !== '') pushTo(groups, key, item.id)
  }
  return [...groups.values()].filter((ids) => ids.length > 1)
}

/** How roughly a pass rate over `rows` cases is known: the widest 95% margin (at a 50% rate, normal approximation). */
function passRateMargin(rows: number): string {
  if (rows === 0) return ''
  return ` (a pass rate over ${rows} case${rows === 1 ? '' : 's'} is known only to about ±${Math.min(50, Math.round(196 * Math.sqrt(0.25 / rows)))} points)`
}

function warningsOf(report: Omit<DatasetReport, 'warnings'>, options: InspectDatasetOptions<unknown>): string[] {
  const warnings: string[] = []
  // No task is counted over no rows: without this, an empty file (a wrong path, a failed export) reported nothing.
  if (report.rows === 0) warnings.push('the dataset has no rows: check that the file is the right one and not empty')
  const training = options.purpose === 'training'
  const minPerTask = options.minPerTask ?? (training ? 1000 : 30)
  const ratio = options.imbalanceRatio ?? 3
  for (const task of report.tasks) {
    const name = task.task === '(all)' ? 'the dataset' : `task "${task.task}"`
    if (task.rows < minPerTask) warnings.push(`${name} has ${task.rows} examples; at least ${groupThousands(minPerTask)} per task are recommended${training ? ' for training data' : ` for evals${passRateMargin(task.rows)}`}`)
    const counts = Object.entries(task.labels).sort((a, b) => b[1] - a[1])
    const [largest, smallest] = [counts[0], counts.at(-1)]
    if (largest && smallest && counts.length > 1 && largest[1] / smallest[1] > ratio) {
      warnings.push(`labels in ${name} are imbalanced: "${largest[0]}" ${largest[1]} vs "${smallest[0]}" ${smallest[1]} (ratio ${(largest[1] / smallest[1]).toFixed(1)} > ${ratio}); see oversample()`)
    }
  }
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`
  if (report.exactDuplicates.length) warnings.push(`${count(report.exactDuplicates.length, 'group')} of exact duplicates`)
  if (report.nearDuplicates.length) warnings.push(`${count(report.nearDuplicates.length, 'near-duplicate pair')} (similarity >= ${options.nearDuplicate ?? 0.9})`)
  if (report.leakage.length) warnings.push(`${count(report.leakage.length, 'row')} also in the training set (leakage)`)
  if (report.emptyFields.length) warnings.push(`${count(report.emptyFields.length, 'empty field')}`)
  if (report.longFields.length) warnings.push(`${count(report.longFields.length, 'field')} over ${groupThousands(options.maxFieldChars ?? 10_000)} characters`)
  if (report.comparisonsCapped) warnings.push(`stopped after ${groupThousands(options.maxComparisons ?? 2_000_000)} comparisons: near-duplicate and leakage lists may be incomplete (raise maxComparisons)`)
  return warnings
}

/**
 * Health check of a dataset: counts per task and label, too-few-examples and class-imbalance warnings,
 * exact and near duplicates, overlap with a training set (leakage), empty and over-long fields.
 *
 * @example
 * const report = inspectDataset(rows, { label: 'intent', against: trainingRows })
 * for (const warning of report.warnings) console.warn(warning)
 */
export function inspectDataset<Row>(rows: readonly Row[], options: InspectDatasetOptions<Row> = {}): DatasetReport {
  requireRows(rows, 'inspectDataset(rows)', inspectDataset)
  if (options.against !== undefined) requireRows(options.against, 'inspectDataset(rows, { against })', inspectDataset, 'the training rows as an array')
  const ids = rows.map((row) => caseIdOf(row))
  const items = rows.map((row, index) => comparable(ids[index] ?? '', textOf(row, options)))
  const threshold = options.nearDuplicate ?? 0.9
  const budget = { left: options.maxComparisons ?? 2_000_000 }
  const near = similarPairs(items, undefined, threshold, budget)
  const training = options.against?.map((row) => comparable(caseIdOf(row), textOf(row, options)))
  const trainingByText = new Map(training?.map((item) => [normalize(item.text), item.id]))
  const exactLeaks = training ? items.flatMap((item) => (trainingByText.has(normalize(item.text)) ? [{ id: item.id, trainingId: trainingByText.get(normalize(item.text)) ?? '', similarity: 1 }] : [])) : []
  const nearLeaks = training ? similarPairs(items, training, threshold, budget) : { pairs: [], capped: false }
  const report = {
    rows: rows.length,
    tasks: countTasks(rows, options),
    exactDuplicates: exactGroups(items),
    nearDuplicates: near.pairs.map((pair) => ({ ids: [pair.a, pair.b] as [string, string], similarity: pair.similarity })),
    leakage: [...exactLeaks, ...nearLeaks.pairs.map((pair) => ({ id: pair.a, trainingId: pair.b, similarity: pair.similarity }))],
    ...fieldProblems(rows, ids, options.maxFieldChars ?? 10_000),
    comparisonsCapped: near.capped || nearLeaks.capped,
  }
  return { ...report, warnings: [...missingFields(rows, options), ...warningsOf(report, options as InspectDatasetOptions<unknown>)] }
}

/** A field named in the options (`label`, `task`, `text`) that no row has: a typo, which would otherwise only make counts look odd. */
function missingFields<Row>(rows: readonly Row[], options: InspectDatasetOptions<Row>): string[] {
  if (rows.length === 0) return []
  const named: [string, string][] = []
  if (typeof options.label === 'string') named.push(['label', options.label])
  if (typeof options.task === 'string') named.push(['task', options.task])
  if (typeof options.text === 'string') named.push(['text', options.text])
  else if (Array.isArray(options.text)) for (const field of options.text as readonly string[]) named.push(['text', field])
  const has = (field: string) => rows.some((row) => row !== null && typeof row === 'object' && Object.hasOwn(row, field))
  return named.filter(([, field]) => !has(field)).map(([option, field]) => `no row has the field ${JSON.stringify(field)} (given as ${option}): check its name`)
}
