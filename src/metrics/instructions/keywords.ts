import type { InstructionChecker, InstructionResult, Relation } from './result.js'
import { compareCount, verdict } from './result.js'
import type { InstructionOf } from './schemas.js'
import { compilePattern, patternSource, PY_WORD } from './text.js'

/** "found "ai" 2 times, needs at least 3" */
function countOf(subject: string, count: number, relation: Relation, threshold: number): InstructionResult {
  const result = compareCount(count, relation, threshold, 'times')
  return { ...result, reason: result.reason.replace('found ', `found ${subject} `) }
}

const quoteAll = (words: readonly string[]) => words.map((word) => JSON.stringify(word)).join(', ')

/** Python's `\b`, which (unlike JavaScript's) knows Unicode letters. */
const BOUNDARY = `(?:(?<=[${PY_WORD}])(?![${PY_WORD}])|(?<![${PY_WORD}])(?=[${PY_WORD}]))`

/**
 * `keywords:existence`: every keyword appears, case-insensitively, anywhere in the response
 * (inside longer words too, as in IFEval; keywords are regular expressions there).
 *
 * @example
 * checkKeywordsExist('Rain in Spain', { id: 'keywords:existence', keywords: ['rain', 'spain'] })
 * // { pass: true, reason: 'found all keywords "rain", "spain"' }
 */
export const checkKeywordsExist: InstructionChecker<InstructionOf<'keywords:existence'>> = (response, params) => {
  const keywords = [...params.keywords].sort()
  const missing = keywords.filter((keyword) => !compilePattern(keyword, 'i').test(response))
  return missing.length === 0
    ? verdict(true, `found all keywords ${quoteAll(keywords)}`)
    : verdict(false, `missing keywords ${quoteAll(missing)}, needs all of ${quoteAll(keywords)}`)
}

/**
 * `keywords:frequency`: how often a keyword occurs, case-insensitively, inside words too.
 *
 * @example
 * checkKeywordFrequency('AI, ai and Aid', { id: 'keywords:frequency', keyword: 'ai', frequency: 3, relation: 'at least' })
 * // { pass: true, reason: 'found "ai" 3 times, needs at least 3' }
 */
export const checkKeywordFrequency: InstructionChecker<InstructionOf<'keywords:frequency'>> = (response, params) => {
  const keyword = params.keyword.trim()
  const occurrences = Array.from(response.matchAll(compilePattern(keyword, 'gi'))).length
  return countOf(JSON.stringify(keyword), occurrences, params.relation, params.frequency)
}

/**
 * `keywords:forbidden_words`: none of the words appears as a whole word (case-insensitive).
 *
 * @example
 * checkForbiddenWords('A sunny day', { id: 'keywords:forbidden_words', forbidden_words: ['sun'] }).pass // true
 */
export const checkForbiddenWords: InstructionChecker<InstructionOf<'keywords:forbidden_words'>> = (response, params) => {
  const words = [...new Set(params.forbidden_words)].sort()
  const found = words.filter((word) => new RegExp(`${BOUNDARY}${patternSource(word)}${BOUNDARY}`, 'iu').test(response))
  return found.length === 0
    ? verdict(true, `found none of the forbidden words ${quoteAll(words)}`)
    : verdict(false, `found forbidden words ${quoteAll(found)}`)
}

/**
 * `keywords:letter_frequency`: how often one character occurs, case-insensitively.
 *
 * @example
 * checkLetterFrequency('Banana', { id: 'keywords:letter_frequency', letter: 'a', let_frequency: 3, let_relation: 'at least' })
 * // { pass: true, reason: 'found letter "a" 3 times, needs at least 3' }
 */
export const checkLetterFrequency: InstructionChecker<InstructionOf<'keywords:letter_frequency'>> = (response, params) => {
  const letter = params.letter.trim().toLowerCase()
  let occurrences = 0
  if (letter !== '') for (const char of response.toLowerCase()) if (char === letter) occurrences++
  return countOf(`letter ${JSON.stringify(letter)}`, occurrences, params.let_relation, params.let_frequency)
}
