import type { z } from 'zod'
import { lazyZodSchema } from '../../lazy-schema.js'
import { loadZod } from '../../load-zod.js'

/** The parameter kinds the instructions share, built with the schemas on first use (see `lazySchema`). */
const parameterKinds = lazyZodSchema((z) => {
  const text = z.string().min(1)
  return {
    relation: z.enum(['less than', 'at least']),
    count: z.number().int().nonnegative(),
    positive: z.number().int().positive(),
    text,
    words: z.array(text).min(1),
    letter: z.string().refine((value) => [...value].length === 1, 'must be a single character'),
    language: z.string().regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code such as "en"'),
  }
})

function instruction<const Id extends string, const Shape extends z.ZodRawShape>(id: Id, shape: Shape) {
  const { z } = loadZod()
  return z.strictObject({ id: z.literal(id), ...shape })
}

function buildInstructionSchemas() {
  const { relation, count, positive, text, words, letter, language } = parameterKinds()
  return {
    'keywords:existence': instruction('keywords:existence', { keywords: words }),
    'keywords:frequency': instruction('keywords:frequency', { keyword: text, frequency: count, relation }),
    'keywords:forbidden_words': instruction('keywords:forbidden_words', { forbidden_words: words }),
    'keywords:letter_frequency': instruction('keywords:letter_frequency', {
      letter,
      let_frequency: count,
      let_relation: relation,
    }),
    'language:response_language': instruction('language:response_language', { language }),
    'length_constraints:number_sentences': instruction('length_constraints:number_sentences', { num_sentences: count, relation }),
    'length_constraints:number_paragraphs': instruction('length_constraints:number_paragraphs', { num_paragraphs: count }),
    'length_constraints:number_words': instruction('length_constraints:number_words', { num_words: count, relation }),
    'length_constraints:nth_paragraph_first_word': instruction('length_constraints:nth_paragraph_first_word', {
      num_paragraphs: positive,
      nth_paragraph: positive,
      first_word: text,
    }).refine((value) => value.nth_paragraph <= value.num_paragraphs, {
      path: ['nth_paragraph'],
      message: 'must not be greater than num_paragraphs',
    }),
    'detectable_content:number_placeholders': instruction('detectable_content:number_placeholders', { num_placeholders: count }),
    'detectable_content:postscript': instruction('detectable_content:postscript', { postscript_marker: text }),
    'detectable_format:number_bullet_lists': instruction('detectable_format:number_bullet_lists', { num_bullets: count }),
    'detectable_format:constrained_response': instruction('detectable_format:constrained_response', {}),
    'detectable_format:number_highlighted_sections': instruction('detectable_format:number_highlighted_sections', { num_highlights: count }),
    'detectable_format:multiple_sections': instruction('detectable_format:multiple_sections', { section_spliter: text, num_sections: count }),
    'detectable_format:json_format': instruction('detectable_format:json_format', {}),
    'detectable_format:title': instruction('detectable_format:title', {}),
    'combination:two_responses': instruction('combination:two_responses', {}),
    'combination:repeat_prompt': instruction('combination:repeat_prompt', { prompt_to_repeat: text }),
    'startend:end_checker': instruction('startend:end_checker', { end_phrase: text }),
    'startend:quotation': instruction('startend:quotation', {}),
    'change_case:capital_word_frequency': instruction('change_case:capital_word_frequency', { capital_frequency: count, capital_relation: relation }),
    'change_case:english_capital': instruction('change_case:english_capital', {}),
    'change_case:english_lowercase': instruction('change_case:english_lowercase', {}),
    'punctuation:no_comma': instruction('punctuation:no_comma', {}),
  } as const
}

type ParameterKind = 'relation' | 'count' | 'positive' | 'text' | 'words' | 'letter' | 'language'

/**
 * The parameters of each id by kind, as the zod schemas below have them: what {@link isUsualInstruction} checks
 * by hand (a test compares the two on every single-field damage of each id's instruction).
 */
export const INSTRUCTION_PARAMETERS: Record<string, Record<string, ParameterKind>> = {
  'keywords:existence': { keywords: 'words' },
  'keywords:frequency': { keyword: 'text', frequency: 'count', relation: 'relation' },
  'keywords:forbidden_words': { forbidden_words: 'words' },
  'keywords:letter_frequency': { letter: 'letter', let_frequency: 'count', let_relation: 'relation' },
  'language:response_language': { language: 'language' },
  'length_constraints:number_sentences': { num_sentences: 'count', relation: 'relation' },
  'length_constraints:number_paragraphs': { num_paragraphs: 'count' },
  'length_constraints:number_words': { num_words: 'count', relation: 'relation' },
  'length_constraints:nth_paragraph_first_word': { num_paragraphs: 'positive', nth_paragraph: 'positive', first_word: 'text' },
  'detectable_content:number_placeholders': { num_placeholders: 'count' },
  'detectable_content:postscript': { postscript_marker: 'text' },
  'detectable_format:number_bullet_lists': { num_bullets: 'count' },
  'detectable_format:constrained_response': {},
  'detectable_format:number_highlighted_sections': { num_highlights: 'count' },
  'detectable_format:multiple_sections': { section_spliter: 'text', num_sections: 'count' },
  'detectable_format:json_format': {},
  'detectable_format:title': {},
  'combination:two_responses': {},
  'combination:repeat_prompt': { prompt_to_repeat: 'text' },
  'startend:end_checker': { end_phrase: 'text' },
  'startend:quotation': {},
  'change_case:capital_word_frequency': { capital_frequency: 'count', capital_relation: 'relation' },
  'change_case:english_capital': {},
  'change_case:english_lowercase': {},
  'punctuation:no_comma': {},
}

const isText = (value: unknown): boolean => typeof value === 'string' && value.length > 0
// zod's z.int() takes safe integers only.
const KIND_CHECKS: Record<ParameterKind, (value: unknown) => boolean> = {
  relation: (value) => value === 'less than' || value === 'at least',
  count: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
  positive: (value) => Number.isSafeInteger(value) && (value as number) > 0,
  text: isText,
  // An index loop, not `every`: a hole in a sparse array is a missing word to zod.
  words: (value) => Array.isArray(value) && value.length > 0 && Array.from(value, isText).every(Boolean),
  letter: (value) => typeof value === 'string' && [...value].length === 1,
  language: (value) => typeof value === 'string' && /^[a-z]{2}$/.test(value),
}

/**
 * Whether `instruction` (its `null` parameters already left out) passes its id's zod schema, checked by hand:
 * exactly the id's parameters, each of its kind. The zod schema gives back the same fields, so a usual
 * instruction needs no zod; anything else goes to the schema, which says what is wrong.
 *
 * @example
 * isUsualInstruction({ id: 'keywords:frequency', keyword: 'ai', frequency: 2, relation: 'at least' }) // true
 */
export function isUsualInstruction(instruction: Record<string, unknown>): boolean {
  const kinds = typeof instruction['id'] === 'string' && Object.hasOwn(INSTRUCTION_PARAMETERS, instruction['id']) ? INSTRUCTION_PARAMETERS[instruction['id']] : undefined
  if (kinds === undefined) return false
  const names = Object.keys(instruction)
  if (names.length !== Object.keys(kinds).length + 1) return false
  for (const name of names) {
    if (name === 'id') continue
    const kind = Object.hasOwn(kinds, name) ? kinds[name] : undefined
    if (kind === undefined || !KIND_CHECKS[kind](instruction[name])) return false
  }
  return instruction['id'] !== 'length_constraints:nth_paragraph_first_word' || (instruction['nth_paragraph'] as number) <= (instruction['num_paragraphs'] as number)
}

/**
 * One zod schema per IFEval instruction id, with IFEval's snake_case parameters, built on first use.
 * Objects are strict so that a misspelt parameter is an error rather than silently ignored.
 *
 * @example
 * instructionSchemas()['keywords:frequency'].parse({ id: 'keywords:frequency', keyword: 'ai', frequency: 2, relation: 'at least' })
 */
export const instructionSchemas = lazyZodSchema(buildInstructionSchemas)

type InstructionSchemas = ReturnType<typeof buildInstructionSchemas>

/** One of the 25 IFEval instruction ids, e.g. `'punctuation:no_comma'`. */
export type InstructionId = keyof InstructionSchemas

/** The instruction object for one id: `{ id, ...kwargs }` with IFEval's snake_case kwargs. */
export type InstructionOf<Id extends InstructionId> = z.infer<InstructionSchemas[Id]>

/**
 * A verifiable instruction: a discriminated union on `id`, one member per IFEval instruction.
 *
 * @example
 * const rule: VerifiableInstruction = { id: 'detectable_format:number_highlighted_sections', num_highlights: 3 }
 */
export type VerifiableInstruction = { [Id in InstructionId]: InstructionOf<Id> }[InstructionId]

/**
 * Describes the expected parameters of an id for error messages, e.g.
 * `{ keyword: string, frequency: integer >= 0, relation: "less than" | "at least" }`.
 *
 * @example
 * describeParameters('punctuation:no_comma') // '{} (no parameters)'
 */
export function describeParameters(id: InstructionId): string {
  const shape: Record<string, z.ZodType> = instructionSchemas()[id].shape
  const fields = Object.entries(shape)
    .filter(([key]) => key !== 'id')
    .map(([key, field]) => `${key}: ${describeField(field)}`)
  return fields.length === 0 ? '{} (no parameters)' : `{ ${fields.join(', ')} }`
}

function describeField(field: z.ZodType): string {
  const { relation, count, positive, words, letter, language } = parameterKinds()
  if (field === relation) return '"less than" | "at least"'
  if (field === count) return 'integer >= 0'
  if (field === positive) return 'integer >= 1'
  if (field === words) return 'non-empty array of non-empty strings'
  if (field === letter) return 'single character'
  if (field === language) return 'ISO 639-1 code such as "en"'
  return 'non-empty string'
}
