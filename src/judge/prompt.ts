import { nodeCrypto } from '../node-crypto.js'
import type { z } from 'zod'
import { ConfigError } from '../errors/index.js'
import { loadZod } from '../load-zod.js'
import type { JsonSchema } from './judge.js'

/**
 * A judge prompt: system text, a user template with `{{name}}` slots, and the zod schema of the verdict
 * (reasoning fields first, verdict last, so the model reasons before it decides).
 */
export interface JudgePrompt<Output> {
  /** Stable name, e.g. `factuality`; the first part of the prompt version. */
  id: string
  system: string
  template: string
  schemaName: string
  schema: z.ZodType<Output>
  /**
   * The slots that hold untrusted text (model output, input, reference, context), each with the tag of its
   * region: `{ output: 'output' }` shows the output as `<output-BOUNDARY>` … `</output-BOUNDARY>`, with a
   * boundary the text cannot contain (see `renderJudgePrompt`); a list value becomes numbered regions.
   * Other slots (criteria, instructions written in the test) are filled in as they are.
   */
  untrusted?: Readonly<Record<string, string>>
}

/**
 * One region of a list slot with its own tag and number, for untrusted text of several kinds in one order:
 * a transcript's `user` and `assistant` turns, a trace's `tool_call` and `tool_result` regions. `tag` is
 * code's, never untrusted text (lowercase letters and `_`); `index` defaults to the position in the list.
 */
export interface TaggedText {
  tag: string
  text: string
  index?: number
}

/**
 * What fills a prompt's `{{slots}}`: text, or (for an untrusted slot) a list of texts shown as numbered
 * regions, each a plain text (the slot's tag) or a {@link TaggedText} (its own tag).
 */
export type JudgeVariables = Readonly<Record<string, string | readonly (string | TaggedText)[]>>

/** Replaces the system text and/or template of a built-in prompt (same `{{slots}}`, same schema). */
export interface PromptOverride {
  system?: string
  template?: string
}

/**
 * The JSON schema sent to the provider for a zod schema: draft-07, no `$schema` key, every property
 * required and no extra properties (what OpenAI strict mode and Anthropic tool input both accept).
 *
 * @example
 * judgeJsonSchema(z.object({ reasoning: z.string(), pass: z.boolean() }))
 */
export function judgeJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = loadZod().z.toJSONSchema(schema, { target: 'draft-7' }) as JsonSchema
  return rest
}

/**
 * The version of a prompt as stored in score records: `<id>@<12 hex>`, a hash of system text, template,
 * JSON schema and untrusted slots, so any change to what the judge sees gives a new version.
 *
 * @example
 * promptVersion(factualityPrompt) // 'factuality@3f9a0c21b7d4'
 */
export function promptVersion(prompt: JudgePrompt<unknown>): string {
  const hash = nodeCrypto().createHash('sha256')
    .update(JSON.stringify([prompt.system, prompt.template, judgeJsonSchema(prompt.schema), ...(prompt.untrusted ? [prompt.untrusted] : [])]))
    .digest('hex')
  return `${prompt.id}@${hash.slice(0, 12)}`
}

/** The prompt with an override applied. */
export function withOverride<Output>(prompt: JudgePrompt<Output>, override: PromptOverride | undefined): JudgePrompt<Output> {
  if (!override) return prompt
  return { ...prompt, ...(override.system === undefined ? {} : { system: override.system }), ...(override.template === undefined ? {} : { template: override.template }) }
}

/**
 * Fills `{{name}}` slots. A slot with no value is a ConfigError (a typo in an overriding template or
 * system text: `part` says which).
 *
 * @example
 * renderTemplate('Q: {{question}}', { question: 'Why?' }) // 'Q: Why?'
 */
export function renderTemplate(template: string, variables: Readonly<Record<string, string>>, promptId: string, part: 'template' | 'system' = 'template'): string {
  return template.replace(/\{\{\s*([a-zA-Z_]+)\s*\}\}/g, (_slot, name: string) => {
    const value = variables[name]
    if (value === undefined) {
      throw new ConfigError(
        `The judge prompt \`${promptId}\` uses the slot {{${name}}}${part === 'system' ? ' in its system text' : ''}, which it does not have. Its slots are ${Object.keys(variables)
          .map((key) => `{{${key}}}`)
          .join(', ')}; fix the \`prompt.${part}\` override.`,
      )
    }
    return value
  })
}

/** Checks that `items` carries each index 1..count exactly once; the problem as text, or undefined. */
export function checkIndexes(items: readonly { index: number }[], count: number, what: string): string | undefined {
  const seen = items.map((item) => item.index).sort((a, b) => a - b)
  const expected = Array.from({ length: count }, (_, index) => index + 1)
  if (JSON.stringify(seen) === JSON.stringify(expected)) return undefined
  return `expected one verdict per ${what} with index 1..${count}, got indexes [${seen.join(', ')}]`
}
