import { LlmEvalsError } from '../errors/index.js'

/** How a string check compares the output with its value (promptfoo's and OpenAI's string graders). */
export type TextOperation = 'equals' | 'contains' | 'starts-with' | 'ends-with' | 'regex' | 'contains-any' | 'contains-all'

/** Similarity methods the generated suite may pass to `toBeSimilarTo`. */
export type ImportedSimilarityMethod = 'dice' | 'levenshtein' | 'rouge-l' | 'bleu' | 'embedding'

/**
 * One check of one case, concrete (templates resolved), as stored in the generated dataset's `checks`
 * field and applied by the generated suite's scorers. `name` says where it came from.
 */
export type ImportedCheck =
  | { type: 'text'; name: string; operation: TextOperation; value: string | string[]; ignoreCase: boolean; negate: boolean }
  | { type: 'similar'; name: string; expected: string; method: ImportedSimilarityMethod; threshold: number }
  | { type: 'json'; name: string; whole: boolean; schema?: Record<string, unknown> }
  | { type: 'rubric'; name: string; rubric: string; threshold?: number; scale?: [number, number] }
  | { type: 'label'; name: string; labels: string[]; passing: string[]; model?: string; question?: string }
  | { type: 'factual'; name: string; reference: string }

/** A grader or assertion the importer could not map: listed for the user to port by hand. */
export interface NotImported {
  /** The source's own type name, e.g. `javascript` or `python`. */
  type: string
  /** File and path (and line when known), e.g. `promptfooconfig.yaml:14 tests[1].assert[2]`. */
  where: string
  why: string
  todo: string
  /** The code or value that was not imported, shown so nothing is lost. */
  code?: string
}

/** One dataset row of the generated suite. */
export interface ImportedRow {
  id: string
  description?: string
  /** Template variables (promptfoo `vars`, OpenAI `item`). */
  input: Record<string, unknown>
  /** An output produced earlier (OpenAI `sample.output_text`), scored without calling a model. */
  output?: string
  expected?: string
  checks: ImportedCheck[]
}

/** What an importer produces: everything the suite and dataset writer needs. */
export interface ImportResult {
  source: 'promptfoo' | 'openai-evals'
  /** Suite name (`describeEval`'s first argument). */
  name: string
  /** Name of the row field holding the variables: `vars` (promptfoo) or `item` (OpenAI). */
  inputField: 'vars' | 'item'
  /** Prompt templates with `{{var}}` placeholders; empty when the source has none. */
  prompts: { label: string; template: string }[]
  /** Models the source ran (promptfoo providers), for the TODO comment. */
  providers: string[]
  rows: ImportedRow[]
  notImported: NotImported[]
  /** Things that were imported but differ a little from the source, said in the summary. */
  notes: string[]
}

/**
 * Input the importer cannot read: not found, not the expected format, or malformed at a path.
 *
 * @example
 * if (error instanceof ImportError) console.error(error.message) // [vitest-llm-evals] eval.json: not valid JSON (…). …
 */
export class ImportError extends LlmEvalsError {
  override name = 'ImportError'
}

/**
 * Throws an {@link ImportError} naming the file and place, the problem, and the fix.
 *
 * @example
 * importError('tests.csv:3', 'not valid JSON', 'Fix that line')
 */
export function importError(where: string, problem: string, fix: string): never {
  throw new ImportError(`${where}: ${problem}. ${fix}`)
}

const TEMPLATE = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g

/**
 * Replaces `{{name}}` / `{{item.name}}` placeholders with values from `scope`; unknown ones are kept
 * as they are and reported through `missing`.
 *
 * @example
 * renderTemplate('Capital of {{country}}?', { country: 'France' }) // 'Capital of France?'
 */
export function renderTemplate(template: string, scope: Record<string, unknown>, missing: (name: string) => void = () => {}): string {
  return template.replace(TEMPLATE, (whole, path: string) => {
    let value: unknown = scope
    for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
    if (value === undefined) {
      missing(path)
      return whole
    }
    return typeof value === 'string' ? value : JSON.stringify(value)
  })
}

/**
 * The value as a plain object, or undefined (arrays and null are not records).
 *
 * @example
 * asRecord(JSON.parse(line))?.item
 */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}
