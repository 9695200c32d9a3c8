import { caseIdOf, formatLocation, locationOf } from '../datasets/case-id.js'
import { ConfigError, DatasetError } from '../errors/index.js'
import { printValue } from '../print-value.js'

/** One dataset row ready to become a test: its stable id and test name. */
export interface EvalCase<Row> {
  id: string
  name: string
  row: Row
}

const MAX_VALUE_CHARS = 80

function fieldValue(row: unknown, keys: readonly string[]): unknown {
  let value: unknown = row
  for (const key of keys) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
  return value
}

function display(value: unknown): string {
  // The usual values (a short id or question without runs of whitespace, a number) print as they are: the
  // same text as the general path below, without it (collection builds thousands of names).
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'string' && value.length <= MAX_VALUE_CHARS && !NEEDS_FLATTENING.test(value)) return value
  const text = printValue(value, { maxChars: MAX_VALUE_CHARS * 4 })
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_VALUE_CHARS ? `${flat.slice(0, MAX_VALUE_CHARS - 1)}…` : flat
}

/** Text `.replace(/\s+/g, ' ').trim()` would change: any whitespace but a single space between words. */
const NEEDS_FLATTENING = /[^\S ]| {2}|^ | $/

const PLACEHOLDER = /\$([\p{ID_Continue}.]+)/gu

/** A name template split once (a suite's rows share it): its literal text around each `$path` placeholder. */
interface CompiledTemplate {
  /** Literal text: one more than placeholders. */
  texts: string[]
  placeholders: { text: string; path: string; keys: string[] }[]
}

function compileTemplate(template: string): CompiledTemplate {
  const compiled: CompiledTemplate = { texts: [], placeholders: [] }
  let at = 0
  for (const match of template.matchAll(PLACEHOLDER)) {
    const path = match[1] as string
    compiled.texts.push(template.slice(at, match.index))
    compiled.placeholders.push({ text: match[0], path, keys: path.split('.') })
    at = match.index + match[0].length
  }
  compiled.texts.push(template.slice(at))
  return compiled
}

function fillTemplate({ texts, placeholders }: CompiledTemplate, row: unknown, id: string): string {
  let name = texts[0] as string
  for (let index = 0; index < placeholders.length; index++) {
    const { text, path, keys } = placeholders[index] as CompiledTemplate['placeholders'][number]
    const value = fieldValue(row, keys)
    name += (value === undefined ? (path === 'id' ? id : text) : display(value)) + (texts[index + 1] as string)
  }
  return name
}

/**
 * A test name from a template: `$field` (or `$a.b`) is replaced by the row's value, `$id` by the case id
 * when the row has no `id` field. Long values are cut to 80 characters.
 */
export function formatCaseName(template: string, row: unknown, id: string): string {
  return fillTemplate(compileTemplate(template), row, id)
}

/**
 * Turns rows into cases with stable ids and unique test names (test names key cassette recordings, so
 * they never come from random or time values). Names that two rows would share get ` [case id]`.
 * Duplicate ids are a `DatasetError` naming both rows.
 */
export function toEvalCases<Row>(rows: readonly Row[], template: string, idField = 'id'): EvalCase<Row>[] {
  if (!Array.isArray(rows)) throw new DatasetError(`evalEach / describeEval need an array of rows (e.g. from loadDataset), got ${rows === null ? 'null' : typeof rows}.`)
  if (typeof template !== 'string') throw new ConfigError(`evalEach / describeEval need a test name template that is a string, such as 'case $id', got ${template === null ? 'null' : typeof template}.`)
  const firstRow = new Map<string, number>()
  const compiled = compileTemplate(template)
  const cases = rows.map((row, index) => {
    const id = caseIdOf(row, idField)
    const first = firstRow.get(id)
    if (first !== undefined) {
      const where = (at: number) => { const location = locationOf(rows[at]); return location ? formatLocation(location) : `row ${at + 1}` }
      throw new DatasetError(`Two rows have the case id "${id}": ${where(first)} and ${where(index)}. Case ids key test names, cassettes and score history: give each row a unique "${idField}" field, or remove the copy.`)
    }
    firstRow.set(id, index)
    return { id, name: fillTemplate(compiled, row, id), row }
  })
  // Usually every name is unique: one pass finds out, and only names that clash are rewritten.
  const names = new Set<string>()
  const clashing = new Set<string>()
  for (const each of cases) {
    if (names.has(each.name)) clashing.add(each.name)
    else names.add(each.name)
  }
  return clashing.size === 0 ? cases : cases.map((each) => (clashing.has(each.name) ? { ...each, name: `${each.name} [${each.id}]` } : each))
}
