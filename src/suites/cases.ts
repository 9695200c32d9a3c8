import { caseIdOf, formatLocation, locationOf } from '../datasets/case-id.js'
import { DatasetError } from '../errors/index.js'
import { printValue } from '../print-value.js'

/** One dataset row ready to become a test: its stable id and test name. */
export interface EvalCase<Row> {
  id: string
  name: string
  row: Row
}

const MAX_VALUE_CHARS = 80

function fieldValue(row: unknown, path: string): unknown {
  let value: unknown = row
  for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
  return value
}

function display(value: unknown): string {
  const text = printValue(value, { maxChars: MAX_VALUE_CHARS * 4 })
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_VALUE_CHARS ? `${flat.slice(0, MAX_VALUE_CHARS - 1)}…` : flat
}

/**
 * A test name from a template: `$field` (or `$a.b`) is replaced by the row's value, `$id` by the case id
 * when the row has no `id` field. Long values are cut to 80 characters.
 */
export function formatCaseName(template: string, row: unknown, id: string): string {
  return template.replace(/\$([\p{ID_Continue}.]+)/gu, (placeholder, path: string) => {
    const value = fieldValue(row, path)
    if (value === undefined) return path === 'id' ? id : placeholder
    return display(value)
  })
}

/**
 * Turns rows into cases with stable ids and unique test names (test names key cassette recordings, so
 * they never come from random or time values). Names that two rows would share get ` [case id]`.
 * Duplicate ids are a `DatasetError` naming both rows.
 */
export function toEvalCases<Row>(rows: readonly Row[], template: string, idField = 'id'): EvalCase<Row>[] {
  if (!Array.isArray(rows)) throw new DatasetError(`evalEach / describeEval need an array of rows (e.g. from loadDataset), got ${rows === null ? 'null' : typeof rows}.`)
  const firstRow = new Map<string, number>()
  const cases = rows.map((row, index) => {
    const id = caseIdOf(row, idField)
    const first = firstRow.get(id)
    if (first !== undefined) {
      const where = (at: number) => { const location = locationOf(rows[at]); return location ? formatLocation(location) : `row ${at + 1}` }
      throw new DatasetError(`Two rows have the case id "${id}": ${where(first)} and ${where(index)}. Case ids key test names, cassettes and score history: give each row a unique "${idField}" field, or remove the copy.`)
    }
    firstRow.set(id, index)
    return { id, name: formatCaseName(template, row, id), row }
  })
  const count = new Map<string, number>()
  for (const each of cases) count.set(each.name, (count.get(each.name) ?? 0) + 1)
  return cases.map((each) => ((count.get(each.name) ?? 0) > 1 ? { ...each, name: `${each.name} [${each.id}]` } : each))
}
