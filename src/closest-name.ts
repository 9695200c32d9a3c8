// "Did you mean …?" for a misspelt name (an option, a field, an instruction id, a command): the known name
// closest by edit distance, when it is close enough to be a typo; and a name as a message shows it. Pure.
// Bundled as its own chunk (scripts/bundle.ts): what imports it must not drag fastest-levenshtein into the reporters.
import { distance } from 'fastest-levenshtein'

/** Longer names are not compared: a key that long is no typo of a short name, and the work stays bounded. */
const MAX_NAME_CHARS = 100

/** True when `a` is `b` with two neighbouring characters swapped (`rnu` / `run`): one slip, two Levenshtein edits. */
function swapsTwoNeighbours(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  const first = [...a].findIndex((char, at) => char !== b[at])
  return first !== -1 && a[first] === b[first + 1] && a[first + 1] === b[first] && a.slice(first + 2) === b.slice(first + 2)
}

/** Edits a name of `length` characters may be from a known name to count as a typo of it. */
function typoEdits(length: number): number {
  // A name of three letters or fewer two edits away shares at most one letter with the other (`foo` / `root`).
  return length <= 3 ? 1 : Math.max(2, Math.floor(length / 3))
}

/**
 * The name of `known` closest to `name` by Levenshtein distance, ignoring case, when it is close enough to
 * be a typo: one edit for names of up to three characters, else max(2, a third of the name's length), and a
 * swap of two neighbouring characters at any length (`histroy` → `history`, `htlm` → `html`, `rnu` → `run`,
 * `baseUrl` → `baseURL`; not `foo` → `root`); `undefined` when none is that close. Ties go to the first in `known`.
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
  if (!best) return undefined
  return best.distance <= typoEdits(name.length) || swapsTwoNeighbours(lower, best.name.toLowerCase()) ? best.name : undefined
}

/** Longest name {@link shownName} shows whole. */
export const MAX_NAME_SHOWN = 80

/**
 * A name from the user's input (an option path, an id, a command) as a message shows it: cut after `maxChars`
 * with `…`, control characters, line separators and lone surrogates written as `\uXXXX` escapes, so a pasted
 * megabyte or an ANSI escape cannot flood or repaint the terminal.
 *
 * @example
 * shownName('report.htlm') // 'report.htlm'
 * shownName('a\u001b[31mb') // 'a\\u001b[31mb'
 */
export function shownName(name: string, maxChars = MAX_NAME_SHOWN): string {
  const cut = name.length > maxChars ? `${name.slice(0, maxChars)}…` : name
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
