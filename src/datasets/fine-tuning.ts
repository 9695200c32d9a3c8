import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { lazyZodSchema } from '../lazy-schema.js'
import { writeFileAtomic } from '../atomic-files.js'
import { ConfigError, DatasetError } from '../errors/index.js'
import { caseIdOf } from './case-id.js'
import { describedArgument, requireRows } from './rows-argument.js'
import type { FieldReader } from './inspect-dataset.js'

/** Training file formats: OpenAI chat fine-tuning, and Anthropic (Claude on Amazon Bedrock) `system` + `messages`. */
export type FineTuningFormat = 'openai' | 'anthropic'

/** Options of {@link toFineTuningJsonl}. */
export interface FineTuningOptions<Row> {
  format: FineTuningFormat
  /** The user message: a field name or a function. */
  input: FieldReader<Row>
  /** The assistant message the model should learn: a field name or a function. */
  output: FieldReader<Row>
  /** A system prompt for every example, or a function giving one per row. */
  system?: string | ((row: Row) => string | undefined)
  /** Retrieved context put before the input ("fine-tuning with RAG content"): a string or list of passages. */
  context?: FieldReader<Row>
}

const Message = lazyZodSchema((z) => z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().trim().min(1) }))
const OpenAIExample = lazyZodSchema((z) => z.object({ messages: z.array(Message()).min(2) }))
const AnthropicExample = lazyZodSchema((z) => z.object({ system: z.string().trim().min(1).optional(), messages: z.array(Message().extend({ role: z.enum(['user', 'assistant']) })).length(2) }))

const read = <Row>(row: Row, reader: FieldReader<Row>): unknown => (typeof reader === 'function' ? reader(row) : (row as Record<string, unknown>)?.[reader])
const asText = (value: unknown): string | undefined => (typeof value === 'string' ? value : value === undefined || value === null ? undefined : JSON.stringify(value))

/** The user message: retrieved passages (numbered) first, then the input. */
function prompt(input: string, context: unknown): string {
  const passages = (Array.isArray(context) ? context : context === undefined || context === null || context === '' ? [] : [context]).map(asText).filter((text): text is string => !!text?.trim())
  if (passages.length === 0) return input
  return `Context:\n${passages.map((passage, index) => `[${index + 1}] ${passage}`).join('\n')}\n\n${input}`
}

function example<Row>(row: Row, options: FineTuningOptions<Row>): unknown {
  const system = typeof options.system === 'function' ? options.system(row) : options.system
  const user = prompt(asText(read(row, options.input)) ?? '', options.context === undefined ? undefined : read(row, options.context))
  const assistant = asText(read(row, options.output)) ?? ''
  const pair = [{ role: 'user', content: user }, { role: 'assistant', content: assistant }]
  if (options.format === 'openai') return { messages: [...(system ? [{ role: 'system', content: system }] : []), ...pair] }
  return { ...(system ? { system } : {}), messages: pair }
}

/** The options object itself (its fields are checked where they are read). */
function requireOptions(options: unknown, name: string): void {
  if (options !== null && typeof options === 'object') return
  throw new ConfigError(`${name} needs its options, e.g. { format: 'openai', input: 'question', output: 'answer' }, got ${describedArgument(options)}.`)
}

/**
 * Chat-format training data, one JSON example per line, each validated (non-empty user and assistant
 * messages); a bad row is a `DatasetError` naming its case id and position. Optional retrieved context
 * is put into the prompt, so the model learns to answer from it.
 *
 * @example
 * const jsonl = toFineTuningJsonl(rows, { format: 'openai', system: 'You are a support agent.', input: 'question', output: 'answer', context: 'passages' })
 */
export function toFineTuningJsonl<Row>(rows: readonly Row[], options: FineTuningOptions<Row>): string {
  requireRows(rows, 'toFineTuningJsonl(rows, options)', toFineTuningJsonl)
  requireOptions(options, 'toFineTuningJsonl')
  if (options.format !== 'openai' && options.format !== 'anthropic') throw new ConfigError(`toFineTuningJsonl format must be 'openai' or 'anthropic', got ${JSON.stringify(options.format)}.`)
  const schema = options.format === 'openai' ? OpenAIExample() : AnthropicExample()
  const problems: string[] = []
  const lines: string[] = []
  rows.forEach((row, index) => {
    const parsed = schema.safeParse(example(row, options))
    if (parsed.success) lines.push(JSON.stringify(parsed.data))
    else problems.push(`  row ${index + 1} (id ${caseIdOf(row)}): ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`)
  })
  if (problems.length) {
    const shown = problems.slice(0, 10)
    throw new DatasetError([`${problems.length} of ${rows.length} rows cannot become ${options.format} fine-tuning examples:`, ...shown, ...(problems.length > 10 ? [`  … and ${problems.length - 10} more.`] : []), 'Every example needs a non-empty input and output (messages.1 is the output).'].join('\n'))
  }
  return lines.length ? `${lines.join('\n')}\n` : ''
}

/**
 * Writes {@link toFineTuningJsonl}'s output to `file` atomically; an existing file is kept unless
 * `overwrite` is set.
 *
 * @example
 * writeFineTuningJsonl('train.jsonl', rows, { format: 'anthropic', input: 'question', output: 'answer' })
 */
export function writeFineTuningJsonl<Row>(file: string, rows: readonly Row[], options: FineTuningOptions<Row> & { overwrite?: boolean }): number {
  if (typeof file !== 'string' || file === '') throw new ConfigError(`writeFineTuningJsonl(file, rows, options) needs the output file's path, got ${describedArgument(file)}.`)
  requireRows(rows, 'writeFineTuningJsonl(file, rows, options)', writeFineTuningJsonl)
  requireOptions(options, 'writeFineTuningJsonl')
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(`${file} is a folder: name the output file in it, e.g. ${JSON.stringify(join(file, 'train.jsonl'))} (CLI: --out).`)
  }
  if (existsSync(file) && !options.overwrite) throw new ConfigError(`${file} already exists; pass overwrite: true (CLI: --force) to replace it, or choose another output file.`)
  const text = toFineTuningJsonl(rows, options)
  writeFileAtomic(file, text)
  return text === '' ? 0 : text.split('\n').length - 1
}
