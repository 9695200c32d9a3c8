import type { ImportedCheck, ImportedRow } from './checks.js'

type CheckType = ImportedCheck['type']

/** The zod variant of each check type, as it appears in the generated `Check` union. */
const VARIANTS: Record<CheckType, string> = {
  text: "z.object({ type: z.literal('text'), name: z.string(), operation: z.enum(['equals', 'contains', 'starts-with', 'ends-with', 'regex', 'contains-any', 'contains-all']), value: z.union([z.string(), z.array(z.string())]), ignoreCase: z.boolean(), negate: z.boolean() })",
  similar: "z.object({ type: z.literal('similar'), name: z.string(), expected: z.string(), method: z.enum(['dice', 'levenshtein', 'rouge-l', 'bleu', 'embedding']), threshold: z.number() })",
  json: "z.object({ type: z.literal('json'), name: z.string(), whole: z.boolean(), schema: z.record(z.string(), z.unknown()).optional() })",
  rubric: "z.object({ type: z.literal('rubric'), name: z.string(), rubric: z.string(), threshold: z.number().optional(), scale: z.tuple([z.number(), z.number()]).optional() })",
  label: "z.object({ type: z.literal('label'), name: z.string(), labels: z.array(z.string()), passing: z.array(z.string()), model: z.string().optional(), question: z.string().optional() })",
  factual: "z.object({ type: z.literal('factual'), name: z.string(), reference: z.string() })",
}

/** Helper functions the scorers of each check type need, placed above the suite. */
const HELPERS: Partial<Record<CheckType, string>> = {
  text: `/** A string check: exact, substring, prefix, suffix, regex, any / all of several. */
function passesText(output: string, check: CheckOf<'text'>): boolean {
  const fold = (text: string) => (check.ignoreCase ? text.toLowerCase() : text)
  const text = fold(output)
  const values = (Array.isArray(check.value) ? check.value : [check.value]).map(fold)
  const first = values[0] ?? ''
  const found = {
    equals: () => text === first,
    contains: () => text.includes(first),
    'starts-with': () => text.startsWith(first),
    'ends-with': () => text.endsWith(first),
    regex: () => new RegExp(Array.isArray(check.value) ? (check.value[0] ?? '') : check.value, check.ignoreCase ? 'i' : '').test(output),
    'contains-any': () => values.some((value) => text.includes(value)),
    'contains-all': () => values.every((value) => text.includes(value)),
  }[check.operation]()
  return found !== check.negate
}

/** All string checks of a row as one score: the share that pass. */
function textScore(output: string, row: Case): ScoreResult | undefined {
  const checks = checksOf(row, 'text')
  if (checks.length === 0) return undefined
  const failed = checks.filter((check) => !passesText(output, check))
  const reason = failed.map((check) => \`\${check.name} \${JSON.stringify(check.value)}\`).join('; ')
  return { metric: 'string-checks', score: (checks.length - failed.length) / checks.length, pass: failed.length === 0, ...(reason ? { reason: \`failed: \${reason}\` } : {}) }
}`,
  label: `/**
 * Classification graders: the judge picks one of the labels, and the check passes when it is a passing
 * label. It asks the grader's own model through OpenAI (recorded in the cassettes like every judge call);
 * change createJudge(…) to use another judge.
 */
async function labelScore(output: string, row: Case, signal: AbortSignal): Promise<ScoreResult | undefined> {
  const checks = checksOf(row, 'label')
  if (checks.length === 0) return undefined
  const failed: string[] = []
  for (const check of checks) {
    const judge = createJudge({ provider: 'openai', model: check.model ?? 'gpt-4.1-mini' })
    const verdict = await scoreCategory(output, { categories: check.labels, ...(check.question ? { question: check.question } : {}) }, { judge, signal })
    const category = String(verdict.details.category)
    if (!check.passing.includes(category)) failed.push(\`\${check.name}: \${category} (passing: \${check.passing.join(', ')})\`)
  }
  return { metric: 'label', score: (checks.length - failed.length) / checks.length, pass: failed.length === 0, ...(failed.length ? { reason: failed.join('; ') } : {}) }
}`,
}

/** The scorer (one array element) of each check type. */
const SCORERS: Record<CheckType, string> = {
  text: '(output, { row }) => textScore(output, row),',
  similar: `async (output, { row, expect }) => {
      for (const check of checksOf(row, 'similar')) await expect(output).toBeSimilarTo(check.expected, { method: check.method, threshold: check.threshold })
    },`,
  json: `async (output, { row, expect }) => {
      for (const check of checksOf(row, 'json')) {
        const schema = check.schema ? z.fromJSONSchema(check.schema as z.core.JSONSchema.JSONSchema) : z.unknown()
        if (!check.whole) await expect(output).toMatchSchema(schema)
        else if (!isJson(output)) return { metric: 'json', score: 0, pass: false, reason: \`\${check.name}: the output is not JSON\` }
        else await expect(JSON.parse(output)).toMatchSchema(schema)
      }
      return undefined
    },`,
  rubric: `async (output, { row, expect }) => {
      for (const check of checksOf(row, 'rubric')) await expect(output).toSatisfyRubric(check.rubric, { ...(check.threshold === undefined ? {} : { threshold: check.threshold }), ...(check.scale ? { scale: check.scale } : {}) })
    },`,
  label: '(output, { row, signal }) => labelScore(output, row, signal),',
  factual: `async (output, { row, expect }) => {
      for (const check of checksOf(row, 'factual')) await expect(output).toBeFactual({ reference: check.reference })
    },`,
}

const ORDER: CheckType[] = ['text', 'json', 'similar', 'factual', 'rubric', 'label']

/**
 * The check types the rows use, in a stable order (deterministic ones first).
 *
 * @example
 * usedCheckTypes(result.rows) // ['text', 'similar']
 */
export function usedCheckTypes(rows: readonly ImportedRow[]): CheckType[] {
  const used = new Set(rows.flatMap((row) => row.checks.map((check) => check.type)))
  return ORDER.filter((type) => used.has(type))
}

/**
 * The parts of the generated suite that depend on the check types used: the zod union, helpers and scorers.
 *
 * @example
 * const { union, helpers, scorers } = checkSource(['text', 'similar'])
 */
export function checkSource(types: readonly CheckType[]): { union: string; helpers: string; scorers: string } {
  const variants = types.length ? types.map((type) => `  ${VARIANTS[type]},`).join('\n') : "  z.object({ type: z.literal('none'), name: z.string() }),"
  const union = `z.discriminatedUnion('type', [\n${variants}\n])`
  const json = types.includes('json') ? '\n\nfunction isJson(text: string): boolean {\n  try {\n    JSON.parse(text)\n    return true\n  } catch {\n    return false\n  }\n}' : ''
  const helpers = types.map((type) => HELPERS[type]).filter(Boolean).join('\n\n') + json
  const scorers = types.map((type) => `    ${SCORERS[type]}`).join('\n')
  return { union, helpers, scorers }
}
