import type { InstructionChecker } from './result.js'
import { verdict } from './result.js'
import type { InstructionOf } from './schemas.js'
import { excerpt, pyStrip } from './text.js'

const SEPARATOR = '******'

/**
 * `combination:two_responses`: exactly two different, non-empty responses separated by six
 * asterisks (`******`); an empty part between separators fails.
 *
 * @example
 * checkTwoResponses('Tea.\n******\nCoffee.', { id: 'combination:two_responses' })
 * // { pass: true, reason: 'found 2 different responses separated by ******' }
 */
export const checkTwoResponses: InstructionChecker<InstructionOf<'combination:two_responses'>> = (response) => {
  const parts = response.split(SEPARATOR)
  const responses: string[] = []
  for (const [index, part] of parts.entries()) {
    if (pyStrip(part) !== '') responses.push(pyStrip(part))
    else if (index !== 0 && index !== parts.length - 1) {
      return verdict(false, `found an empty response between ${SEPARATOR} separators, needs 2 different responses`)
    }
  }
  if (responses.length !== 2) return verdict(false, `found ${responses.length} responses separated by ${SEPARATOR}, needs exactly 2`)
  return responses[0] === responses[1]
    ? verdict(false, 'found 2 identical responses, needs 2 different ones')
    : verdict(true, `found 2 different responses separated by ${SEPARATOR}`)
}

/**
 * `combination:repeat_prompt`: the response starts by repeating the prompt word for word
 * (case-insensitive, surrounding whitespace ignored).
 *
 * @example
 * checkRepeatPrompt('Write a haiku. Autumn moon...', { id: 'combination:repeat_prompt', prompt_to_repeat: 'Write a haiku.' }).pass // true
 */
export const checkRepeatPrompt: InstructionChecker<InstructionOf<'combination:repeat_prompt'>> = (response, params) => {
  const prompt = pyStrip(params.prompt_to_repeat).toLowerCase()
  const start = pyStrip(response).toLowerCase()
  return start.startsWith(prompt)
    ? verdict(true, 'starts by repeating the prompt')
    : verdict(false, `starts with ${excerpt(start, 40)}, needs the prompt ${excerpt(prompt, 40)} first`)
}
