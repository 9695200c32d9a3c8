// Keeps what a judge or simulated user is shown bounded: each untrusted text is cut at a per-text limit, and
// when the whole is still too long the middle is left out (the start says what was asked, the end what came
// of it), with a note of what was cut. Pure and deterministic: the same input always gives the same prompt.
import type { TaggedText } from '../judge/prompt.js'

/** Size limits of a rendered trace or transcript, in characters. */
export interface RenderLimits {
  /** Longest model text, message or final output shown; default 4000. */
  textChars: number
  /** Longest tool arguments or result shown; default 2000. */
  toolChars: number
  /** Most characters of all regions together; default 48 000 (about 12k tokens). */
  totalChars: number
}

/** The default {@link RenderLimits}. */
export const DEFAULT_RENDER_LIMITS: Readonly<RenderLimits> = { textChars: 4000, toolChars: 2000, totalChars: 48_000 }

/** What a rendering left out: texts cut short and whole regions omitted from the middle. */
export interface RenderCuts {
  /** Texts cut at their limit. */
  cutTexts: number
  /** Regions left out of the middle. */
  omittedRegions: number
}

/** Regions ready for a judge prompt, and what was cut to keep them bounded. */
export interface BoundedRegions {
  regions: TaggedText[]
  cuts: RenderCuts
}

/** Per-region markup around the text (tags, boundary, index): counted against the total. */
const REGION_OVERHEAD = 48

/**
 * The text cut at `limit` characters (never inside a surrogate pair), with a note of how much was cut.
 *
 * @example
 * cutText('abcdef', 3) // { text: 'abc\n…[cut: 3 more characters]', cut: true }
 */
export function cutText(text: string, limit: number): { text: string; cut: boolean } {
  if (text.length <= limit) return { text, cut: false }
  const end = /[\uD800-\uDBFF]/.test(text.charAt(limit - 1)) ? limit - 1 : limit
  return { text: `${text.slice(0, end)}\n…[cut: ${text.length - end} more characters]`, cut: true }
}

function sizeOf(region: TaggedText): number {
  return region.text.length + REGION_OVERHEAD
}

function omittedNote(left: readonly TaggedText[], unit: string, totalChars: number): TaggedText {
  const counts = new Map<string, number>()
  for (const region of left) counts.set(region.tag, (counts.get(region.tag) ?? 0) + 1)
  const kinds = [...counts].map(([tag, count]) => `${count} ${tag}`).join(', ')
  const first = left[0]?.index
  const last = left.at(-1)?.index
  const span = first === undefined || last === undefined ? '' : first === last ? ` (${unit} ${first})` : ` (${unit}s ${first}–${last})`
  return { tag: 'omitted', text: `${left.length} regions left out here to keep this prompt under ${totalChars} characters: ${kinds}${span}.` }
}

/**
 * Keeps regions within `totalChars`: all of them when they fit, else the first ones (up to a quarter of the
 * budget) and the last ones (the rest), with an `omitted` region between saying what was left out.
 *
 * @example
 * boundRegions(regions, 48_000, 'step')
 */
export function boundRegions(regions: readonly TaggedText[], totalChars: number, unit: string): { regions: TaggedText[]; omitted: number } {
  const total = regions.reduce((sum, region) => sum + sizeOf(region), 0)
  if (total <= totalChars) return { regions: [...regions], omitted: 0 }
  const budget = totalChars - REGION_OVERHEAD * 4
  let tailStart = regions.length
  let used = 0
  while (tailStart > 0 && used + sizeOf(regions[tailStart - 1]!) <= (budget * 3) / 4) used += sizeOf(regions[--tailStart]!)
  let headEnd = 0
  while (headEnd < tailStart && used + sizeOf(regions[headEnd]!) <= budget) used += sizeOf(regions[headEnd++]!)
  const left = regions.slice(headEnd, tailStart)
  if (left.length === 0) return { regions: [...regions], omitted: 0 }
  return { regions: [...regions.slice(0, headEnd), omittedNote(left, unit, totalChars), ...regions.slice(tailStart)], omitted: left.length }
}
