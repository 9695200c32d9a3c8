import type { ImportedRow, ImportResult } from './checks.js'
import { checkSource, usedCheckTypes } from './render-checks.js'

/** The files an import writes: the suite's source and the dataset's JSONL. */
export interface RenderedImport {
  suite: string
  dataset: string
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/**
 * A single-quoted TypeScript string literal (the house style of the generated file).
 *
 * @example
 * quote("it's") // "'it\\'s'"
 */
export function quote(text: string): string {
  const json = JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")
  return `'${json}'`
}

/**
 * Text for a comment of the generated file: a star-slash cannot close a block comment (it becomes star,
 * backslash, slash) and no line terminator can end a line comment, so imported text (a provider id, a file
 * name) never becomes code.
 *
 * @example
 * commentText('gpt-4o\nrun()') // 'gpt-4o run()'
 */
export function commentText(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/[\r\n\u2028\u2029]+/g, ' ')
}

/**
 * A zod schema for the variables, from the values the rows hold (a field missing in some rows is optional).
 *
 * @example
 * inputSchemaSource([{ id: 'a', input: { q: 'x' }, checks: [] }]) // 'z.object({ q: z.string() })'
 */
export function inputSchemaSource(rows: readonly ImportedRow[]): string {
  const kinds = new Map<string, Set<string>>()
  for (const row of rows) {
    for (const [key, value] of Object.entries(row.input)) {
      const kind = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? typeof value : 'unknown'
      kinds.set(key, (kinds.get(key) ?? new Set()).add(kind))
    }
  }
  const fields = [...kinds].map(([key, set]) => {
    const kind = set.size === 1 ? [...set][0] : 'unknown'
    const base = kind === 'string' ? 'z.string()' : kind === 'number' ? 'z.number()' : kind === 'boolean' ? 'z.boolean()' : 'z.unknown()'
    const optional = base !== 'z.unknown()' && rows.some((row) => !(key in row.input)) ? `${base}.optional()` : base
    // `__proto__: …` (quoted or not) in an object literal sets its prototype; a computed key is a field.
    return `${key === '__proto__' ? `[${quote(key)}]` : IDENTIFIER.test(key) ? key : quote(key)}: ${optional}`
  })
  return fields.length ? `z.object({ ${fields.join(', ')} })` : 'z.object({})'
}

/** Where the task gets its prompt: the template(s) rendered with the row's variables, or the item as JSON. */
function taskSource(result: ImportResult): { constants: string; describe: string } {
  const field = result.inputField
  const prompts = result.prompts
  if (prompts.length > 1) {
    const variants = prompts.map((prompt) => `  { name: ${quote(prompt.label)}, template: ${quote(prompt.template)} },`).join('\n')
    return {
      constants: `/** The prompts ${result.source} compared, one variant each. */\nconst PROMPTS = [\n${variants}\n]`,
      describe: `describeEval.each(PROMPTS)(${quote(result.name)}, {\n  data,\n  task: (row, { variant, signal }) => row.output ?? callModel(renderPrompt(variant.template, row.${field}), signal),\n  input: (row) => JSON.stringify(row.${field}),`,
    }
  }
  const prompt = prompts[0]
  if (prompt) {
    return {
      constants: `/** The prompt template ${result.source} used. */\nconst PROMPT = ${quote(prompt.template)}`,
      describe: `describeEval(${quote(result.name)}, {\n  data,\n  task: (row, { signal }) => row.output ?? callModel(renderPrompt(PROMPT, row.${field}), signal),\n  input: (row) => renderPrompt(PROMPT, row.${field}),`,
    }
  }
  const first = result.rows.flatMap((row) => Object.entries(row.input)).find(([key, value]) => key !== 'id' && typeof value === 'string')?.[0] ?? 'input'
  return {
    constants: `/** TODO(import): the export has no prompt; build yours from the ${field} (e.g. your run's input_messages template). */\nconst PROMPT = ${quote(`{{${first}}}`)}`,
    describe: `describeEval(${quote(result.name)}, {\n  data,\n  task: (row, { signal }) => row.output ?? callModel(renderPrompt(PROMPT, row.${field}), signal),\n  input: (row) => renderPrompt(PROMPT, row.${field}),`,
  }
}

/**
 * The generated `describeEval` suite and its JSONL dataset for an import. The suite reads the dataset
 * beside it, scores a row's recorded `output` when it has one, and otherwise calls a TODO `callModel`.
 *
 * @example
 * const { suite, dataset } = renderImport(result, { datasetFile: 'qa.jsonl', command: 'llm-evals import promptfoo promptfooconfig.yaml' })
 */
export function renderImport(result: ImportResult, options: { datasetFile: string; command: string }): RenderedImport {
  const types = usedCheckTypes(result.rows)
  const { union, helpers, scorers } = checkSource(types)
  const judged = types.some((type) => type === 'rubric' || type === 'factual' || type === 'label')
  const scored = types.some((type) => type === 'text' || type === 'json' || type === 'label')
  const imports = ['describeEval', 'loadDataset', ...(scored ? ['type ScoreResult'] : []), ...(types.includes('label') ? ['createJudge', 'scoreCategory'] : [])].sort((a, b) => a.replace('type ', '').localeCompare(b.replace('type ', '')))
  const task = taskSource(result)
  const providers = result.providers.length ? commentText(` ${result.source} ran: ${result.providers.join(', ')}.`) : ''
  const suite = `// Imported from ${result.source} by \`${commentText(options.command)}\`. This file is yours now: edit it freely.
// Run it: npm exec -- vitest run <this file>.${judged ? ' Judged checks need a judge: llmEvals({ judge: { provider, model } }) in vitest.config.ts.' : ''}
import { fileURLToPath } from 'node:url'
import { ${imports.join(', ')} } from 'vitest-llm-evals'
import { z } from 'zod'

/** One check of a case, from the ${result.source} source; the scorers below apply them. */
const Check = ${union}

const Case = z.object({
  id: z.string(),
  description: z.string().optional(),
  ${result.inputField}: ${inputSchemaSource(result.rows)},
  /** An output produced earlier: scored as it is, without calling the model. */
  output: z.string().optional(),
  expected: z.string().optional(),
  checks: z.array(Check),
})
type Case = z.infer<typeof Case>
type CheckOf<Type extends z.infer<typeof Check>['type']> = Extract<z.infer<typeof Check>, { type: Type }>

const data = loadDataset(fileURLToPath(new URL(${quote(`./${options.datasetFile}`)}, import.meta.url)), Case)

${task.constants}

function renderPrompt(template: string, vars: Case['${result.inputField}']): string {
  return template.replace(/\\{\\{\\s*([\\w.]+)\\s*\\}\\}/g, (whole, name: string) => {
    const value = (vars as Record<string, unknown>)[name.replace(/^${result.inputField}\\./, '')]
    return value === undefined ? whole : typeof value === 'string' ? value : JSON.stringify(value)
  })
}

/**
 * TODO(import): call your model with the prompt and return its text.${providers}
 * Rows with an \`output\` are scored as they are and never reach this function.
 */
async function callModel(prompt: string, signal: AbortSignal): Promise<string> {
  throw new Error(\`[llm-evals import] callModel() is a TODO: send the prompt to your model and return its text (\${prompt.length} characters, aborted: \${signal.aborted}).\`)
}

function checksOf<Type extends z.infer<typeof Check>['type']>(row: Case, type: Type): CheckOf<Type>[] {
  return row.checks.filter((check): check is CheckOf<Type> => check.type === type)
}
${helpers ? `\n${helpers}\n` : ''}
${task.describe}
  scorers: [
${scorers}
  ],
})
`
  const dataset = result.rows.map((row) => JSON.stringify({ id: row.id, ...(row.description ? { description: row.description } : {}), [result.inputField]: row.input, ...(row.output === undefined ? {} : { output: row.output }), ...(row.expected === undefined ? {} : { expected: row.expected }), checks: row.checks })).join('\n')
  return { suite, dataset: dataset ? `${dataset}\n` : '' }
}
