/** A label as given: `pass`/`fail` (or `true`/`false`), a class name, or a number on a scale. */
export type LabelValue = string | number | boolean

/** Alternative spellings of labels: canonical label → its aliases, e.g. `{ refund: ['money back', 'reimburse'] }`. */
export type LabelAliases = Readonly<Record<string, readonly string[]>>

/** Outcome of {@link compareLabels}. */
export interface LabelComparison {
  agree: boolean
  /** Both labels after normalisation and aliases (numbers stay numbers). */
  automated: string | number
  human: string | number
}

function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/g, ' ').trim()
}

/**
 * A label in canonical form: booleans become `pass` / `fail`; numbers (and numeric text) stay numbers;
 * text is compared without case, punctuation or extra whitespace, then mapped through `aliases`.
 *
 * @example
 * normalizeLabel('  Refund! ', { refund: ['money back'] }) // 'refund'
 */
export function normalizeLabel(value: LabelValue, aliases: LabelAliases = {}): string | number {
  if (typeof value === 'boolean') return value ? 'pass' : 'fail'
  if (typeof value === 'number') return value
  const trimmed = value.trim()
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed)
  const text = normalizeText(trimmed)
  for (const [canonical, spellings] of Object.entries(aliases)) {
    if (normalizeText(canonical) === text || spellings.some((spelling) => normalizeText(spelling) === text)) return normalizeText(canonical)
  }
  return text
}

/**
 * Compares an automated verdict with a human label after {@link normalizeLabel}.
 *
 * @example
 * compareLabels('Shipping.', 'shipping').agree // true
 */
export function compareLabels(automated: LabelValue, human: LabelValue, aliases: LabelAliases = {}): LabelComparison {
  const a = normalizeLabel(automated, aliases)
  const h = normalizeLabel(human, aliases)
  return { agree: a === h, automated: a, human: h }
}
