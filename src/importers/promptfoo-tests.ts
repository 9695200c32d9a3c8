import { asRecord, type ImportedCheck, type ImportedRow, type NotImported } from './checks.js'
import { mapPromptfooAssertion } from './promptfoo-assertions.js'

/** A promptfoo test case as read from the config or a tests file, with where it came from. */
export interface PromptfooTest {
  /** e.g. `promptfooconfig.yaml:12 tests[0]` or `tests.csv:3`. */
  where: string
  description?: string
  vars: Record<string, unknown>
  assert: { where: string; value: Record<string, unknown> }[]
}

/** What the test mapper accumulates across tests. */
export interface TestMappingState {
  rows: ImportedRow[]
  notImported: NotImported[]
  notes: string[]
  /** Places already listed as not imported (a defaultTest assertion is listed once, not per test). */
  listed: Set<string>
}

/** Assertion types a `type: value` cell may name; any other text (e.g. `https://…`, `Note: …`) is an exact answer. */
const CELL_TYPES = new Set(['equals', 'contains', 'icontains', 'starts-with', 'regex', 'contains-any', 'contains-all', 'icontains-any', 'icontains-all', 'is-json', 'contains-json', 'similar', 'similar:cosine', 'bleu', 'rouge-n', 'levenshtein', 'llm-rubric', 'g-eval', 'factuality', 'model-graded-closedqa', 'answer-relevance', 'javascript', 'python', 'latency', 'cost', 'perplexity', 'classifier', 'moderation', 'webhook', 'is-xml', 'contains-xml', 'is-sql', 'contains-sql', 'is-html', 'contains-html'])

const EXPECTED_PREFIXES: Record<string, string> = { 'grade:': 'llm-rubric', 'fn:': 'javascript', 'javascript:': 'javascript', 'python:': 'python', 'eval:': 'javascript' }

/**
 * A CSV `__expected` cell as an assertion: `contains: Paris`, `grade: Is polite`, `fn: …`, `is-json`,
 * `similar(0.8): text`, else an exact `equals`.
 *
 * @example
 * expectedCellAssertion('icontains: paris') // { type: 'icontains', value: 'paris' }
 */
export function expectedCellAssertion(cell: string): Record<string, unknown> {
  for (const [prefix, type] of Object.entries(EXPECTED_PREFIXES)) if (cell.startsWith(prefix)) return { type, value: cell.slice(prefix.length).trim() }
  const match = /^(not-)?([a-z][a-z-]*(?::[a-z]+)?)(?:\(([\d.]+)\))?:\s?([\s\S]*)$/.exec(cell)
  if (match && CELL_TYPES.has(match[2] ?? '')) {
    const threshold = match[3] === undefined ? {} : { threshold: Number(match[3]) }
    return { type: `${match[1] ?? ''}${match[2]}`, value: match[4], ...threshold }
  }
  if (/^(not-)?(is|contains)-json$/.test(cell.trim())) return { type: cell.trim() }
  return { type: 'equals', value: cell }
}

/**
 * A row of a promptfoo tests CSV as a test: `__expected…` columns are assertions, `__description` the
 * description, other `__` columns are dropped, the rest are vars.
 *
 * @example
 * csvTest({ question: 'Capital of France?', __expected: 'contains: Paris' }, 'tests.csv:2')
 */
export function csvTest(record: Record<string, unknown>, where: string): PromptfooTest {
  const vars: Record<string, unknown> = {}
  const assert: PromptfooTest['assert'] = []
  let description: string | undefined
  for (const [column, value] of Object.entries(record)) {
    if (column.startsWith('__expected')) {
      if (typeof value === 'string' && value.trim() !== '') assert.push({ where: `${where} ${column}`, value: expectedCellAssertion(value) })
    } else if (column === '__description') description = typeof value === 'string' ? value : undefined
    else if (!column.startsWith('__')) vars[column] = value
  }
  return { where, vars, assert, ...(description ? { description } : {}) }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48)
}

/** A case id: the description as a slug, else `case-N`, unique within the import. */
function caseId(test: PromptfooTest, index: number, taken: Set<string>): string {
  const base = (test.description && slug(test.description)) || `case-${index + 1}`
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  taken.add(id)
  return id
}

const EXPECTED_FROM: ReadonlySet<ImportedCheck['type']> = new Set(['similar', 'factual'])

/**
 * Adds one test (merged with the defaultTest's vars and assertions) to the import as a dataset row.
 *
 * @example
 * addPromptfooTest(state, test, defaults, new Set())
 */
export function addPromptfooTest(state: TestMappingState, test: PromptfooTest, defaults: Omit<PromptfooTest, 'where'>, ids: Set<string>): void {
  const vars = { ...defaults.vars, ...test.vars }
  const lists = Object.keys(vars).filter((key) => Array.isArray(vars[key]))
  const files = Object.keys(vars).filter((key) => typeof vars[key] === 'string' && String(vars[key]).startsWith('file://'))
  if (files.length) state.notes.push(`${test.where}: vars ${files.join(', ')} are read from files by promptfoo; imported as the file:// text: put the contents in the dataset`)
  if (lists.length) state.notes.push(`${test.where}: vars ${lists.join(', ')} hold lists, which promptfoo expands into one test per value; imported as one case with the list: split it into rows by hand`)
  const checks: ImportedCheck[] = []
  for (const assertion of [...defaults.assert, ...test.assert]) {
    const name = typeof assertion.value.metric === 'string' ? assertion.value.metric : String(assertion.value.type ?? 'assert')
    const mapped = mapPromptfooAssertion(assertion.value, vars, name)
    if ('check' in mapped) {
      checks.push(mapped.check)
      if (mapped.note && !state.notes.includes(mapped.note)) state.notes.push(mapped.note)
    } else if (!state.listed.has(assertion.where)) {
      state.listed.add(assertion.where)
      state.notImported.push({ where: assertion.where, ...mapped.skipped })
    }
  }
  const text = checks.find((check) => check.type === 'text' && check.operation === 'equals' && !check.negate)
  const reference = checks.find((check) => EXPECTED_FROM.has(check.type))
  const expected = text?.type === 'text' ? String(text.value) : reference?.type === 'similar' ? reference.expected : reference?.type === 'factual' ? reference.reference : undefined
  state.rows.push({
    id: caseId(test, state.rows.length, ids),
    ...(test.description ? { description: test.description } : {}),
    input: vars,
    ...(expected === undefined ? {} : { expected }),
    checks,
  })
}

/**
 * The `assert` list of a test object, each with its place (`place(i)`, e.g. `file:14 tests[1].assert[i]`).
 *
 * @example
 * assertionsOf({ assert: [{ type: 'contains', value: 'Paris' }] }, (i) => `c.yaml tests[0].assert[${i}]`)
 */
export function assertionsOf(test: Record<string, unknown>, place: (index: number) => string): PromptfooTest['assert'] {
  const list = Array.isArray(test.assert) ? test.assert : []
  return list.map((value, index) => ({ where: place(index), value: asRecord(value) ?? { type: String(value) } }))
}
