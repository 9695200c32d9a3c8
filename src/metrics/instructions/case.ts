import { checkLanguage } from './language.js'
import type { InstructionChecker } from './result.js'
import { compareCount, verdict } from './result.js'
import type { InstructionOf } from './schemas.js'
import { excerpt, isLowerCase, isUpperCase } from './text.js'
import { tokenizeWords } from './word-tokens.js'

function firstMatch(text: string, pattern: RegExp): string {
  const index = text.search(pattern)
  return excerpt(text.slice(Math.max(0, index - 10), index + 10), 20)
}

/**
 * `change_case:capital_word_frequency`: counts words written in all capital letters (NLTK word
 * tokens for which Python's `isupper()` holds, so "I", "U.S." and "COVID-19" count).
 *
 * @example
 * checkCapitalWordFrequency('THIS IS BIG news', { id: 'change_case:capital_word_frequency', capital_frequency: 3, capital_relation: 'at least' })
 * // { pass: true, reason: 'found 3 all-capital words, needs at least 3' }
 */
export const checkCapitalWordFrequency: InstructionChecker<InstructionOf<'change_case:capital_word_frequency'>> = (
  response,
  params,
) => {
  const capitalWords = tokenizeWords(response).filter(isUpperCase).length
  return compareCount(capitalWords, params.capital_relation, params.capital_frequency, 'all-capital words')
}

/**
 * `change_case:english_capital`: the response is in English and has no lowercase letters.
 *
 * @example
 * checkEnglishCapital('THIS IS MY WHOLE ANSWER, IN CAPITALS.', { id: 'change_case:english_capital' }).pass // true
 */
export const checkEnglishCapital: InstructionChecker<InstructionOf<'change_case:english_capital'>> = (response) => {
  if (!isUpperCase(response)) {
    return /[\p{Lowercase}\p{Lt}]/u.test(response)
      ? verdict(false, `found lowercase letters near ${firstMatch(response, /[\p{Lowercase}\p{Lt}]/u)}, needs all capitals`)
      : verdict(false, 'found no letters, needs English in capital letters')
  }
  return checkLanguage(response, 'en')
}

/**
 * `change_case:english_lowercase`: the response is in English and has no capital letters.
 *
 * @example
 * checkEnglishLowercase('this whole answer is written in lowercase english.', { id: 'change_case:english_lowercase' }).pass // true
 */
export const checkEnglishLowercase: InstructionChecker<InstructionOf<'change_case:english_lowercase'>> = (response) => {
  if (!isLowerCase(response)) {
    return /[\p{Uppercase}\p{Lt}]/u.test(response)
      ? verdict(false, `found capital letters near ${firstMatch(response, /[\p{Uppercase}\p{Lt}]/u)}, needs all lowercase`)
      : verdict(false, 'found no letters, needs English in lowercase letters')
  }
  return checkLanguage(response, 'en')
}
