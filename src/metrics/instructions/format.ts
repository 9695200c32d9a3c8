import type { InstructionChecker } from './result.js'
import { compareCount, compareExact, verdict } from './result.js'
import type { InstructionOf } from './schemas.js'
import { excerpt, patternSource, pyStrip } from './text.js'

// Python's MULTILINE `^` and `$`, and `.` (which, unlike JavaScript's, matches "\r").
const LINE_START = '(?<![^\\n])'
const LINE_END = '(?![^\\n])'
const STAR_BULLET = new RegExp(`${LINE_START}\\s*\\*[^*][^\\n]*${LINE_END}`, 'gu')
const DASH_BULLET = new RegExp(`${LINE_START}\\s*-[^\\n]*${LINE_END}`, 'gu')

/**
 * `detectable_format:number_bullet_lists`: exactly N markdown bullet points (lines starting with
 * `* ` or `-`).
 *
 * @example
 * checkBulletLists('* one\n* two\n- three', { id: 'detectable_format:number_bullet_lists', num_bullets: 3 })
 * // { pass: true, reason: 'found 3 bullet points, needs exactly 3' }
 */
export const checkBulletLists: InstructionChecker<InstructionOf<'detectable_format:number_bullet_lists'>> = (response, params) => {
  const bullets = (response.match(STAR_BULLET)?.length ?? 0) + (response.match(DASH_BULLET)?.length ?? 0)
  return compareExact(bullets, params.num_bullets, 'bullet points')
}

const CONSTRAINED_RESPONSES = ['My answer is yes.', 'My answer is no.', 'My answer is maybe.'] as const

/**
 * `detectable_format:constrained_response`: the response contains one of "My answer is yes.",
 * "My answer is no." or "My answer is maybe.".
 *
 * @example
 * checkConstrainedResponse('My answer is no.', { id: 'detectable_format:constrained_response' }).pass // true
 */
export const checkConstrainedResponse: InstructionChecker<InstructionOf<'detectable_format:constrained_response'>> = (response) => {
  const found = CONSTRAINED_RESPONSES.find((option) => response.includes(option))
  return found !== undefined
    ? verdict(true, `found ${JSON.stringify(found)}`)
    : verdict(false, `found none of ${CONSTRAINED_RESPONSES.map((option) => JSON.stringify(option)).join(', ')}`)
}

/**
 * `detectable_format:number_highlighted_sections`: at least N non-empty `*highlighted*` sections
 * on one line; `**bold**` spans count too.
 *
 * @example
 * checkHighlightedSections('*one* and *two*', { id: 'detectable_format:number_highlighted_sections', num_highlights: 3 })
 * // { pass: false, reason: 'found 2 highlighted sections, needs at least 3' }
 */
export const checkHighlightedSections: InstructionChecker<InstructionOf<'detectable_format:number_highlighted_sections'>> = (
  response,
  params,
) => {
  let highlights = 0
  for (const [span] of response.matchAll(/\*[^\n*]*\*/g)) if (pyStrip(pyStrip(span, '*')) !== '') highlights++
  for (const [span] of response.matchAll(/\*\*[^\n*]*\*\*/g)) if (pyStrip(span.slice(2, -2)) !== '') highlights++
  return compareCount(highlights, 'at least', params.num_highlights, 'highlighted sections')
}

/**
 * `detectable_format:multiple_sections`: at least N sections, each starting with the splitter
 * followed by a number (e.g. "SECTION 1"); case-sensitive.
 *
 * @example
 * checkMultipleSections('Section 1\nIntro\nSection 2\nBody', { id: 'detectable_format:multiple_sections', section_spliter: 'Section', num_sections: 2 }).pass // true
 */
export const checkMultipleSections: InstructionChecker<InstructionOf<'detectable_format:multiple_sections'>> = (response, params) => {
  const splitter = params.section_spliter.trim()
  const pattern = new RegExp(`\\s?${patternSource(splitter)}\\s?\\p{Nd}+\\s?`, 'gu')
  const sections = Array.from(response.matchAll(pattern)).length
  return compareCount(sections, 'at least', params.num_sections, `sections marked "${splitter} N"`)
}

/**
 * `detectable_format:json_format`: the whole response is JSON, optionally in a ```json fence.
 *
 * @example
 * checkJsonFormat('```json\n{"ok": true}\n```', { id: 'detectable_format:json_format' }) // { pass: true, reason: 'parsed as JSON' }
 */
export const checkJsonFormat: InstructionChecker<InstructionOf<'detectable_format:json_format'>> = (response) => {
  let body = pyStrip(response)
  for (const fence of ['```json', '```Json', '```JSON', '```']) if (body.startsWith(fence)) body = body.slice(fence.length)
  if (body.endsWith('```')) body = body.slice(0, -3)
  try {
    JSON.parse(pyStrip(body))
    return verdict(true, 'parsed as JSON')
  } catch (error) {
    return verdict(false, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
}

/**
 * `detectable_format:title`: a non-empty title wrapped in double angular brackets, `<<like this>>`.
 *
 * @example
 * checkTitle('<<Poem of Joy>>\nRoses are red', { id: 'detectable_format:title' }) // { pass: true, reason: 'found title <<Poem of Joy>>' }
 */
export const checkTitle: InstructionChecker<InstructionOf<'detectable_format:title'>> = (response) => {
  for (const [title] of response.matchAll(/<<[^\n]+>>/g)) {
    if (pyStrip(title.replace(/^<+/u, '').replace(/>+$/u, '')) !== '') return verdict(true, `found title ${title}`)
  }
  return verdict(false, `found no title wrapped in << >> (response starts with ${excerpt(response, 30)})`)
}
