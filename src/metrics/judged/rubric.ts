/** A rating scale: the lowest and highest whole-number score. */
export type RubricScale = readonly [min: number, max: number]

/** The default rating scale, 1..5 as in G-Eval. */
export const DEFAULT_RUBRIC_SCALE: RubricScale = [1, 5]

/**
 * Maps a score on `scale` to 0..1 (clamped).
 *
 * @example
 * normalizeRubricScore(4, [1, 5]) // 0.75
 */
export function normalizeRubricScore(score: number, scale: RubricScale): number {
  const [min, max] = scale
  return Math.min(1, Math.max(0, (score - min) / (max - min)))
}

/** One alternative for a token, with its log probability. */
export interface TokenAlternative {
  token: string
  logprob: number
}

/**
 * G-Eval's probability-weighted score: the expected value of the score over the alternatives the model
 * considered for the score token, keeping only whole numbers on the scale and renormalising their
 * probabilities. Undefined when no alternative is a score on the scale.
 *
 * @example
 * expectedRubricScore([{ token: '4', logprob: Math.log(0.6) }, { token: '5', logprob: Math.log(0.4) }], [1, 5]) // 4.4
 */
export function expectedRubricScore(alternatives: readonly TokenAlternative[], scale: RubricScale): number | undefined {
  const [min, max] = scale
  const weights = new Map<number, number>()
  for (const { token, logprob } of alternatives) {
    const text = token.trim()
    if (!/^\d+$/.test(text)) continue
    const value = Number(text)
    if (value < min || value > max || !Number.isFinite(logprob)) continue
    weights.set(value, (weights.get(value) ?? 0) + Math.exp(logprob))
  }
  const total = [...weights.values()].reduce((sum, weight) => sum + weight, 0)
  if (total === 0) return undefined
  return [...weights].reduce((sum, [value, weight]) => sum + (value * weight) / total, 0)
}

/** A generated token with the alternatives the model considered at that position. */
export interface GeneratedToken extends TokenAlternative {
  top: readonly TokenAlternative[]
}

/**
 * The alternatives of the token holding the value of the JSON number field `field` in generated text
 * (the last occurrence), or undefined when that value is not a single token of its own.
 *
 * @example
 * scoreTokenAlternatives(tokens, 'score') // [{ token: '4', logprob: -0.5 }, { token: '5', logprob: -1.1 }]
 */
export function scoreTokenAlternatives(tokens: readonly GeneratedToken[], field: string): TokenAlternative[] | undefined {
  const text = tokens.map((token) => token.token).join('')
  const pattern = new RegExp(`"${field}"\\s*:\\s*(\\d+)`, 'g')
  const match = [...text.matchAll(pattern)].at(-1)
  if (!match?.[1]) return undefined
  const valueStart = match.index + match[0].length - match[1].length
  let offset = 0
  for (const token of tokens) {
    const start = offset + (token.token.length - token.token.trimStart().length)
    offset += token.token.length
    if (start === valueStart && token.token.trim() === match[1]) return token.top.length > 0 ? [...token.top] : [token]
    if (offset > valueStart) return undefined
  }
  return undefined
}
