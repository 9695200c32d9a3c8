import { closestName, shownName } from '../../closest-name.js'
import { ConfigError } from '../../errors/index.js'
import { checkCapitalWordFrequency, checkEnglishCapital, checkEnglishLowercase } from './case.js'
import { checkTwoResponses, checkRepeatPrompt } from './combination.js'
import { checkNoComma, checkPlaceholders, checkPostscript } from './content.js'
import * as format from './format.js'
import { checkForbiddenWords, checkKeywordFrequency, checkKeywordsExist, checkLetterFrequency } from './keywords.js'
import { checkResponseLanguage } from './language.js'
import { checkNthParagraphFirstWord, checkNumberParagraphs, checkNumberSentences, checkNumberWords } from './length.js'
import { looseVariants } from './loose.js'
import type { InstructionChecker, InstructionResult } from './result.js'
import type { InstructionId, InstructionOf, VerifiableInstruction } from './schemas.js'
import { describeParameters, INSTRUCTION_PARAMETERS, instructionSchemas, isUsualInstruction } from './schemas.js'
import { checkEndPhrase, checkQuotation } from './startend.js'
import { pyStrip } from './text.js'

export type { InstructionResult } from './result.js'
export type { InstructionId, InstructionOf, VerifiableInstruction } from './schemas.js'
export { countSentences } from './sentences.js'
export { countWords } from './text.js'
export { detectLanguage } from './language.js'

const CHECKERS: { [Id in InstructionId]: InstructionChecker<InstructionOf<Id>> } = {
  'keywords:existence': checkKeywordsExist,
  'keywords:frequency': checkKeywordFrequency,
  'keywords:forbidden_words': checkForbiddenWords,
  'keywords:letter_frequency': checkLetterFrequency,
  'language:response_language': checkResponseLanguage,
  'length_constraints:number_sentences': checkNumberSentences,
  'length_constraints:number_paragraphs': checkNumberParagraphs,
  'length_constraints:number_words': checkNumberWords,
  'length_constraints:nth_paragraph_first_word': checkNthParagraphFirstWord,
  'detectable_content:number_placeholders': checkPlaceholders,
  'detectable_content:postscript': checkPostscript,
  'detectable_format:number_bullet_lists': format.checkBulletLists,
  'detectable_format:constrained_response': format.checkConstrainedResponse,
  'detectable_format:number_highlighted_sections': format.checkHighlightedSections,
  'detectable_format:multiple_sections': format.checkMultipleSections,
  'detectable_format:json_format': format.checkJsonFormat,
  'detectable_format:title': format.checkTitle,
  'combination:two_responses': checkTwoResponses,
  'combination:repeat_prompt': checkRepeatPrompt,
  'startend:end_checker': checkEndPhrase,
  'startend:quotation': checkQuotation,
  'change_case:capital_word_frequency': checkCapitalWordFrequency,
  'change_case:english_capital': checkEnglishCapital,
  'change_case:english_lowercase': checkEnglishLowercase,
  'punctuation:no_comma': checkNoComma,
}

/**
 * The 25 IFEval instruction ids, in IFEval's order.
 *
 * @example
 * INSTRUCTION_IDS.includes('punctuation:no_comma') // true
 */
export const INSTRUCTION_IDS: readonly InstructionId[] = Object.freeze(Object.keys(CHECKERS) as InstructionId[])

const isKnownId = (id: unknown): id is InstructionId => typeof id === 'string' && Object.hasOwn(CHECKERS, id)

/**
 * True for an object whose `id` is one of the 25 IFEval ids (its parameters are checked later,
 * by {@link checkInstruction}). Use it to tell verifiable instructions from free-text ones.
 *
 * @example
 * isVerifiableInstruction({ id: 'punctuation:no_comma' }) // true
 * isVerifiableInstruction('Answer politely') // false
 */
export function isVerifiableInstruction(value: unknown): value is VerifiableInstruction {
  return typeof value === 'object' && value !== null && isKnownId((value as { id?: unknown }).id)
}

/** Validates an instruction; `null` parameters count as absent, as in IFEval's data. */
function parseInstruction(instruction: unknown): VerifiableInstruction {
  const id = typeof instruction === 'object' && instruction !== null ? (instruction as { id?: unknown }).id : undefined
  if (!isKnownId(id)) throw new ConfigError(unknownIdMessage(id))
  const present = Object.fromEntries(Object.entries(instruction as object).filter(([, value]) => value !== null))
  if (isUsualInstruction(present)) return present as VerifiableInstruction
  const parsed = instructionSchemas()[id].safeParse(present)
  if (parsed.success) return parsed.data as VerifiableInstruction
  const problems = parsed.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? unknownParametersMessage(id, issue.keys)
      : `parameter "${issue.path.join('.')}" ${issue.path.length === 1 && !Object.hasOwn(present, issue.path[0] as PropertyKey) ? 'is missing' : describeIssue(issue.message)}`,
  )
  throw new ConfigError(`Instruction "${id}": ${problems.join('; ')}. Expected ${describeParameters(id)}.`)
}

/** `Unknown verifiable instruction id "lenght_constraints:number_words"; did you mean "length_constraints:number_words"? Use one of: …` */
function unknownIdMessage(id: unknown): string {
  const shown = typeof id === 'string' ? `"${shownName(id)}"` : id === undefined ? '(no `id` field)' : `of type ${id === null ? 'null' : typeof id}`
  const meant = typeof id === 'string' ? closestName(id, INSTRUCTION_IDS) : undefined
  return `Unknown verifiable instruction id ${shown}${meant ? `; did you mean "${meant}"?` : '.'} Use one of: ${INSTRUCTION_IDS.join(', ')}.`
}

/** Most unknown parameters named: an object spread into an instruction by mistake may have thousands. */
const MAX_KEYS_NAMED = 10

/** `unknown parameter "num_word" (did you mean "num_words"?)`, for the keys the id does not take. */
function unknownParametersMessage(id: InstructionId, keys: readonly string[]): string {
  const known = Object.keys(INSTRUCTION_PARAMETERS[id] ?? {})
  const named = keys.slice(0, MAX_KEYS_NAMED).map((key) => {
    const meant = closestName(key, known)
    return `"${shownName(key)}"${meant ? ` (did you mean "${meant}"?)` : ''}`
  })
  const more = keys.length > MAX_KEYS_NAMED ? ` (+${keys.length - MAX_KEYS_NAMED} more)` : ''
  return `unknown parameter${keys.length > 1 ? 's' : ''} ${named.join(', ')}${more}`
}

function describeIssue(message: string): string {
  const text = message.replace(/^Invalid input: /u, '')
  return /received undefined$/u.test(text) ? 'is missing' : text.charAt(0).toLowerCase() + text.slice(1)
}

function runChecker(response: string, instruction: VerifiableInstruction): InstructionResult {
  if (pyStrip(response) === '') return { pass: false, reason: 'response is empty' }
  const check = CHECKERS[instruction.id] as InstructionChecker<VerifiableInstruction>
  return check(response, instruction)
}

/**
 * Checks one IFEval verifiable instruction against a response, with the reference's semantics.
 * Strict by default; with `loose`, it passes when any of IFEval's 8 loose variants passes (first
 * line, last line or both removed, each with and without every `*`). Throws a `ConfigError` for an
 * unknown id or a bad parameter.
 *
 * @example
 * checkInstruction('*one* and *two*', { id: 'detectable_format:number_highlighted_sections', num_highlights: 3 })
 * // { pass: false, reason: 'found 2 highlighted sections, needs at least 3' }
 */
export function checkInstruction(
  response: string,
  instruction: VerifiableInstruction,
  options: { loose?: boolean } = {},
): InstructionResult {
  if (typeof response !== 'string') throw new ConfigError(`checkInstruction(response, instruction) needs the response as a string, got ${response === null ? 'null' : Array.isArray(response) ? 'an array' : typeof response}. Pass the model's text (e.g. \`response.output_text\`).`)
  const parsed = parseInstruction(instruction)
  const strict = runChecker(response, parsed)
  if (!options.loose || strict.pass) return strict
  for (const variant of looseVariants(response).slice(1)) {
    const result = runChecker(variant.text, parsed)
    if (result.pass) return { pass: true, reason: `${result.reason} (loose: ${variant.name})` }
  }
  return { pass: false, reason: `${strict.reason} (no loose variant passes either)` }
}
