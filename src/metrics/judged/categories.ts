import { ConfigError } from '../../errors/index.js'

/**
 * Merges a user's partial category → score map over the defaults, checking each override is a known
 * category with a score in 0..1.
 *
 * @example
 * categoryScores({ same: 1, differs: 0 }, { differs: 0.5 }, 'toBeFactual') // { same: 1, differs: 0.5 }
 */
export function categoryScores<C extends string>(
  defaults: Readonly<Record<C, number>>,
  overrides: Partial<Record<string, number>> | undefined,
  where: string,
): Record<C, number> {
  const merged: Record<C, number> = { ...defaults }
  for (const [category, score] of Object.entries(overrides ?? {})) {
    if (!Object.hasOwn(defaults, category)) {
      throw new ConfigError(`${where}: \`scores.${category}\` is not a category; the categories are ${Object.keys(defaults).join(', ')}.`)
    }
    if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
      throw new ConfigError(`${where}: \`scores.${category}\` must be a number within 0..1, got ${String(score)}.`)
    }
    merged[category as C] = score
  }
  return merged
}
