// "Did you mean …?" for a misspelt name (an option, a field): the known name closest by edit distance, when
// it is close enough to be a typo. Pure.
import { distance } from 'fastest-levenshtein'

/** Longer names are not compared: a key that long is no typo of a short name, and the work stays bounded. */
const MAX_NAME_CHARS = 100

/**
 * The name of `known` closest to `name` by Levenshtein distance, ignoring case, when it is at most
 * max(2, a third of the name's length) away (`histroy` → `history`, `htlm` → `html`, `baseUrl` → `baseURL`);
 * `undefined` when none is that close. Ties go to the first in `known`.
 *
 * @example
 * closestName('cassetes', ['cassettes', 'judge', 'history']) // 'cassettes'
 * closestName('colour', ['cassettes', 'judge']) // undefined
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  if (name.length === 0 || name.length > MAX_NAME_CHARS) return undefined
  const lower = name.toLowerCase()
  let best: { name: string; distance: number } | undefined
  for (const candidate of known) {
    if (candidate === name || candidate.length > MAX_NAME_CHARS) continue
    const away = distance(lower, candidate.toLowerCase())
    if (best === undefined || away < best.distance) best = { name: candidate, distance: away }
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined
}
