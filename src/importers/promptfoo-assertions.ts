import { asRecord, renderTemplate, type ImportedCheck, type NotImported, type TextOperation } from './checks.js'

/** The outcome of mapping one promptfoo assertion: a check, or why it is not imported. */
export type AssertionMapping = { check: ImportedCheck; note?: string } | { skipped: Omit<NotImported, 'where'> }

const TEXT: Record<string, { operation: TextOperation; ignoreCase: boolean }> = {
  equals: { operation: 'equals', ignoreCase: false },
  contains: { operation: 'contains', ignoreCase: false },
  icontains: { operation: 'contains', ignoreCase: true },
  'starts-with': { operation: 'starts-with', ignoreCase: false },
  regex: { operation: 'regex', ignoreCase: false },
  'contains-any': { operation: 'contains-any', ignoreCase: false },
  'contains-all': { operation: 'contains-all', ignoreCase: false },
  'icontains-any': { operation: 'contains-any', ignoreCase: true },
  'icontains-all': { operation: 'contains-all', ignoreCase: true },
}

const CODE_TYPES = new Set(['javascript', 'python', 'ruby', 'webhook'])

const HOW: Record<string, string> = {
  levenshtein: "promptfoo's threshold is an edit distance, not a 0..1 score: use toBeSimilarTo(expected, { method: 'levenshtein', threshold }) with a share (1 − distance ÷ length)",
  'rouge-n': "this library scores ROUGE-L only: use toBeSimilarTo(expected, { method: 'rouge-l', threshold }) and re-check the threshold",
  'answer-relevance': 'use expect(output).toBeRelevantTo(question) in a scorer',
  'context-faithfulness': 'use expect(output).toBeGroundedIn(context) in a scorer',
  latency: 'time the task yourself and return { metric: "latency", score } from a scorer',
  cost: 'token usage is on each score record (usage); gate on it in a scorer if needed',
}

function list(value: unknown, vars: Record<string, unknown>): string[] | undefined {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? [value] : undefined
  if (!items?.every((item) => typeof item === 'string' || typeof item === 'number')) return undefined
  return items.map((item) => renderTemplate(String(item), vars))
}

function skip(type: string, why: string, todo: string, code?: unknown): AssertionMapping {
  return { skipped: { type, why, todo, ...(code === undefined ? {} : { code: typeof code === 'string' ? code : JSON.stringify(code, null, 2) }) } }
}

function schemaOf(value: unknown): Record<string, unknown> | undefined | 'bad' {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'string') {
    try {
      return asRecord(JSON.parse(value)) ?? 'bad'
    } catch {
      return 'bad'
    }
  }
  return asRecord(value) ?? 'bad'
}

/**
 * Maps one promptfoo assertion (`{ type, value, threshold }`) to a check, with `{{var}}` in its value
 * rendered from the test's vars; code and provider-specific assertions come back as skipped.
 *
 * @example
 * mapPromptfooAssertion({ type: 'icontains', value: '{{city}}' }, { city: 'Paris' }, 'contains')
 */
export function mapPromptfooAssertion(assertion: Record<string, unknown>, vars: Record<string, unknown>, name: string): AssertionMapping {
  const rawType = typeof assertion.type === 'string' ? assertion.type : ''
  const negate = rawType.startsWith('not-')
  const type = negate ? rawType.slice(4) : rawType
  const value = assertion.value
  const threshold = typeof assertion.threshold === 'number' ? assertion.threshold : undefined
  if (assertion.transform !== undefined) return skip(rawType, 'it transforms the output first (transform)', 'apply the transform to the output in the scorer, then the check', assertion.transform)
  if (CODE_TYPES.has(type)) return skip(rawType, 'custom code is not translated', 'port the code into a scorer: (output, { row }) => ({ metric, score, pass })', value)
  if (typeof value === 'string' && value.startsWith('file://')) return skip(rawType, `its value is read from ${value}`, 'inline the value, or read the file in a scorer', value)
  const text = TEXT[type]
  if (text) {
    const values = list(value, vars)
    if (!values?.length) return skip(rawType, 'its value is not a string or a list of strings', 'write the check by hand in a scorer', value)
    const many = text.operation === 'contains-any' || text.operation === 'contains-all'
    return { check: { type: 'text', name, operation: text.operation, value: many ? values : (values[0] ?? ''), ignoreCase: text.ignoreCase, negate } }
  }
  if (negate) return skip(rawType, `the negation of "${type}" has no direct counterpart`, `use .not with the matching matcher, e.g. expect(output).not.toBeSimilarTo(…)`, value)
  if (type === 'is-json' || type === 'contains-json') {
    const schema = schemaOf(value)
    if (schema === 'bad') return skip(rawType, 'its schema is not a JSON schema object', 'write the zod schema by hand and use toMatchSchema', value)
    return { check: { type: 'json', name, whole: type === 'is-json', ...(schema ? { schema } : {}) } }
  }
  if (type === 'similar' || type === 'similar:cosine' || type === 'bleu') {
    const values = list(value, vars)
    if (!values?.length) return skip(rawType, 'its value is not a string', 'write toBeSimilarTo by hand', value)
    const method = type === 'bleu' ? 'bleu' : 'embedding'
    const note = values.length > 1 ? `${name}: promptfoo passes when any of ${values.length} references is similar; only the first was imported` : undefined
    return { check: { type: 'similar', name, expected: values[0] ?? '', method, threshold: threshold ?? (type === 'bleu' ? 0.5 : 0.75) }, ...(note ? { note } : {}) }
  }
  if (type === 'llm-rubric' || type === 'g-eval' || type === 'model-graded-closedqa') {
    const criteria = list(value, vars)
    if (!criteria?.length) return skip(rawType, 'its rubric is not text', 'write toSatisfyRubric by hand', value)
    const rubric = type === 'model-graded-closedqa' ? `The output meets this criterion: ${criteria.join(' ')}` : criteria.join('\n')
    return { check: { type: 'rubric', name, rubric, ...(threshold === undefined ? {} : { threshold }) } }
  }
  if (type === 'factuality') {
    const reference = list(value, vars)?.[0]
    if (!reference) return skip(rawType, 'it has no reference text', 'write toBeFactual({ reference }) by hand', value)
    return { check: { type: 'factual', name, reference } }
  }
  const how = HOW[type]
  return skip(rawType || '(no type)', how ? 'it has no direct counterpart' : 'this assertion type is not supported by the importer', how ?? 'write the check by hand in a scorer', value)
}
