// A long text is cut before a judge or simulated user sees it (src/agents/bound-regions.ts). Cut as it is live, a
// text holding a secret is cut in another place than the same text as a cassette stores it ("[REDACTED]" is shorter
// or longer than the secret), and replay gives back the stored form: the prompt, so the recording's key, differed,
// and the call missed in replay. Whenever a cut or a left-out region comes into it, the prompt is made from the
// texts as stored, live and in replay alike, so the cut falls in the same place.
import { boundRegions, cutText, type BoundedRegions, type RenderLimits } from '../agents/bound-regions.js'
import type { TaggedText } from './prompt.js'
import { storedFormOf, type StoredForm } from './stored-form.js'

/** Renders a record's regions within `limits` (traceRegions, conversationRegions, outputRegions). */
export type RenderRegions = (limits: RenderLimits) => BoundedRegions

const WHOLE: RenderLimits = { textChars: Infinity, toolChars: Infinity, totalChars: Infinity }
const TOOL_TAGS: ReadonlySet<string> = new Set(['tool_call', 'tool_result', 'tool_error'])

/**
 * The regions `render` gives within `limits`, cut so that record and replay cut in the same place: as they are
 * when no text is cut and none left out (the prompt earlier versions sent), else each text in its stored form
 * (secrets `[REDACTED]`, as the cassette holds it) cut and bounded. `unit` names what a left-out region is a part of.
 *
 * @example
 * const shown = await boundedAsStored((limits) => outputRegions(output, limits), 'output', DEFAULT_RENDER_LIMITS)
 */
export async function boundedAsStored(render: RenderRegions, unit: string, limits: RenderLimits): Promise<BoundedRegions> {
  const whole = render(WHOLE).regions
  const live = bound(whole, limits, unit, (text) => text)
  const stored = bound(whole, limits, unit, await storedFormOf(whole.map((region) => region.text)))
  return isShortened(live) || isShortened(stored) ? stored : live
}

/** The regions with each text in `form`, cut at its tag's limit, then bounded in total, as `RegionList` does. */
function bound(regions: readonly TaggedText[], limits: RenderLimits, unit: string, form: StoredForm): BoundedRegions {
  let cutTexts = 0
  const cut = regions.map((region) => {
    const shown = cutText(form(region.text), TOOL_TAGS.has(region.tag) ? limits.toolChars : limits.textChars)
    if (shown.cut) cutTexts += 1
    return { ...region, text: shown.text }
  })
  const { regions: kept, omitted } = boundRegions(cut, limits.totalChars, unit)
  return { regions: kept, cuts: { cutTexts, omittedRegions: omitted } }
}

function isShortened({ cuts }: BoundedRegions): boolean {
  return cuts.cutTexts + cuts.omittedRegions > 0
}
