import type { InstructionChecker } from './result.js'
import { compareCount, compareExact, verdict } from './result.js'
import type { InstructionOf } from './schemas.js'
import { countSentences } from './sentences.js'
import { countWords, pySplit, pyStrip } from './text.js'

/**
 * `length_constraints:number_sentences`: counts sentences as NLTK Punkt does (see `sentences.ts`).
 *
 * @example
 * checkNumberSentences('One. Two! Three?', { id: 'length_constraints:number_sentences', num_sentences: 3, relation: 'less than' })
 * // { pass: false, reason: 'found 3 sentences, needs fewer than 3' }
 */
export const checkNumberSentences: InstructionChecker<InstructionOf<'length_constraints:number_sentences'>> = (response, params) =>
  compareCount(countSentences(response), params.relation, params.num_sentences, 'sentences')

/**
 * `length_constraints:number_words`: counts runs of Unicode letters, digits and underscores.
 *
 * @example
 * checkNumberWords('It is state-of-the-art.', { id: 'length_constraints:number_words', num_words: 6, relation: 'at least' })
 * // { pass: true, reason: 'found 6 words, needs at least 6' }
 */
export const checkNumberWords: InstructionChecker<InstructionOf<'length_constraints:number_words'>> = (response, params) =>
  compareCount(countWords(response), params.relation, params.num_words, 'words')

/**
 * `length_constraints:number_paragraphs`: exactly N paragraphs separated by the markdown divider
 * `***`; an empty paragraph between two dividers fails.
 *
 * @example
 * checkNumberParagraphs('One\n***\nTwo', { id: 'length_constraints:number_paragraphs', num_paragraphs: 2 }).pass // true
 */
export const checkNumberParagraphs: InstructionChecker<InstructionOf<'length_constraints:number_paragraphs'>> = (response, params) => {
  const paragraphs = response.split(/\s?\*\*\*\s?/u)
  let count = paragraphs.length
  for (const [index, paragraph] of paragraphs.entries()) {
    if (pyStrip(paragraph) !== '') continue
    if (index !== 0 && index !== paragraphs.length - 1) {
      return verdict(false, `found an empty paragraph (number ${index + 1}) between *** dividers, needs ${params.num_paragraphs} non-empty paragraphs`)
    }
    count--
  }
  return compareExact(count, params.num_paragraphs, 'paragraphs separated by ***')
}

/** The first word of a paragraph, lowercased and cut at the first punctuation mark, as IFEval does. */
function firstWordOf(paragraph: string): string {
  const word = (pySplit(paragraph)[0] ?? '').replace(/^'+/u, '').replace(/^"+/u, '')
  const end = word.search(/[.,?!'"]/u)
  return (end === -1 ? word : word.slice(0, end)).toLowerCase()
}

/**
 * `length_constraints:nth_paragraph_first_word`: exactly N paragraphs separated by blank lines
 * ("\n\n"), and paragraph `nth_paragraph` starts with `first_word` (case-insensitive).
 *
 * @example
 * checkNthParagraphFirstWord('Hi.\n\nSummary: done.', { id: 'length_constraints:nth_paragraph_first_word', num_paragraphs: 2, nth_paragraph: 2, first_word: 'summary' }).pass // true
 */
export const checkNthParagraphFirstWord: InstructionChecker<InstructionOf<'length_constraints:nth_paragraph_first_word'>> = (
  response,
  params,
) => {
  const paragraphs = response.split('\n\n')
  const count = paragraphs.filter((paragraph) => pyStrip(paragraph) !== '').length
  const expected = params.first_word.toLowerCase()
  // IFEval indexes the raw split (empty parts included) once the count of non-empty ones allows it.
  const paragraph = params.nth_paragraph <= count ? pyStrip(paragraphs[params.nth_paragraph - 1] ?? '') : ''
  if (paragraph === '') {
    return verdict(false, `found ${count} paragraphs, paragraph ${params.nth_paragraph} is missing or empty, needs ${params.num_paragraphs} paragraphs`)
  }
  const first = firstWordOf(paragraph)
  const counted = compareExact(count, params.num_paragraphs, 'paragraphs')
  return verdict(
    counted.pass && first === expected,
    `${counted.reason}; paragraph ${params.nth_paragraph} starts with "${first}", needs "${expected}"`,
  )
}
