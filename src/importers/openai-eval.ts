import { asRecord, importError, type ImportedCheck, type ImportedRow, type ImportResult } from './checks.js'
import { mapOpenAIGrader, type OpenAIGrader } from './openai-graders.js'

/** One line of a run's data source: `{ item, sample? }` (a bare object is taken as the item). */
export interface OpenAIItemRecord {
  line?: number
  value: unknown
}

/**
 * Parses an exported eval object (`GET /v1/evals/{id}`), naming the file and position on bad JSON.
 *
 * @example
 * parseOpenAIEval('eval.json', text).testing_criteria.length
 */
export function parseOpenAIEval(file: string, text: string): Record<string, unknown> & { testing_criteria: OpenAIGrader[] } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    importError(file, `not valid JSON (${(error as Error).message})`, 'Pass the eval object as returned by GET /v1/evals/{eval_id}')
  }
  const evaluation = asRecord(value)
  const criteria = evaluation?.testing_criteria
  if (!evaluation || !Array.isArray(criteria)) {
    importError(file, 'is not an OpenAI eval object (no `testing_criteria` array)', 'Pass the eval JSON (object: "eval") as returned by GET /v1/evals/{eval_id}; its items go in --items <file.jsonl>')
  }
  criteria.forEach((criterion, index) => {
    if (!asRecord(criterion)) importError(file, `testing_criteria[${index}] is not an object`, 'Fix the export')
  })
  return evaluation as Record<string, unknown> & { testing_criteria: OpenAIGrader[] }
}

/** The output already produced for an item, if its sample carries one (`output_text`, or output messages). */
function sampleOutput(sample: Record<string, unknown> | undefined): string | undefined {
  if (typeof sample?.output_text === 'string') return sample.output_text
  const messages = Array.isArray(sample?.output) ? sample.output : []
  const texts = messages.map((message) => asRecord(message)?.content).filter((content): content is string => typeof content === 'string')
  return texts.length ? texts.join('\n') : undefined
}

function itemId(item: Record<string, unknown>, index: number, taken: Set<string>): string {
  const own = item.id
  let id = typeof own === 'string' || typeof own === 'number' ? String(own) : `item-${index + 1}`
  for (let n = 2; taken.has(id); n++) id = `${String(own ?? 'item')}-${n}`
  taken.add(id)
  return id
}

/**
 * Imports an OpenAI Evals export: the eval object's `testing_criteria` become checks on every item of
 * the run data source (`{ item, sample? }` per line); a `sample.output_text` becomes the row's `output`.
 *
 * @example
 * const result = importOpenAIEval('eval.json', evalText, 'items.jsonl', records)
 */
export function importOpenAIEval(file: string, text: string, itemsFile: string, items: readonly OpenAIItemRecord[]): ImportResult {
  const evaluation = parseOpenAIEval(file, text)
  const name = typeof evaluation.name === 'string' && evaluation.name.trim() ? evaluation.name.trim() : 'openai eval'
  const result: ImportResult = { source: 'openai-evals', name, inputField: 'item', prompts: [], providers: [], rows: [], notImported: [], notes: [] }
  const where = (index: number) => `${file} testing_criteria[${index}]${typeof evaluation.testing_criteria[index]?.name === 'string' ? ` ("${evaluation.testing_criteria[index]?.name}")` : ''}`
  const skipped = new Set<number>()
  const missing = new Set<string>()
  const ids = new Set<string>()
  items.forEach(({ line, value }, index) => {
    const record = asRecord(value)
    if (!record) importError(`${itemsFile}:${line ?? index + 1}`, 'is not a JSON object', 'Each line must be { "item": { … } } as in a run data source')
    const item = asRecord(record.item) ?? record
    const sample = asRecord(record.sample)
    const checks: ImportedCheck[] = []
    evaluation.testing_criteria.forEach((grader, criterion) => {
      const mapped = mapOpenAIGrader(grader, { item, ...(sample ? { sample } : {}) }, (name) => missing.add(name))
      if ('check' in mapped) checks.push(mapped.check)
      else if (!skipped.has(criterion)) {
        skipped.add(criterion)
        result.notImported.push({ where: where(criterion), ...mapped.skipped })
      }
    })
    const output = sampleOutput(sample)
    const reference = checks.find((check) => check.type === 'similar' || (check.type === 'text' && !check.negate))
    const expected = reference?.type === 'similar' ? reference.expected : reference?.type === 'text' ? String(reference.value) : undefined
    const row: ImportedRow = { id: itemId(item, index, ids), input: item, ...(output === undefined ? {} : { output }), ...(expected === undefined ? {} : { expected }), checks }
    result.rows.push(row)
  })
  if (items.length === 0) importError(itemsFile, 'has no items', 'Pass the run data source as JSONL, one { "item": { … } } per line')
  const fuzzy = evaluation.testing_criteria.filter((grader) => grader.type === 'text_similarity' && grader.evaluation_metric === 'fuzzy_match')
  if (fuzzy.length) result.notes.push(`fuzzy_match became levenshtein similarity (1 − edit distance ÷ longer length), which is stricter than OpenAI's fuzzy ratio on outputs longer than the reference: re-check the threshold of ${fuzzy.map((grader) => JSON.stringify(grader.name)).join(', ')}`)
  for (const name of missing) result.notes.push(`template {{${name}}} had no value in some items: it was left as written`)
  const config = asRecord(evaluation.data_source_config)
  if (config?.include_sample_schema === true && !result.rows.some((row) => row.output !== undefined)) {
    result.notes.push('the eval expects generated samples: the items have none, so the generated task must call your model')
  }
  return result
}
