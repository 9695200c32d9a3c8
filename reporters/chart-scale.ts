// Pure geometry of the report's charts (no HTML): the y range, which runs get a tick label, and where the
// latest-value labels go so they never overlap.

/** A closed interval of scores, 0..1. */
export interface ScoreRange {
  low: number
  high: number
  /** The axis is zoomed in to the data rather than showing 0..1. */
  zoomed: boolean
}

/** Widest padded data range (in score units) that is still zoomed into; wider data gets the full 0..1 axis. */
const MAX_ZOOMED_SPAN = 0.5

/**
 * The y range of a chart: 0..1, unless every value lies in a narrow band. Then the axis is zoomed to the
 * values' range padded by 0.05 on each side and rounded outwards to tenths (at most 0.5 wide), so a series
 * moving between 0.81 and 0.84 shows as 0.7–0.9 instead of a flat line at the top.
 *
 * @example
 * scoreRange([0.81, 0.84]) // { low: 0.7, high: 0.9, zoomed: true }
 * scoreRange([0.2, 0.9]) // { low: 0, high: 1, zoomed: false }
 */
export function scoreRange(values: readonly number[]): ScoreRange {
  const full = { low: 0, high: 1, zoomed: false }
  if (values.length === 0) return full
  // In tenths, so that 0.1 steps stay exact; the epsilon keeps 0.75 - 0.05 from flooring to 0.6.
  let least = Infinity
  let most = -Infinity
  for (const value of values) {
    if (value < least) least = value
    if (value > most) most = value
  }
  const low = Math.max(0, Math.floor((least - 0.05) * 10 + 1e-9))
  const high = Math.min(10, Math.ceil((most + 0.05) * 10 - 1e-9))
  return high - low <= MAX_ZOOMED_SPAN * 10 && high > low ? { low: low / 10, high: high / 10, zoomed: true } : full
}

/**
 * Gridline values of a range: quarters of the full axis, tenths of a zoomed one.
 *
 * @example
 * rangeTicks({ low: 0.7, high: 0.9, zoomed: true }) // [0.7, 0.8, 0.9]
 */
export function rangeTicks(range: ScoreRange): number[] {
  if (!range.zoomed) return [0, 0.25, 0.5, 0.75, 1]
  const ticks: number[] = []
  for (let tenth = Math.round(range.low * 10); tenth <= Math.round(range.high * 10); tenth += 1) ticks.push(tenth / 10)
  return ticks
}

/**
 * Indexes of the runs that get an x-axis label, ascending: all of them up to `most`, else every `step`-th
 * run counted back from the last (the current run, always labelled), the fewest steps that give at most
 * `most` labels, plus the first run when it is not crowding its neighbour (labels stay evenly spaced).
 *
 * @example
 * thinnedTicks(200, 6) // [0, 39, 79, 119, 159, 199]
 * thinnedTicks(10, 6) // [1, 3, 5, 7, 9]
 */
export function thinnedTicks(count: number, most = 6): number[] {
  if (count <= most) return Array.from({ length: count }, (_, index) => index)
  const step = Math.ceil((count - 1) / (most - 1))
  const ticks: number[] = []
  for (let at = count - 1; at >= 0; at -= step) ticks.unshift(at)
  if (ticks[0]! > 0 && ticks[0]! >= step * 0.85 && ticks.length < most) ticks.unshift(0)
  return ticks
}

/**
 * Vertical positions for labels wanted at `wanted` (SVG y, growing downwards), at least `gap` apart and
 * within `top`..`bottom`: labels that would overlap form a group centred on their wanted positions' mean
 * (merged with the next group while they overlap), so each moves as little as possible. Ties keep the
 * input's order, top to bottom. Returned in the input's order.
 *
 * @example
 * separateLabels([50, 50, 120], 10, 0, 200) // [45, 55, 120]
 */
export function separateLabels(wanted: readonly number[], gap: number, top: number, bottom: number): number[] {
  const sorted = wanted.map((y, index) => ({ y: Math.min(Math.max(y, top), bottom), index })).sort((a, b) => a.y - b.y || a.index - b.index)
  const groups: { labels: { y: number; index: number }[]; start: number }[] = []
  for (const label of sorted) {
    groups.push({ labels: [label], start: label.y })
    for (let last = groups.at(-1)!, before = groups.at(-2); before && before.start + before.labels.length * gap > last.start; last = before, before = groups.at(-2)) {
      before.labels.push(...last.labels)
      groups.pop()
      const mean = before.labels.reduce((sum, each) => sum + each.y, 0) / before.labels.length
      before.start = Math.min(Math.max(mean - ((before.labels.length - 1) * gap) / 2, top), bottom - (before.labels.length - 1) * gap)
    }
  }
  const placed: number[] = Array.from({ length: wanted.length }, () => 0)
  for (const group of groups) group.labels.forEach((label, at) => (placed[label.index] = group.start + at * gap))
  return placed
}

/**
 * Runs of consecutive indexes that have a band (a run without an interval breaks the band).
 *
 * @example
 * bandSegments([{ low: 0.6, high: 0.8 }, undefined, { low: 0.7, high: 0.9 }]) // [[{ at: 0, … }], [{ at: 2, … }]]
 */
export function bandSegments(bands: readonly ({ low: number; high: number } | undefined)[]): { at: number; low: number; high: number }[][] {
  const segments: { at: number; low: number; high: number }[][] = [[]]
  bands.forEach((band, at) => {
    if (band) segments.at(-1)?.push({ at, ...band })
    else if (segments.at(-1)?.length) segments.push([])
  })
  return segments.filter((segment) => segment.length > 0)
}

/**
 * A history line's interval when it is two numbers in 0..1 (lines are read loosely: a hand-edited one may hold anything).
 *
 * @example
 * validInterval({ low: 0.9, high: 0.1 }) // undefined
 */
export function validInterval(interval: unknown): { low: number; high: number } | undefined {
  const { low, high } = (interval ?? {}) as { low?: unknown; high?: unknown }
  return typeof low === 'number' && typeof high === 'number' && low >= 0 && high <= 1 && low <= high ? { low, high } : undefined
}
