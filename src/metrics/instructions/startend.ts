import type { InstructionChecker } from './result.js'
import { verdict } from './result.js'
import type { InstructionOf } from './schemas.js'
import { excerpt, pyStrip } from './text.js'

/**
 * `startend:end_checker`: the response ends with the phrase (case-insensitive; surrounding
 * whitespace and double quotes around the response are ignored).
 *
 * @example
 * checkEndPhrase('Thanks. Any other questions?', { id: 'startend:end_checker', end_phrase: 'Any other questions?' }).pass // true
 */
export const checkEndPhrase: InstructionChecker<InstructionOf<'startend:end_checker'>> = (response, params) => {
  const ending = pyStrip(pyStrip(response), '"').toLowerCase()
  const phrase = pyStrip(params.end_phrase).toLowerCase()
  return ending.endsWith(phrase)
    ? verdict(true, `ends with ${JSON.stringify(phrase)}`)
    : verdict(false, `ends with ${excerpt(ending.slice(-Math.max(phrase.length, 20)))}, needs ${JSON.stringify(phrase)}`)
}

/**
 * `startend:quotation`: the whole response is wrapped in double quotation marks.
 *
 * @example
 * checkQuotation('"All of it."', { id: 'startend:quotation' }) // { pass: true, reason: 'is wrapped in double quotes' }
 */
export const checkQuotation: InstructionChecker<InstructionOf<'startend:quotation'>> = (response) => {
  const text = pyStrip(response)
  const wrapped = [...text].length > 1 && text.startsWith('"') && text.endsWith('"')
  return wrapped
    ? verdict(true, 'is wrapped in double quotes')
    : verdict(false, `is not wrapped in double quotes (starts with ${excerpt(text.slice(0, 5))}, ends with ${excerpt(text.slice(-5))})`)
}
