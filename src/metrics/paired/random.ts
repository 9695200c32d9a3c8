/** Default seed of the resampling statistics: the same inputs always give the same interval. */
export const DEFAULT_SEED = 0x5eed

/**
 * A seeded pseudo-random generator (mulberry32): numbers in [0, 1), the same sequence for the same seed
 * on every platform. Not for secrets; for reproducible resampling only.
 *
 * @example
 * const random = seededRandom(42)
 * random() // 0.6011037519201636, every time
 */
export function seededRandom(seed: number = DEFAULT_SEED): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = state
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}
