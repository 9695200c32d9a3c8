import type { InstructionChecker } from './result.js'
import { compareCount, verdict } from './result.js'
import type { InstructionOf } from './schemas.js'
import { patternSource } from './text.js'

/**
 * `detectable_content:number_placeholders`: counts `[placeholders]` in square brackets (on one line).
 *
 * @example
 * checkPlaceholders('Dear [name], see you at [place].', { id: 'detectable_content:number_placeholders', num_placeholders: 2 })
 * // { pass: true, reason: 'found 2 placeholders in square brackets, needs at least 2' }
 */
export const checkPlaceholders: InstructionChecker<InstructionOf<'detectable_content:number_placeholders'>> = (response, params) => {
  const placeholders = response.match(/\[[^\n]*?\]/g)?.length ?? 0
  return compareCount(placeholders, 'at least', params.num_placeholders, 'placeholders in square brackets')
}

/** IFEval's patterns for its two usual markers tolerate missing spaces ("P.S." / "p. s."). */
function postscriptPattern(marker: string): RegExp {
  if (marker === 'P.P.S') return /p\.\s?p\.\s?s/u
  if (marker === 'P.S.') return /p\.\s?s\./u
  return new RegExp(patternSource(marker.toLowerCase()), 'u')
}

/**
 * `detectable_content:postscript`: the response has a postscript starting with the marker
 * (case-insensitive, anywhere in the response, as in IFEval).
 *
 * @example
 * checkPostscript('Thanks!\n\nP.S. See you soon.', { id: 'detectable_content:postscript', postscript_marker: 'P.S.' }).pass // true
 */
export const checkPostscript: InstructionChecker<InstructionOf<'detectable_content:postscript'>> = (response, params) => {
  const marker = params.postscript_marker.trim()
  const found = postscriptPattern(marker).test(response.toLowerCase())
  return verdict(found, found ? `found a postscript starting with "${marker}"` : `found no postscript starting with "${marker}"`)
}

/**
 * `punctuation:no_comma`: the response contains no comma (",").
 *
 * @example
 * checkNoComma('No commas here.', { id: 'punctuation:no_comma' }) // { pass: true, reason: 'found no commas' }
 */
export const checkNoComma: InstructionChecker<InstructionOf<'punctuation:no_comma'>> = (response) => {
  const commas = response.split(',').length - 1
  return verdict(commas === 0, commas === 0 ? 'found no commas' : `found ${commas} comma${commas === 1 ? '' : 's'}, needs none`)
}
