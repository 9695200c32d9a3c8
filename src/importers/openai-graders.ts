import { asRecord, renderTemplate, type ImportedCheck, type ImportedSimilarityMethod, type NotImported } from './checks.js'

/** An OpenAI Evals testing criterion (grader) as found in an exported eval object. */
export type OpenAIGrader = Record<string, unknown> & { type?: unknown; name?: unknown }

/** Maps one criterion onto one item: a check, or why it cannot be imported (the same for every item). */
export type GraderMapping = { check: ImportedCheck } | { skipped: Omit<NotImported, 'where'> }

const OUTPUT = /^\s*\{\{\s*sample\.output_text\s*\}\}\s*$/
const OUTPUT_ANYWHERE = /\{\{\s*sample\.output_text\s*\}\}/g

const METRICS: Record<string, ImportedSimilarityMethod> = { fuzzy_match: 'levenshtein', bleu: 'bleu', rouge_l: 'rouge-l', cosine: 'embedding' }

const STRING_OPERATIONS: Record<string, { negate: boolean; operation: 'equals' | 'contains'; ignoreCase: boolean }> = {
  eq: { operation: 'equals', ignoreCase: false, negate: false },
  ne: { operation: 'equals', ignoreCase: false, negate: true },
  like: { operation: 'contains', ignoreCase: false, negate: false },
  ilike: { operation: 'contains', ignoreCase: true, negate: false },
}

function skip(type: string, why: string, todo: string, code?: string): GraderMapping {
  return { skipped: { type, why, todo, ...(code === undefined ? {} : { code }) } }
}

/**
 * The text of a grader's input messages, `{{item.*}}` rendered and the output named, as one prompt.
 *
 * @example
 * messagesText([{ role: 'user', content: 'Q: {{item.q}} A: {{sample.output_text}}' }], { item: { q: 'Hi?' } }, () => {})
 */
export function messagesText(input: unknown, scope: Record<string, unknown>, missing: (name: string) => void): string {
  const messages = Array.isArray(input) ? input : []
  const contentText = (content: unknown): string => {
    if (typeof content === 'string') return content
    if (Array.isArray(content)) return content.map(contentText).join('\n')
    const text = asRecord(content)?.text
    return typeof text === 'string' ? text : ''
  }
  return messages
    .map((message) => {
      const record = asRecord(message) ?? {}
      const text = contentText(record.content).replace(OUTPUT_ANYWHERE, '(the output being graded)')
      return `${typeof record.role === 'string' ? `${record.role}: ` : ''}${renderTemplate(text, scope, missing)}`
    })
    .join('\n\n')
}

/**
 * Maps one OpenAI grader (`string_check`, `text_similarity`, `label_model`, `score_model`; `python`,
 * `multi` and `endpoint` are listed) onto one item's check, with `{{item.*}}` templates rendered.
 *
 * @example
 * mapOpenAIGrader({ type: 'string_check', name: 'exact', operation: 'eq', input: '{{sample.output_text}}', reference: '{{item.answer}}' }, { item: { answer: '4' } }, () => {})
 */
export function mapOpenAIGrader(grader: OpenAIGrader, scope: Record<string, unknown>, missing: (name: string) => void): GraderMapping {
  const type = typeof grader.type === 'string' ? grader.type : '(no type)'
  const name = typeof grader.name === 'string' && grader.name !== '' ? grader.name : type
  const input = typeof grader.input === 'string' ? grader.input : undefined
  const reference = typeof grader.reference === 'string' ? renderTemplate(grader.reference, scope, missing) : undefined
  if (type === 'string_check' || type === 'text_similarity') {
    if (input === undefined || !OUTPUT.test(input) || reference === undefined) {
      return skip(type, `its input is ${JSON.stringify(input)}, not the model output ({{sample.output_text}})`, 'compare those fields in a scorer', JSON.stringify({ input, reference: grader.reference }))
    }
    if (type === 'string_check') {
      const operation = STRING_OPERATIONS[String(grader.operation)]
      if (!operation) return skip(type, `unknown operation ${JSON.stringify(grader.operation)}`, 'use eq, ne, like or ilike')
      return { check: { type: 'text', name, value: reference, ...operation } }
    }
    const metric = String(grader.evaluation_metric)
    const method = METRICS[metric]
    if (!method) return skip(type, `the ${metric} metric is not implemented here (dice, levenshtein, rouge-l, bleu and embedding are)`, "use toBeSimilarTo with method 'rouge-l' or 'bleu' and re-check the threshold")
    const threshold = typeof grader.pass_threshold === 'number' ? grader.pass_threshold : 0.8
    return { check: { type: 'similar', name, expected: reference, method, threshold } }
  }
  if (type === 'label_model') {
    const labels = Array.isArray(grader.labels) ? grader.labels.map(String) : []
    const passing = Array.isArray(grader.passing_labels) ? grader.passing_labels.map(String) : []
    if (labels.length < 2 || passing.length === 0) return skip(type, 'it needs at least two labels and one passing label', 'fix labels / passing_labels')
    const question = messagesText(grader.input, scope, missing)
    return { check: { type: 'label', name, labels, passing, ...(typeof grader.model === 'string' ? { model: grader.model } : {}), ...(question ? { question } : {}) } }
  }
  if (type === 'score_model') {
    const range = Array.isArray(grader.range) && grader.range.length === 2 ? (grader.range as number[]) : [0, 1]
    const [min = 0, max = 1] = range
    const passAt = typeof grader.pass_threshold === 'number' ? grader.pass_threshold : undefined
    const integers = Number.isInteger(min) && Number.isInteger(max) && max - min >= 2
    const threshold = passAt === undefined ? undefined : Math.min(1, Math.max(0, (passAt - min) / (max - min)))
    const rubric = messagesText(grader.input, scope, missing)
    if (!rubric.trim()) return skip(type, 'its input has no text', 'write the rubric by hand with toSatisfyRubric')
    return { check: { type: 'rubric', name, rubric, ...(threshold === undefined ? {} : { threshold }), ...(integers ? { scale: [min, max] as [number, number] } : {}) } }
  }
  if (type === 'python') return skip(type, 'Python graders are not translated', 'port `grade(sample, item)` to a TypeScript scorer returning { metric, score, pass }', typeof grader.source === 'string' ? grader.source : undefined)
  if (type === 'multi') {
    const graders = asRecord(grader.graders) ?? {}
    return skip(type, 'a multi grader combines sub-graders with a formula', 'add the sub-graders as separate criteria, or compute the formula in a scorer', `calculate_output: ${String(grader.calculate_output)}\ngraders: ${Object.keys(graders).join(', ')}`)
  }
  if (type === 'endpoint') return skip(type, 'it calls your own HTTP endpoint', 'call the endpoint from a scorer', typeof grader.url === 'string' ? grader.url : undefined)
  return skip(type, 'this grader type is not known to the importer', 'write the check by hand in a scorer', JSON.stringify(grader, null, 2))
}
