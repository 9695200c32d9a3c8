import { z } from 'zod'
import { optionsSchema } from './config.js'

/** One documented option: its dotted path, its type as written in a config, and its description. */
export interface OptionRow {
  path: string
  type: string
  description: string
}

function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional) return unwrap(schema.unwrap() as z.ZodType)
  return schema
}

function typeOf(schema: z.ZodType): string {
  const inner = unwrap(schema)
  if (inner instanceof z.ZodUnion) return (inner.options as z.ZodType[]).map(typeOf).join(' \\| ')
  if (inner instanceof z.ZodLiteral) return [...inner.values].map((value) => JSON.stringify(value)).join(' \\| ')
  if (inner instanceof z.ZodEnum) return inner.options.map((value) => `'${String(value)}'`).join(' \\| ')
  // z.url() and the other string formats are strings with a format: named by it ('string (URL)').
  if (inner instanceof z.ZodStringFormat) return inner.format === 'url' ? 'string (URL)' : `string (${inner.format})`
  if (inner instanceof z.ZodString) return 'string'
  if (inner instanceof z.ZodNumber) return inner.format?.includes('int') ? 'integer' : 'number'
  if (inner instanceof z.ZodBoolean) return 'boolean'
  if (inner instanceof z.ZodArray) {
    const element = typeOf(inner.element as z.ZodType)
    return element.includes('|') ? `(${element})[]` : `${element}[]`
  }
  if (inner instanceof z.ZodRecord) return `Record<string, ${typeOf(inner.valueType as z.ZodType)}>`
  if (inner instanceof z.ZodObject) return `{ ${Object.keys(inner.shape).join(', ')} }`
  // A custom check names its type in its description (`z.instanceof(RegExp).describe('RegExp')`); else it is a function.
  if (inner instanceof z.ZodCustom) return inner.description ?? 'function'
  return 'unknown'
}

function objectOf(schema: z.ZodType): z.ZodObject | undefined {
  const inner = unwrap(schema)
  if (inner instanceof z.ZodObject) return inner
  if (inner instanceof z.ZodUnion) return (inner.options as z.ZodType[]).map(objectOf).find(Boolean)
  return undefined
}

/** Every option of `llmEvals()`, depth first, straight from the zod schema that validates them. */
export function optionRows(schema: z.ZodObject = optionsSchema, prefix = ''): OptionRow[] {
  const rows: OptionRow[] = []
  for (const [key, child] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const path = prefix + key
    const nested = objectOf(child)
    const isMap = unwrap(child) instanceof z.ZodRecord
    rows.push({ path, type: nested && !isMap ? typeOf(child).replace(/\{ [^}]* \}/, 'object') : typeOf(child), description: child.description ?? '' })
    if (nested && !isMap) rows.push(...optionRows(nested, `${path}.`))
  }
  return rows
}

/** The Markdown table of every option, as docs/configuration.md shows it. */
export function optionsReferenceMarkdown(): string {
  const lines = ['| option | type | meaning |', '|---|---|---|']
  for (const row of optionRows()) lines.push(`| \`${row.path}\` | ${row.type} | ${row.description} |`)
  return lines.join('\n')
}

const START = '<!-- options:start -->'
const END = '<!-- options:end -->'

/** `readme` with the text between the options markers replaced by {@link optionsReferenceMarkdown}. */
export function replaceOptionsTable(readme: string): string {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start === -1 || end < start) throw new Error(`docs/configuration.md has no ${START} … ${END} markers for the options table.`)
  return `${readme.slice(0, start + START.length)}\n${optionsReferenceMarkdown()}\n${readme.slice(end)}`
}
